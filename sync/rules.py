"""Which inbox paths are taken, ignored or refused, and what their folder says."""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePath

# Folders that sync tools, NAS systems and recycle bins keep inside shared folders.
IGNORED_DIRS = frozenset(
    {".stfolder", ".stversions", "@eaDir", "#recycle", "#snapshot", "$RECYCLE.BIN", "lost+found"}
)
IGNORED_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "Icon\r"})
# Partial downloads and editor lock files: they become real files (or vanish) later.
IGNORED_PATTERNS = ("*.part", "*.partial", "*.tmp", "*.crdownload", "*.download", "~$*", "*.swp")


def is_ignored(rel: PurePath) -> bool:
    """True for temporary and system files that are never taken in nor reported."""
    for part in rel.parts[:-1]:
        if part.startswith(".") or part in IGNORED_DIRS:
            return True
    name = rel.name
    if name.startswith(".") or name in IGNORED_FILES or name in IGNORED_DIRS:
        return True
    return any(fnmatch.fnmatch(name.lower(), pat) for pat in IGNORED_PATTERNS)


def profile_hint(rel: PurePath) -> str | None:
    """The first-level sub-folder, which names the profile a file is for."""
    return rel.parts[0] if len(rel.parts) > 1 else None


def escapes(root: Path, path: Path) -> bool:
    """True when `path` is, or passes through, a symlink, or resolves outside `root`."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return True
    current = root
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            return True
    return not path.resolve().is_relative_to(root.resolve())
