"""Warm child processes that read documents, isolating crashes, hangs and memory blow-ups."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ocr import _child
from ocr.errors import ReadError
from ocr.model import Reading
from ocr.options import ReadOptions

Reader = Callable[[Path, Path, ReadOptions], Reading]
_START_TIMEOUT_S = 120.0  # importing OCRmyPDF on a slow NAS disk can take a while


class ReaderPool:
    """Read documents in up to `size` warm child processes, one document per child at a time.

    OCRmyPDF's API holds a lock per interpreter, so each concurrent read needs its own
    process. Children start on first use and exit after `idle_exit_s` without work. A read
    that outlives `timeout_s` kills its child (and the child's Tesseract processes) and
    raises ReadError(code="timeout"); a child that dies raises ReadError(code="crashed").
    Either way the slot starts a fresh child for the next read. `reader` is the function
    children run (default `ocr.pipeline.read_document`); tests pass small fakes. The parent
    never imports OCRmyPDF, so an idle server stays small.
    """

    def __init__(
        self,
        size: int,
        options: ReadOptions,
        *,
        timeout_s: float = 600,
        idle_exit_s: float = 120,
        memory_limit_mb: int | None = None,
        reader: Reader | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a ReaderPool needs at least one slot")
        context = multiprocessing.get_context("spawn")
        settings = _child.Settings(options, idle_exit_s, memory_limit_mb, reader)
        # Last in, first out: the warmest child takes the next job, and spare children are
        # left alone long enough to exit when idle.
        self._free: queue.LifoQueue[_Slot] = queue.LifoQueue()
        self._slots = [_Slot(context, settings, timeout_s) for _ in range(size)]
        for slot in self._slots:
            self._free.put(slot)
        self._closed = False

    def read(self, src: Path, workdir: Path) -> Reading:
        """Read `src` into `workdir` in a child process; blocks until done. Thread-safe."""
        if self._closed:
            raise RuntimeError("ReaderPool is closed")
        slot = self._free.get()
        try:
            if self._closed:
                raise RuntimeError("ReaderPool is closed")
            return slot.run(Path(src), Path(workdir))
        finally:
            if self._closed:
                slot.stop()
            self._free.put(slot)

    async def aread(self, src: Path, workdir: Path) -> Reading:
        """Like `read`, waiting in a worker thread so the event loop keeps running."""
        return await asyncio.to_thread(self.read, src, workdir)

    def reap(self) -> int:
        """Collect children that exited for being idle (else they linger as zombies); how many."""
        return sum(slot.reap() for slot in self._slots)

    def close(self) -> None:
        """Stop idle children now; children busy with a read stop when it finishes."""
        self._closed = True
        idle = []
        while True:
            try:
                idle.append(self._free.get_nowait())
            except queue.Empty:
                break
        for slot in idle:
            slot.stop()
            self._free.put(slot)  # so threads already waiting for a slot wake and give up

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Slot:
    """One child process and the pipe to it."""

    def __init__(self, context: Any, settings: _child.Settings, timeout_s: float) -> None:
        self._context = context
        self._settings = settings
        self._timeout_s = timeout_s
        self._process: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def run(self, src: Path, workdir: Path) -> Reading:
        with self._lock:
            # A child that just exited for being idle can miss the job we send it; it never
            # says "started", so send the job once more to a fresh child.
            why = "no answer"
            for _ in range(2):
                try:
                    conn = self._start()
                    conn.send((str(src), str(workdir)))
                    started = self._wait(conn, time.monotonic() + _START_TIMEOUT_S)
                except (EOFError, OSError, TimeoutError):
                    why = _describe_exit(self._kill())
                    continue
                if started == ("started",):
                    return self._result(conn)
                self._kill()
            raise ReadError(
                f"The document reader could not start ({why}). It will try again.",
                permanent=False,
                code="crashed",
            )

    def reap(self) -> bool:
        """Forget the child if it has exited on its own; never waits for a busy slot."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            if self._process is None or self._process.is_alive():  # is_alive() reaps
                return False
            self._kill()
            return True
        finally:
            self._lock.release()

    def stop(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(timeout=5)
            self._kill()

    def _result(self, conn: Connection) -> Reading:
        deadline = time.monotonic() + self._timeout_s
        try:
            message = self._wait(conn, deadline)
        except TimeoutError:
            self._kill()
            raise ReadError(
                f"Reading this document took longer than {self._timeout_s:.0f} seconds and "
                "was stopped. It will be tried again; a very long or very large scan may "
                "need to be split.",
                permanent=False,
                code="timeout",
            ) from None
        except (EOFError, OSError):
            code = self._kill()
            raise ReadError(
                "The document reader stopped unexpectedly "
                f"({_describe_exit(code)}). It will try again.",
                permanent=False,
                code="crashed",
            ) from None
        kind, payload = message
        if kind == "ok":
            assert isinstance(payload, Reading)
            return payload
        assert isinstance(payload, ReadError)
        raise payload

    def _wait(self, conn: Connection, deadline: float) -> Any:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            # poll() also wakes when the child dies: recv() then raises EOFError.
            if conn.poll(min(remaining, 1.0)):
                return conn.recv()
            if self._process is not None and not self._process.is_alive() and not conn.poll():
                raise EOFError

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._kill()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_child.main, args=(child, self._settings), name="kinchart-reader", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        ready = self._wait(parent, time.monotonic() + _START_TIMEOUT_S)
        if ready != ("ready",):
            raise EOFError
        return parent

    def _kill(self) -> int | None:
        """Kill the child and its process group; return how the child ended."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.pid is not None:
            # The child leads its own process group, which holds its Tesseracts too; they
            # outlive a child that crashed unless killed. The group still exists while the
            # unreaped child keeps its pid, so this cannot hit an unrelated process.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        return process.exitcode


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
