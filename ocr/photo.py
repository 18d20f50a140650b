"""Phone photos of a page: find the sheet, flatten the light, warp it upright for Tesseract.

A photographed page is a light quadrilateral on a darker surround (a desk), in perspective,
lit unevenly; Tesseract's global threshold then loses the dim side and its line finder the
slanted rows. Flatbed scans and rendered pages are white to their edges and evenly lit, so
the test for a photo looks only at a copy shrunk to ~20 dpi with the text taken away (a max
filter): its border is mostly dark (a surround), or its paper is lit unevenly.
That costs ~2 ms on a letter page scanned at 300 dpi (~1 ms at 150 dpi; measured on the
bench's scans of its lab layouts, none of which it took for a photo).

A photo is corrected before OCR: the sheet's four edges are fitted as straight lines on a
~40 dpi copy, their corners mapped to an upright rectangle at 300 dpi by a homography (PIL's
PERSPECTIVE transform, coefficients solved here), and the light flattened by dividing the
page by a heavily blurred estimate of the bare paper. `ocr.geometry.Warp` maps what
Tesseract finds on the corrected copy back onto the photo. On a 200 dpi photo of a letter
page this takes ~0.14 s of CPU, less than the 300 dpi enlargement it replaces (~0.18 s).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

from ocr.geometry import Point, Warp

READ_DPI = 300.0
_LOOK_DPI = 20.0
_EDGE_DPI = 40.0
_CLOSE_PX = 5  # at ~40 dpi wider than a letter's strokes: closing leaves the bare paper
_MIN_CONTRAST = 40  # grey levels between the paper and its surround
_MIN_STEP = 25  # grey levels across a sheet's edge, from ~0.05 inch outside to inside
_SURROUND_BORDER = 0.4  # share of the frame's border that is surround, not paper
_MIN_SHEET = 0.2  # share of the frame the sheet covers
_UNEVEN = 0.8  # the dimmest ninth's paper below this share of the brightest's
_MAX_SCALE = 3.0
_PAPER_FROM = 215  # after flattening, paper is ~255 and print below ~120
_MAX_PIXELS = 40_000_000
_WARP_RESAMPLING = Image.Resampling.BILINEAR


@dataclass(frozen=True)
class Photo:
    """A photographed page corrected for OCR: `image` at `dpi`, `warp` back onto the photo."""

    image: Image.Image
    dpi: float
    warp: Warp


@dataclass(frozen=True)
class _Look:
    surround: bool  # a light sheet on a darker surround
    uneven: bool  # the sheet fills the frame, lit unevenly


def correct(image: Image.Image, dpi: float) -> Photo | None:
    """The page corrected for OCR when `image` looks like a phone photo of it, else None."""
    gray = image if image.mode == "L" else image.convert("L")
    look = _look(gray, dpi)
    if look is None:
        return None
    quad = _sheet(gray, dpi) if look.surround else None
    if quad is None:
        if not look.uneven:
            return None
        # The sheet fills the frame: only the light needs flattening.
        quad = [(0.0, 0.0), (gray.width, 0.0), (gray.width, gray.height), (0.0, gray.height)]
    scale = min(_MAX_SCALE, max(1.0, READ_DPI / dpi))
    top, right, bottom, left = (_distance(quad[i], quad[(i + 1) % 4]) for i in range(4))
    width = round(scale * (top + bottom) / 2)
    height = round(scale * (left + right) / 2)
    while width * height > _MAX_PIXELS:
        width, height, scale = round(width * 0.9), round(height * 0.9), scale * 0.9
    coeffs = perspective(
        [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))],
        quad,
    )
    upright = gray.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        coeffs,
        _WARP_RESAMPLING,
        fillcolor=255,
    )
    return Photo(flatten(upright), dpi * scale, Warp(coeffs, gray.width, gray.height))


def _look(gray: Image.Image, dpi: float) -> _Look | None:
    factor = max(1, round(dpi / _LOOK_DPI))
    small = gray.reduce(factor) if factor > 1 else gray
    if small.width < 16 or small.height < 16:
        return None
    # At ~20 dpi a line of text is a grey smear; one 3 px max filter takes it away.
    paper = small.filter(ImageFilter.MaxFilter(3))
    histogram = paper.histogram()
    threshold = _otsu(histogram)
    dark = sum(histogram[:threshold])
    light = sum(histogram[threshold:])
    total = dark + light
    if light < _MIN_SHEET * total:
        return None
    dark_mean = sum(i * n for i, n in enumerate(histogram[:threshold])) / max(1, dark)
    light_mean = sum(i * n for i, n in enumerate(histogram[threshold:], threshold)) / light
    surround = (
        dark > 0.03 * total
        and light_mean - dark_mean >= _MIN_CONTRAST
        and _border_dark(paper, threshold) >= _SURROUND_BORDER
    )
    uneven = _uneven(paper)
    if not surround and not uneven:
        return None
    return _Look(surround, uneven)


def _uneven(paper: Image.Image) -> bool:
    """True when the bare paper of some ninth of the page is much dimmer than another's.

    The brightest few pixels of a ninth are its paper, however much print it carries."""
    w, h = paper.size
    brightest = []
    for row in range(3):
        for col in range(3):
            cell = paper.crop((col * w // 3, row * h // 3, (col + 1) * w // 3, (row + 1) * h // 3))
            histogram = cell.histogram()
            brightest.append(_percentile(histogram, 0.95))
    return max(brightest) > 0 and min(brightest) < _UNEVEN * max(brightest)


def _otsu(histogram: list[int]) -> int:
    """The grey level that best splits `histogram` in two (Otsu's method)."""
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    best, best_at = -1.0, 128
    below = below_sum = 0.0
    for level in range(255):
        below += histogram[level]
        below_sum += level * histogram[level]
        above = total - below
        if below == 0 or above == 0:
            continue
        between = below * above * (below_sum / below - (weighted - below_sum) / above) ** 2
        if between > best:
            best, best_at = between, level + 1
    return best_at


def _percentile(histogram: list[int], share: float) -> int:
    wanted = share * sum(histogram)
    running = 0
    for level, count in enumerate(histogram):
        running += count
        if running >= wanted:
            return level
    return len(histogram) - 1


def _border_dark(closed: Image.Image, threshold: int) -> float:
    """Share of the outermost pixels of `closed` darker than `threshold`."""
    w, h = closed.size
    strips = [
        closed.crop((0, 0, w, 2)),
        closed.crop((0, h - 2, w, h)),
        closed.crop((0, 2, 2, h - 2)),
        closed.crop((w - 2, 2, w, h - 2)),
    ]
    dark = total = 0
    for strip in strips:
        histogram = strip.histogram()
        dark += sum(histogram[:threshold])
        total += sum(histogram)
    return dark / max(1, total)


def _sheet(gray: Image.Image, dpi: float) -> list[Point] | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left) on the photo."""
    factor = max(1, round(dpi / _EDGE_DPI))
    small = gray.reduce(factor) if factor > 1 else gray
    closed = small.filter(ImageFilter.MaxFilter(_CLOSE_PX)).filter(ImageFilter.MinFilter(_CLOSE_PX))
    threshold = _otsu(closed.histogram())
    mask = closed.point(lambda v: 255 if v >= threshold else 0)
    w, h = mask.size
    rows = [mask.crop((0, y, w, y + 1)).getbbox() for y in range(h)]
    cols = [mask.crop((x, 0, x + 1, h)).getbbox() for x in range(w)]
    lit_rows = [y for y, box in enumerate(rows) if box]
    lit_cols = [x for x, box in enumerate(cols) if box]
    if len(lit_rows) < 8 or len(lit_cols) < 8:
        return None
    # The middle of each side, away from the corners, where the edge is a straight line.
    y0, y1 = lit_rows[0], lit_rows[-1]
    x0, x1 = lit_cols[0], lit_cols[-1]
    ys = range(y0 + (y1 - y0) // 6, y1 - (y1 - y0) // 6 + 1)
    xs = range(x0 + (x1 - x0) // 6, x1 - (x1 - x0) // 6 + 1)
    left = _fit([(y, rows[y][0]) for y in ys if rows[y]])  # type: ignore[index]
    right = _fit([(y, rows[y][2]) for y in ys if rows[y]])  # type: ignore[index]
    top = _fit([(x, cols[x][1]) for x in xs if cols[x]])  # type: ignore[index]
    bottom = _fit([(x, cols[x][3]) for x in xs if cols[x]])  # type: ignore[index]
    if None in (left, right, top, bottom):
        return None
    assert left and right and top and bottom
    # A sheet's edge is a step from paper to surround; light falling off across a sheet that
    # fills the frame is a slope, and halving that sheet would lose half its text.
    samples = (
        ([(left[0] * y + left[1], y) for y in ys], (2, 0), (-3, 0)),
        ([(right[0] * y + right[1], y) for y in ys], (-3, 0), (2, 0)),
        ([(x, top[0] * x + top[1]) for x in xs], (0, 2), (0, -3)),
        ([(x, bottom[0] * x + bottom[1]) for x in xs], (0, -3), (0, 2)),
    )
    if any(not _step(closed, *edge) for edge in samples):
        return None
    # Lines on the small copy: x = a*y + b (left, right) and y = a*x + b (top, bottom).
    # Edges are at pixel boundaries; keep one small pixel inside the sheet.
    left = (left[0], left[1] + 1)
    top = (top[0], top[1] + 1)
    right = (right[0], right[1] - 1)
    bottom = (bottom[0], bottom[1] - 1)
    corners = [
        _cross(left, top),
        _cross(right, top),
        _cross(right, bottom),
        _cross(left, bottom),
    ]
    quad = [(x * factor, y * factor) for x, y in corners]
    if _area(quad) < _MIN_SHEET * gray.width * gray.height:
        return None
    return quad


def _step(
    closed: Image.Image, points: list[Point], inside: tuple[int, int], outside: tuple[int, int]
) -> bool:
    """True when the paper just inside the edge through `points` is clearly lighter than
    what lies just outside it, or when the edge is the frame's own (nothing outside)."""
    w, h = closed.size
    steps = []
    for x, y in points[:: max(1, len(points) // 24)]:
        xi, yi = round(x) + inside[0], round(y) + inside[1]
        xo, yo = round(x) + outside[0], round(y) + outside[1]
        if 0 <= xi < w and 0 <= yi < h and 0 <= xo < w and 0 <= yo < h:
            steps.append(closed.getpixel((xi, yi)) - closed.getpixel((xo, yo)))  # type: ignore[operator]
    if len(steps) < 4:
        return True
    steps.sort()
    return steps[len(steps) // 2] >= _MIN_STEP


def _fit(points: list[tuple[int, int]]) -> tuple[float, float] | None:
    """Least-squares line v = a*u + b through `points` (u, v), refitted without outliers."""
    kept = [(float(u), float(v)) for u, v in points]
    line = None
    for _ in range(3):
        if len(kept) < 4:
            return line
        n = len(kept)
        su = sum(u for u, _ in kept)
        sv = sum(v for _, v in kept)
        suu = sum(u * u for u, _ in kept)
        suv = sum(u * v for u, v in kept)
        det = n * suu - su * su
        if det == 0:
            return None
        a = (n * suv - su * sv) / det
        b = (sv - a * su) / n
        line = (a, b)
        kept = [(u, v) for u, v in kept if abs(a * u + b - v) <= 1.5]
    return line


def _cross(side: tuple[float, float], level: tuple[float, float]) -> Point:
    """Where x = a1*y + b1 (a side) meets y = a2*x + b2 (a top or bottom)."""
    a1, b1 = side
    a2, b2 = level
    y = (a2 * b1 + b2) / (1 - a1 * a2)
    return (a1 * y + b1, y)


def _distance(p: Point, q: Point) -> float:
    return float(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5)


def _area(quad: list[Point]) -> float:
    """The shoelace formula."""
    pairs = zip(quad, quad[1:] + quad[:1], strict=True)
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in pairs)) / 2


def flatten(gray: Image.Image) -> Image.Image:
    """`gray` divided by its bare paper (text closed away, heavily blurred): even light."""
    factor = max(1, round(min(gray.size) / 200))
    small = gray.reduce(factor) if factor > 1 else gray
    paper = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(6))
    paper = paper.resize(gray.size, Image.Resampling.BILINEAR)
    # gray * 255 / paper, as two 8-bit steps: 1/paper scaled to fit, then a multiply.
    inverse = paper.point(lambda v: min(255, round(255 * 128 / max(v, 1))))
    half = ImageChops.multiply(gray, inverse)  # gray * 128 / paper
    # Back to full range, with paper from _PAPER_FROM up made white: JPEG blocks and the
    # grain of the photo otherwise come through Tesseract's threshold as bars and specks
    # (on photographed lab pages: 71% of the printed values read without this, 100% with).
    return half.point(lambda v: min(255, round(v * 2 * 255 / _PAPER_FROM)))


def perspective(target: list[Point], source: list[Point]) -> tuple[float, ...]:
    """PIL's PERSPECTIVE coefficients (a..h) that take each `target` corner (on the output)
    to its `source` corner (on the input): x' = (a x + b y + c) / (g x + h y + 1), and so on."""
    matrix: list[list[float]] = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        matrix.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u])
        matrix.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v])
    n = 8
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        if matrix[col][col] == 0:
            raise ValueError("the corners do not make a quadrilateral")
        for r in range(n):
            if r != col and matrix[r][col]:
                k = matrix[r][col] / matrix[col][col]
                matrix[r] = [a - k * b for a, b in zip(matrix[r], matrix[col], strict=True)]
    return tuple(matrix[i][n] / matrix[i][i] for i in range(n))
