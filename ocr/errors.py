"""The one exception `ocr` raises, and the single place third-party errors become it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PASSWORD_MESSAGE = (
    "This PDF is protected by a password. Open it, save or print it without the password, "
    "and add it again."
)


class ReadError(Exception):
    """A document could not be read; carries a message a person can act on."""

    def __init__(
        self, user_message: str, *, permanent: bool = True, code: str = "unreadable"
    ) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.permanent = permanent
        self.code = code

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments are lost by Exception's default pickling; pool children
        # send ReadErrors over a pipe, so rebuild with all three.
        return (_rebuild, (self.user_message, self.permanent, self.code))

    def __repr__(self) -> str:
        return f"ReadError({self.user_message!r}, permanent={self.permanent}, code={self.code!r})"


def _rebuild(user_message: str, permanent: bool, code: str) -> ReadError:
    return ReadError(user_message, permanent=permanent, code=code)


def transient(detail: str) -> ReadError:
    """A failure that may go away on retry (the machine, not the file)."""
    return ReadError(
        f"Kinchart could not finish reading this document ({detail}). It will try again.",
        permanent=False,
        code="crashed",
    )


@contextmanager
def map_exceptions() -> Iterator[None]:
    """Translate OCRmyPDF, pikepdf, pypdfium2, Pillow and OS errors into ReadError."""
    import ocrmypdf.exceptions as ox
    import pikepdf
    import pypdfium2
    from PIL import Image, UnidentifiedImageError

    try:
        yield
    except ReadError:
        raise
    except (pikepdf.PasswordError, ox.EncryptedPdfError) as exc:
        raise ReadError(PASSWORD_MESSAGE, code="encrypted") from exc
    except Image.DecompressionBombError as exc:
        raise ReadError(
            "This image has too many pixels to read safely. Scan or export it at a lower "
            "resolution (300 dpi is plenty) and add it again.",
            code="too_large",
        ) from exc
    except (pikepdf.PdfError, ox.InputFileError, UnidentifiedImageError) as exc:
        raise ReadError(_corrupt_message(exc), code="corrupt") from exc
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(PASSWORD_MESSAGE, code="encrypted") from exc
        raise ReadError(_corrupt_message(exc), code="corrupt") from exc
    except ox.MissingDependencyError as exc:
        raise ReadError(
            f"OCR is not fully set up on the server ({_first_line(exc)}). Ask the "
            "administrator to install what is missing; the document will be read again.",
            permanent=False,
            code="ocr_failed",
        ) from exc
    except (ox.SubprocessOutputError, subprocess.CalledProcessError) as exc:
        raise ReadError(
            "The OCR program failed on this document. It will be tried again; if it keeps "
            "failing, re-scan the pages or export them as a new PDF.",
            permanent=False,
            code="ocr_failed",
        ) from exc
    except MemoryError as exc:
        raise ReadError(
            "The server ran out of memory reading this document. It will try again; if it "
            "keeps failing, split the document or scan it at a lower resolution.",
            permanent=False,
            code="too_large",
        ) from exc
    except OSError as exc:
        # Pillow reports undecodable image data as OSError without an errno; anything with
        # an errno came from the machine (disk, memory, files), so a retry may succeed.
        if exc.errno is None:
            raise ReadError(_corrupt_message(exc), code="corrupt") from exc
        raise transient(exc.strerror or type(exc).__name__) from exc
    except ox.ExitCodeException as exc:
        raise ReadError(
            f"OCR could not process this document: {_first_line(exc)}",
            code="ocr_failed",
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    # Libraries prefix messages with the file's path; the server's paths mean nothing to users.
    return re.sub(r"(?:\S*/)+\S*?:\s*", "", line) or type(exc).__name__


def _corrupt_message(exc: BaseException) -> str:
    return (
        "This file is damaged or incomplete, so it cannot be read. If it was cut short "
        "while copying or downloading, add the complete file again; otherwise open it where "
        f"it came from and save or print it as a new PDF. (Details: {_first_line(exc)})"
    )
