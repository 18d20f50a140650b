"""Fake read steps for ReaderPool tests; pool children import this module by name.

Each fake decides what to do from the source file's name, so one pool can serve a hanging
job and then a normal one.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from ocr.model import Reading
from ocr.pipeline import ReadOptions, read_document


def scripted(src: Path, workdir: Path, options: ReadOptions) -> Reading:
    """Hang, crash, raise or answer, as the source file's name says."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "pid").write_text(str(os.getpid()))
    name = src.name
    if name.startswith("hang"):
        # A Tesseract stand-in that would outlive us unless killed with our process group.
        grandchild = subprocess.Popen(["sleep", "300"])
        (workdir / "grandchild").write_text(str(grandchild.pid))
        time.sleep(300)
    if name.startswith("wait"):
        time.sleep(float(src.stem.split("-")[1]))
    if name.startswith("bug"):
        raise ValueError("the parser tripped over a stray byte")
    if name.startswith("hog"):
        hog = bytearray(4 * 1024**3)
        return Reading("pdf", "application/pdf", [], None, None, [str(len(hog))])
    if name.startswith("real"):
        return read_document(src, workdir, options)
    return Reading("pdf", "application/pdf", [], None, None, [f"read {name} in {os.getpid()}"])
