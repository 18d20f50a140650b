"""Give memory back to the system after bursts of work, so an idle server stays small on a NAS.

Reading a batch leaves the server process with freed heap that glibc keeps mapped (pages, word
boxes and facts pass through it). `malloc_trim(0)` returns it. It is cheap (milliseconds), so a
background task does it whenever the resident size has grown since the last trim.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
from collections.abc import Callable

log = logging.getLogger(__name__)

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """This process's resident set size (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _malloc_trim() -> Callable[[], None] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


def release() -> int:
    """Collect garbage and return freed heap to the system; the resident size after."""
    gc.collect()
    trim = _TRIM
    if trim is not None:
        trim()
    return rss_bytes()


_TRIM = _malloc_trim()


async def trim_when_grown(
    stop: asyncio.Event, interval_s: float = 5.0, grown_bytes: int = 8 * 1024 * 1024
) -> None:
    """Every `interval_s`, release memory if the process grew by `grown_bytes` since last time."""
    baseline = rss_bytes()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
        if stop.is_set() or _TRIM is None:
            return
        now = rss_bytes()
        if now - baseline >= grown_bytes:
            after = release()
            log.debug("memory: %d MB -> %d MB", now >> 20, after >> 20)
            baseline = after
        else:
            baseline = min(baseline, now)
