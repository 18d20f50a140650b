"""The idle server gives freed heap back (server/memory.py), measured on this very process."""

from __future__ import annotations

import asyncio
import sys

import pytest

from server import memory

pytestmark = [
    pytest.mark.nodb,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="resident size is read from /proc (Linux)"
    ),
]

MB = 1024 * 1024


def _fragment() -> list[bytes]:
    """Fill the C heap with 80 MB of 2 KB blocks, then free all but one in 64 (no top trim)."""
    blocks = [bytes(2048) + i.to_bytes(4, "little") for i in range(40_000)]
    return blocks[::64]


def test_release_returns_freed_heap() -> None:
    keep = _fragment()
    before = memory.rss_bytes()
    after = memory.release()
    assert len(keep) == 625
    assert before - after >= 40 * MB, (before >> 20, after >> 20)


def test_trim_task_releases_after_growth() -> None:
    async def run() -> tuple[int, int]:
        stop = asyncio.Event()
        task = asyncio.create_task(memory.trim_when_grown(stop, interval_s=0.05))
        await asyncio.sleep(0.01)
        keep = _fragment()
        grown = memory.rss_bytes()
        await asyncio.sleep(0.3)
        trimmed = memory.rss_bytes()
        stop.set()
        await task
        assert len(keep) == 625
        return grown, trimmed

    grown, trimmed = asyncio.run(run())
    assert grown - trimmed >= 40 * MB, (grown >> 20, trimmed >> 20)
