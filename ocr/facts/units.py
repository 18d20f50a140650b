"""Unit spellings as labs print them, their normal form, and conversion between them.

A unit is parsed into a dimension and a scale to that dimension's base, so conversions
within a dimension (mg/dL → g/L, 10^3/µL → 10^9/L, µIU/mL → mIU/L) hold for every analyte;
conversions across dimensions (mass ↔ amount, % ↔ mmol/mol) need facts about the analyte
and live with it in the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Unit:
    """A recognised unit: its normal spelling, dimension and scale to the dimension's base."""

    text: str
    dimension: str
    scale: float


_PREFIX = {"": 1.0, "k": 1e3, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15}
_SHOWN_PREFIX = {"u": "µ"}
_VOLUME = {"l": 1.0, "dl": 0.1, "ml": 1e-3, "ul": 1e-6}
_SHOWN_VOLUME = {"l": "L", "dl": "dL", "ml": "mL", "ul": "µL"}
# Numerator bases: (spelling in the compact form, dimension of base/volume, shown as).
_BASES = {
    "g": ("mass/vol", "g"),
    "mol": ("amount/vol", "mol"),
    "eq": ("eq/vol", "Eq"),
    "iu": ("units/vol", "IU"),
    "u": ("units/vol", "U"),
    "kat": ("units/vol", "kat"),
    "osm": ("osm/vol", "Osm"),
}
_KAT_IN_U = 6e7  # 1 katal = 60,000,000 U (µmol/min); enzymes only, where IU ≡ U

# Whole spellings that are not prefix-base/volume: compact form → (shown, dimension, scale).
_FIXED: dict[str, tuple[str, str, float]] = {
    "%": ("%", "percent", 1.0),
    "l/l": ("L/L", "fraction", 100.0),
    "fl": ("fL", "volume", 1.0),
    "um3": ("fL", "volume", 1.0),
    "pg": ("pg", "mass", 1.0),
    "uug": ("pg", "mass", 1.0),
    "mm/h": ("mm/h", "mm/h", 1.0),
    "s": ("s", "time", 1.0),
    "min": ("min", "time", 60.0),
    "h": ("h", "time", 3600.0),
    "ratio": ("ratio", "ratio", 1.0),
    "1": ("ratio", "ratio", 1.0),
    "index": ("index", "index", 1.0),
    "s/co": ("S/CO", "s/co", 1.0),
    "ml/min/1.73m2": ("mL/min/1.73m²", "egfr", 1.0),
    "ml/min": ("mL/min", "clearance", 1.0),
    "mg/g": ("mg/g", "mass/mass", 1e-3),
    "ug/mg": ("mg/g", "mass/mass", 1e-3),
    "g/g": ("g/g", "mass/mass", 1.0),
    "mg/mmol": ("mg/mmol", "mass/amount", 1e-3),
    "mmol/mol": ("mmol/mol", "mmol/mol", 1.0),
    "mosm/kg": ("mOsm/kg", "osm/mass", 1e-3),
    "mg/24h": ("mg/24 h", "mass/day", 1e-3),
    "g/24h": ("g/24 h", "mass/day", 1.0),
    "/hpf": ("/HPF", "per hpf", 1.0),
    "/100wbc": ("/100 WBC", "per 100 wbc", 1.0),
    "/100wbcs": ("/100 WBC", "per 100 wbc", 1.0),
    "/lpf": ("/LPF", "per lpf", 1.0),
    "eu/dl": ("EU/dL", "ehrlich/vol", 1.0),
    "au/ml": ("AU/mL", "au/vol", 1.0),
    "mmhg": ("mmHg", "pressure", 1.0),
    "kg": ("kg", "body mass", 1.0),
    "g": ("g", "body mass", 1e-3),
    "lb": ("lb", "body mass", 0.45359237),
    "oz": ("oz", "body mass", 0.028349523),
    "cm": ("cm", "length", 1.0),
    "in": ("in", "length", 2.54),
    "kg/m2": ("kg/m²", "bmi", 1.0),
    "/min": ("/min", "rate", 1.0),
    "degf": ("°F", "temperature", 1.0),
    "degc": ("°C", "temperature", 1.0),
    "ngfeu/ml": ("ng/mL FEU", "feu", 1.0),
    "ugfeu/ml": ("µg/mL FEU", "feu", 1e3),
    "mgfeu/l": ("mg/L FEU", "feu", 1e3),
}
# Counts of cells per volume; base: per litre.
_COUNT_SCALE = {"/l": 1.0, "/ml": 1e3, "/ul": 1e6}
_SHOWN_COUNT = {"/l": "/L", "/ml": "/mL", "/ul": "/µL"}

# Spelling repairs applied in order to the lower-cased, space-free text.
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"\[iu\]", "iu"),
        (r"\{[^}]*\}", ""),  # UCUM annotations: {cells}, {ratio}
        (r"\[(\w+)\]", r"\1"),
        (r"mc(?=g|l\b|l/|mol|iu|u|eq)", "u"),  # mcg, MCL, mcIU
        (r"(?<![a-z])(?:cu\.?mm|c\.?mm|mm3|mm\^3)", "ul"),
        (r"(?<=/)(?:cmm|cumm)", "ul"),
        (r"(?:hr|hour|hours)$", "h"),
        (r"(?:sec|secs|seconds)$", "s"),
        (r"^(?:m|mil|mill|million|millions)(?:cells)?(?=/)", "10^6"),
        (r"^(?:k|th|thou|thous|thousand|thousands)(?:cells)?(?=/)", "10^3"),
        (r"^(?:x|×)?_?10[\^*+\-ex×°º%’'`]?(3|6|9|12)(?:cells)?(?=/)", r"10^\1"),
        (r"^(?:cells?|#)(?=/)", ""),
        (r"^(?:x|×)?_?10[\^*+ex×](\d{1,2})(?:cells)?(?=/)", r"10^\1"),
        (r"^(?:x|×)10e(\d{1,2})(?=/)", r"10^\1"),
        (r"^mgalb/gcre(?:at)?$", "mg/g"),
        (r"^mg/gcr(?:eat|eatinine)?$", "mg/g"),
        (r"^(?:deg\.?|°|º)f$", "degf"),
        (r"^(?:deg\.?|°|º)c$|^cel$", "degc"),
        (r"^in_us$|^inch(?:es)?$", "in"),
        (r"^lb_av$|^pounds?$", "lb"),
        (r"^(?:beats|breaths|bpm)(?:/min)?$", "/min"),
        (r"^(?:mm|mm/hr)/h$", "mm/h"),
        (r"^lbs$", "lb"),
        (r"^(?:e\.?u\.?|ehrlichu(?:nits)?)/dl$", "eu/dl"),
        (r"^ml/min/(?:1\.73m\^?2|1\.73sq\.?m|bsa|1\.73)$", "ml/min/1.73m2"),
        (r"^kg/m\^?2$", "kg/m2"),
        (r"^(ng|ug|mg)/(ml|l)feu$", r"\1feu/\2"),
        (r"^(?:percent|pct)$", "%"),
        (r"^/(hpf|lpf)$", r"/\1"),
        (r"^(?:per)?(hpf|lpf)$", r"/\1"),
    ]
]
_PARTS = re.compile(r"^(?P<p>[kmunpf]?)(?P<b>mol|eq|iu|kat|osm|g|u)/(?P<v>l|dl|ml|ul)$")
_COUNT = re.compile(r"^(?:10\^(?P<e>\d{1,2}))?(?P<v>/l|/ml|/ul)$")
_STRIP = " \t.,;:_'`’‘“”»«*-=~|"
# OCR misreadings inside units, tried only when a spelling is not recognised as it is.
_OCR_REPAIRS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"\[|\]|\{|\}|\\", ""),  # brackets, and a backslash (no unit has one)
        (r"^(.+?)\.?\1$", r"\1"),  # mg/dL.mg/dL: printed twice
        (r"^mf(?=[il1|][uv])", "m"),  # mf[IU]/L: a bracket read as f
        (r"(?<=[il1|][uv])[j}]+(?=/)", ""),  # m[IUJ/L, mlU}/L: a bracket read as J
        (r"(?<=/)a(?=l$)", ""),  # m[lU}/AL
        (r"^mc[ec]g(?=/)", "ug"),  # mceg/dL
        (r"^[il1|][uv]/l$", "iu/l"),  # IV/L, 1V/L
        (r"^[l1i|]u[i1l|]l$", "iu/l"),  # luiL
        (r"(?<=mo)v(?=l$)", "l/"),  # mmoVL
        (r"(?<=[mu])[l1|][uv][yj]?(?=/)", "iu"),  # mlU/L, mlUy/L → mIU/L
        (r"^m[ce]+[l1|i]u(?=/)", "uiu"),  # melU/mL, meIU/mL → mcIU/mL
        (r"^meg(?=/)", "ug"),  # meg/dL → mcg/dL
        (r"^(x?)[l1|i]{1,2}[o0](?=e|\^|\*)", r"\g<1>10"),  # xLOE3, x1LOE3 → x10E3
        (r"(?<=mo)1(?=/)", "l"),  # mMo1/L
        (r"(?<=mol)1(?=/)", ""),  # mMol1/L
        (r"(?<=/)-+", ""),  # mmol/-L
        (r"(?<=/)k$", "l"),  # 10*9/k
        (r"(?<=10e)s", "3"),
        (r"^(?:w|v)[/i1l|]?l$|^u[i1|]l$", "u/l"),  # W/L, VIL, UIL → U/L
        (r"(?<=/m)u$|(?<=/)t$", "l"),  # ng/mu, mmol/t
        (r"(?<=/d)[kebtu]$", "l"),  # mg/dk, mg/de, mg/du
        (r"(?<=/u)k$", "l"),  # X_10-3/uk
        (r"^([mu]?mol|m?eq)$", r"\1/l"),  # mmol, mEq: the /L lost
        (r"^([mu]?mol|m?eq)l$", r"\1/l"),  # mEqL: the slash lost
        (r"^40(?=[\^*]\d)", "10"),  # 40*12/L: the 1 read as 4
        (r"^(10[\^*]?\d{1,2})7(u?l)$", r"\1/\2"),  # 10*97L, 10*37ul: the slash read as 7
        (r"^mi(?=mol/)", "m"),  # mimol/L
        (r"^i(?=mg)", ""),  # imgAlb/gCre: a speck before the unit
        (r"(?<=[mu]i)v(?=/)", "u"),  # mIv/L → mIU/L
        (r"(?<=1)o|o(?=\d)", "0"),  # x1OE3 → x10E3
        (r"(?<=/d)[.i|1t]?$", "l"),  # mg/d., mg/dt → mg/dl
        (r"(?<=g)[i1l|](?=d[l1i]$)", "/"),  # gidl → g/dl
        (r"^u[il1|]l$", "u/l"),  # UIL → U/L
        (r"^%+$", "%"),
        (r"^x+(?=\d)", "x"),
        (r"^m[lui]*/?min/?1[.,]?73.*$", "ml/min/1.73m2"),  # eGFR's unit, however mangled
        (r"(?<=\d)[.,](?=\d)", "."),
        (r"^(?:x|×)?_?10[479/“”\"a](3|6|9|12)(?=/)", r"10^\1"),  # 10^3's caret read as 4, 7, 9
        (r"^(?:x|×)?_?10[479]?[\^*+](3|6|9|12)(?=/)", r"10^\1"),  # 104+3: a mark read twice
        (r"^(?:x|×)?[._\-]*10[\^*+\-#%]{1,2}(3|6|9|12)(?=/)", r"10^\1"),  # X.10-3, 10+#3, 10%3
        (r"(?<=/u)[tk]$", "l"),  # /ut
        (r"(?<=/m)t$", "l"),  # ng/mt
        (r"^(10[\^*]?\d{1,2})l$", r"\1/l"),  # 10*12L: the slash lost
        (r"(?<=alb)[i1l|](?=gcre)", "/"),  # mgAlbigCre
        (r"(?<=/d)c$", "l"),  # mg/dc
        (r"(?<=mo)[i1|](?=/|$)", "l"),  # mmoi/L
        (r"(?<=mol)[i1|l](?=l$)", "/"),  # mmolil
        (r"(?<=mol)/$", "/l"),  # mmol/: the L lost at the column's edge
        (r"(?<=/m)[i1|]$", "l"),  # ng/mi
        (r"^[jvw][i1l|/]l$", "u/l"),  # JIL → U/L
        (r"^m[l1|i](?=ul$)", "m/"),  # MluL → M/uL
        (r"^([mun]?g)[i1l|/]d[l1i]?$", r"\1/dl"),  # gid → g/dl
    ]
]


def normalise(text: str | None) -> str | None:
    """The normal spelling of a printed unit, or None when it is not a unit we know."""
    unit = parse(text)
    return unit.text if unit else None


def parse(text: str | None) -> Unit | None:
    """Parse a printed unit such as `x10E3/uL`, `THOUS/MCL`, `mg/dl` or `µmol/L`."""
    if not text:
        return None
    return _parse(text)


@cache
def _parse(text: str) -> Unit | None:
    compact = _compact(text)
    if not compact:
        return None
    found = _known(compact)
    if found is None:
        repaired = compact
        for pattern, replacement in _OCR_REPAIRS:
            repaired = pattern.sub(replacement, repaired)
        if repaired != compact:
            found = _known(_rewritten(repaired))
    return found


def _known(compact: str) -> Unit | None:
    """The unit a compact spelling names, if it is one we know."""
    fixed = _FIXED.get(compact)
    if fixed:
        return Unit(*fixed)
    parts = _PARTS.match(compact)
    if parts:
        prefix, base, volume = parts["p"], parts["b"], parts["v"]
        dimension, shown = _BASES[base]
        scale = _PREFIX[prefix] / _VOLUME[volume]
        if base == "kat":
            scale *= _KAT_IN_U
        text_out = f"{_SHOWN_PREFIX.get(prefix, prefix)}{shown}/{_SHOWN_VOLUME[volume]}"
        return Unit(text_out, dimension, scale)
    count = _COUNT.match(compact)
    if count:
        exponent = int(count["e"]) if count["e"] else 0
        if count["e"] and exponent not in (3, 6, 9, 12):
            return None
        head = f"10^{exponent}" if exponent else ""
        scale = 10.0**exponent * _COUNT_SCALE[count["v"]]
        return Unit(f"{head}{_SHOWN_COUNT[count['v']]}", "count/vol", scale)
    return None


def _compact(text: str) -> str:
    """Lower-case, space-free, ASCII micro spelling of a unit with its repairs applied."""
    text = unicodedata.normalize("NFKC", text).strip(_STRIP)
    while len(text) > 2 and (text[0], text[-1]) in (("(", ")"), ("[", "]")):
        text = text[1:-1].strip(_STRIP)
    text = text.replace("µ", "u").replace("μ", "u").replace("²", "2").replace("³", "3")
    text = text.replace("\u2009", " ")
    return _rewritten(re.sub(r"\s+", "", text).lower())


def _rewritten(compact: str) -> str:
    for pattern, replacement in _REWRITES:
        compact = pattern.sub(replacement, compact)
    return compact


def same(a: str | None, b: str | None) -> bool:
    """Whether two printed units mean the same thing (`g/dl` = `G/DL`, `K/uL` = `10^9/L`)."""
    if a is None or b is None:
        return a is b or (not a and not b)
    ua, ub = parse(a), parse(b)
    if ua is None or ub is None:
        return _compact(a) == _compact(b)
    return ua.dimension == ub.dimension and abs(ua.scale / ub.scale - 1) < 1e-9


def rescale(value: float, source: Unit, target: Unit) -> float | None:
    """`value` in `source` expressed in `target`, when both share a dimension."""
    if source.dimension != target.dimension:
        return None
    if source.dimension in ("temperature",) and source.text != target.text:
        if source.text == "°F":
            return (value - 32) * 5 / 9
        return value * 9 / 5 + 32
    return value * source.scale / target.scale


def significant(value: float, digits: int = 5) -> float:
    """`value` rounded to `digits` significant figures (conversions add noise, not precision)."""
    return float(f"{value:.{digits}g}")


# Units as labs print them, for reading a unit OCR garbled past the repairs above: the
# nearest of those a test is reported in (see `nearest`).
PRINTED = (
    "g/dL", "mg/dL", "mg/L", "g/L", "ug/dL", "mcg/dL", "ng/dL", "ng/mL", "pg/mL", "ug/L",
    "mmol/L", "umol/L", "nmol/L", "pmol/L", "mEq/L", "U/L", "IU/L", "mIU/L", "uIU/mL",
    "mIU/mL", "%", "fL", "pg", "10^3/uL", "10^6/uL", "10^9/L", "10^12/L", "x10E3/uL",
    "x10E6/uL", "THOUS/MCL", "MILL/MCL", "K/uL", "M/uL", "/uL", "mL/min/1.73m2", "mg/g",
    "mm/h", "mOsm/kg",
)  # fmt: skip
# Glyphs OCR takes for one another in units, folded together before units are compared.
_LOOK_ALIKE = str.maketrans({"i": "l", "1": "l", "|": "l", "!": "l", "j": "l", "0": "o",
                             "v": "u", "y": "u"})  # fmt: skip


def nearest(text: str, fits: Callable[[str], bool], hint: str | None = None) -> str | None:
    """The printed unit `text` is, when OCR garbled it past reading: the one unit of
    `PRINTED` that `fits` (a unit the test is reported in) within one slip of it (two for
    longer spellings), look-alike glyphs (l/1/I, O/0, u/v) counted as the same; None when
    `text` is a unit already, is too short to tell, or another unit is less than a slip
    further (13.2 "gil": g/L or g/dL is unclear, and they differ tenfold). A `hint`, a
    unit printed elsewhere in the row (with its range), settles which when it is as near."""
    if parse(text) is not None:
        return None
    garbled = _forms(text)
    if min(len(g) for g in garbled) < 3 or not re.search(r"[a-z]", garbled[0]):
        return None
    allowed = 2 if len(garbled[0]) >= 5 else 1
    if (
        hint
        and parse(hint) is not None
        and fits(hint)
        and min(_distance(g, p) for g in garbled for p in _forms(hint)) <= allowed
    ):
        return hint
    near: list[tuple[int, str]] = []
    for spelling in PRINTED:
        if fits(spelling):
            near.append((min(_distance(g, p) for g in garbled for p in _forms(spelling)), spelling))
    near.sort()
    if not near or near[0][0] > allowed:
        return None
    best, spelling = near[0]
    margin = 0 if best == 0 else 1  # exact but for look-alike glyphs: only a tie is unclear
    if any(d <= best + margin and not same(spelling, other) for d, other in near[1:]):
        return None
    return spelling


def _forms(text: str) -> tuple[str, ...]:
    """A unit's spelling compared with others: lower case without spaces or the marks around
    it, as printed and with its spelling repairs, look-alike glyphs folded."""
    raw = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).strip(_STRIP)).lower()
    forms = (raw, _compact(text), _compact(raw.replace("rn", "m")))  # "rn" for "m"
    return tuple(dict.fromkeys(f.translate(_LOOK_ALIKE) for f in forms))


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute) turning `a` into `b`; a digit lost, added or
    changed counts two (10^3 and 10^6 are not one slip apart)."""

    def weight(c: str) -> int:
        return 2 if c.isdigit() else 1

    row = [0]
    for cb in b:
        row.append(row[-1] + weight(cb))
    for ca in a:
        previous, row[0] = row[0], row[0] + weight(ca)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 2 if ca.isdigit() and cb.isdigit() else 1
            previous, row[j] = (
                row[j],
                min(row[j] + weight(ca), row[j - 1] + weight(cb), previous + cost),
            )
    return row[-1]
