"""Moving files that cannot be taken in to the failed folder, with the reason beside them."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path


def quarantine(path: Path, rel: Path, failed_dir: Path, reason: str) -> Path:
    """Move `path` to `failed_dir/rel` (never overwriting) and write `<name>.reason.txt`."""
    target = failed_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    n = 1
    while target.exists() or target.is_symlink():
        target = target.with_name(f"{rel.stem} ({n}){rel.suffix}")
        n += 1
    try:
        os.rename(path, target)
    except OSError:
        # Another filesystem: copy, flush, then remove — the copy exists before the original goes.
        shutil.copy2(path, target, follow_symlinks=False)
        _fsync(target)
        os.unlink(path)
    note = target.with_name(target.name + ".reason.txt")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    note.write_text(
        f"{rel}\n\nKinchart could not take this file in ({stamp}):\n{reason}\n\n"
        "Fix the problem and put the file back in the inbox.\n",
        encoding="utf-8",
    )
    _fsync(note)
    return target


def _fsync(path: Path) -> None:
    if path.is_symlink():
        return
    with open(path, "rb") as f:
        os.fsync(f.fileno())
