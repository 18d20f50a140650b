"""ReaderPool: warm children, timeouts, crashes, idle exit, memory limits, asyncio."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import psutil
import pytest

from ocr.errors import ReadError
from ocr.model import Reading
from ocr.pipeline import ReadOptions
from ocr.pool import ReaderPool


@pytest.fixture(scope="module")
def fakes() -> Iterator[ModuleType]:
    """The fake read steps; children find them through the sys.path they inherit."""
    here = str(Path(__file__).parent)
    sys.path.insert(0, here)
    import ocr_fakes

    yield ocr_fakes
    sys.path.remove(here)


@pytest.fixture
def pool_of(fakes: ModuleType) -> Iterator[Callable[..., ReaderPool]]:
    pools: list[ReaderPool] = []

    def make(size: int = 1, **kwargs: object) -> ReaderPool:
        pool = ReaderPool(size, ReadOptions(), reader=fakes.scripted, **kwargs)  # type: ignore[arg-type]
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def _source(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n")
    return path


def _child_pid(reading: Reading) -> int:
    return int(reading.warnings[0].rsplit(" ", 1)[1])


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _dies(pid: int, seconds: float = 10) -> bool:
    """Whether `pid` ends within `seconds`: kill() returns before the kernel ends a process."""
    deadline = time.monotonic() + seconds
    while not _gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _wait_for(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text()


def test_children_stay_warm_between_reads(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1)
    first = pool.read(_source(tmp_path, "a.pdf"), tmp_path / "a")
    second = pool.read(_source(tmp_path, "b.pdf"), tmp_path / "b")
    assert _child_pid(first) == _child_pid(second) != os.getpid()


def test_hung_job_times_out_and_the_pool_keeps_serving(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1, timeout_s=3)
    pool.read(_source(tmp_path, "warm.pdf"), tmp_path / "warm")
    started = time.monotonic()
    with pytest.raises(ReadError) as err:
        pool.read(_source(tmp_path, "hang.pdf"), tmp_path / "hang")
    assert 3 <= time.monotonic() - started < 15
    assert (err.value.code, err.value.permanent) == ("timeout", False)
    assert "longer than 3 seconds" in err.value.user_message
    # The child and the "Tesseract" it started are both gone.
    assert _dies(int((tmp_path / "hang" / "pid").read_text()))
    assert _dies(int((tmp_path / "hang" / "grandchild").read_text()))
    after = pool.read(_source(tmp_path, "after.pdf"), tmp_path / "after")
    assert after.warnings[0].startswith("read after.pdf")


def test_killed_child_is_a_crash_and_the_slot_recovers(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            pool.read(_source(tmp_path, "hang-victim.pdf"), tmp_path / "victim")
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    grandchild = int(_wait_for(tmp_path / "victim" / "grandchild"))
    os.kill(int(_wait_for(tmp_path / "victim" / "pid")), signal.SIGKILL)
    reader.join(timeout=30)
    assert _dies(grandchild), "the crashed child's Tesseract was left running"
    [err] = outcome
    assert isinstance(err, ReadError)
    assert (err.code, err.permanent) == ("crashed", False)
    assert "SIGKILL" in err.user_message
    assert pool.read(_source(tmp_path, "next.pdf"), tmp_path / "next").warnings


def test_unexpected_exceptions_become_transient_read_errors(
    tmp_path: Path, pool_of: Callable
) -> None:
    with pytest.raises(ReadError) as err:
        pool_of(1).read(_source(tmp_path, "bug.pdf"), tmp_path / "bug")
    assert (err.value.code, err.value.permanent) == ("crashed", False)
    assert "ValueError: the parser tripped over a stray byte" in err.value.user_message


def test_read_errors_keep_their_code_and_permanence(tmp_path: Path, pool_of: Callable) -> None:
    empty = tmp_path / "real-empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ReadError) as err:
        pool_of(1).read(empty, tmp_path / "work")
    assert (err.value.code, err.value.permanent) == ("empty", True)


def test_real_ocr_in_a_child(tmp_path: Path, draw: Callable, image_pdf: Callable) -> None:
    src = image_pdf([draw(["Ferritin 12 ng/mL low"]).image], tmp_path / "scan.pdf")
    with ReaderPool(1, ReadOptions()) as pool:  # the default reader: read_document
        reading = pool.read(src, tmp_path / "work")
    assert "Ferritin 12 ng/mL" in reading.pages[0].text
    assert reading.pages[0].ocr_applied


def test_at_most_size_reads_run_at_once(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(2)
    warm = [
        threading.Thread(
            target=pool.read, args=(_source(tmp_path, f"w{i}.pdf"), tmp_path / f"w{i}")
        )
        for i in range(2)
    ]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    readings: list[Reading] = []
    jobs = [
        threading.Thread(
            target=lambda i=i: readings.append(
                pool.read(_source(tmp_path, f"wait-1.5-{i}.pdf"), tmp_path / f"j{i}")
            )
        )
        for i in range(3)
    ]
    started = time.monotonic()
    for t in jobs:
        t.start()
    for t in jobs:
        t.join()
    assert time.monotonic() - started >= 3.0  # the third job waited for a free child
    assert len({_child_pid(r) for r in readings}) == 2


def test_idle_children_exit_and_come_back(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1, idle_exit_s=1)
    pid = _child_pid(pool.read(_source(tmp_path, "a.pdf"), tmp_path / "a"))
    assert _dies(pid), "idle child did not exit"
    again = pool.read(_source(tmp_path, "b.pdf"), tmp_path / "b")
    assert _child_pid(again) != pid


def test_idle_children_are_reaped(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1, idle_exit_s=1)
    pid = _child_pid(pool.read(_source(tmp_path, "a.pdf"), tmp_path / "a"))
    assert _dies(pid), "idle child did not exit"
    assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # exited, not yet collected
    assert pool.reap() == 1
    assert not psutil.pid_exists(pid)
    assert pool.reap() == 0
    again = pool.read(_source(tmp_path, "b.pdf"), tmp_path / "b")
    assert _child_pid(again) != pid


def test_memory_limit(tmp_path: Path, pool_of: Callable) -> None:
    with pytest.raises(ReadError) as err:
        pool_of(1, memory_limit_mb=1536).read(_source(tmp_path, "hog.pdf"), tmp_path / "hog")
    assert (err.value.code, err.value.permanent) == ("too_large", False)


async def test_aread_keeps_the_event_loop_free(tmp_path: Path, pool_of: Callable) -> None:
    import asyncio

    pool = pool_of(1)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(tick())
    reading = await pool.aread(_source(tmp_path, "wait-1.pdf"), tmp_path / "w")
    ticker.cancel()
    assert reading.warnings[0].startswith("read wait-1.pdf")
    assert ticks >= 10


def test_closed_pool_refuses_work(tmp_path: Path, pool_of: Callable) -> None:
    pool = pool_of(1)
    pid = _child_pid(pool.read(_source(tmp_path, "a.pdf"), tmp_path / "a"))
    pool.close()
    assert _gone(pid)
    with pytest.raises(RuntimeError):
        pool.read(_source(tmp_path, "b.pdf"), tmp_path / "b")
