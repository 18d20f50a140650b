"""The loop a ReaderPool child process runs: read documents sent over a pipe until idle."""

from __future__ import annotations

import os
import resource
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ocr.errors import ReadError
from ocr.options import ReadOptions


@dataclass(frozen=True)
class Settings:
    """What a child needs; picklable, so the `reader` must be a module-level function."""

    options: ReadOptions
    idle_exit_s: float
    memory_limit_mb: int | None
    reader: Callable[..., Any] | None  # None: ocr.pipeline.read_document


def main(conn: Connection, settings: Settings) -> None:
    """Serve read requests until the parent says stop, the pipe closes, or we sit idle."""
    # Lead a process group so the parent can kill us together with our Tesseracts.
    os.setsid()
    # One Tesseract thread per page: the pool already keeps every core busy with its own
    # documents, and a second OpenMP thread buys ~7% latency for ~2x the CPU on one page.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if settings.memory_limit_mb:
        limit = settings.memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Import OCRmyPDF and friends once, here, so every job starts warm.
    from ocr.pipeline import read_document

    reader = settings.reader or read_document

    conn.send(("ready",))
    while conn.poll(settings.idle_exit_s):
        try:
            job = conn.recv()
        except EOFError:
            break
        if job is None:
            break
        conn.send(("started",))
        conn.send(_run(reader, settings.options, job))
    conn.close()


def _run(reader: Callable[..., Any], options: ReadOptions, job: tuple[str, str]) -> tuple[str, Any]:
    src, workdir = job
    try:
        return ("ok", reader(Path(src), Path(workdir), options))
    except ReadError as exc:
        return ("error", exc)
    except MemoryError:
        return (
            "error",
            ReadError(
                "Reading this document needed more memory than the server allows. It will try "
                "again; if it keeps failing, split the document or scan it at a lower resolution.",
                permanent=False,
                code="too_large",
            ),
        )
    except Exception as exc:
        # A bug or an unmapped library error: keep the details for the log, retry later.
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return (
            "error",
            ReadError(
                f"Kinchart hit an unexpected problem reading this document ({detail}). It will "
                "try again.",
                permanent=False,
                code="crashed",
            ),
        )
