"""Examining many files' bytes, on every core when that pays.

:class:`Examiner` runs :func:`~dapreturn.core.examine.examine` over ``(key, bytes)`` items and
yields ``(key, outcome, cache row)`` as each is done (not necessarily in order). A folder with
fewer files to examine than :func:`_threshold` says is done in this process: starting worker
processes costs more than it saves there (see ``docs/performance.md``). For larger ones, one
process per further core takes chunks from a ``ProcessPoolExecutor`` (explicit start method:
"forkserver" where there is one, else "spawn"; never "fork", which is unsafe in a program with
threads, such as the officer app) while this process takes a chunk itself whenever they are
busy, so on two cores both are used without a third process competing for them.

As with any use of :mod:`multiprocessing`, a *script* that loads a large folder must guard its
entry point with ``if __name__ == "__main__":`` (the ``dapreturn`` command, ``python -m
dapreturn`` and the apps are safe): workers import the main module.

Errors are never swallowed: an exception raised while examining (a bug, since bad content is
an outcome, not an exception) is raised here as it would be in one process. Only when worker
processes cannot be started, or stop (killed, out of memory), does the rest go on in this
process, and :attr:`Examiner.notes` says so.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import TypeVar

from dapreturn.core.examine import Examined, examine
from dapreturn.core.trust import TrustList
from dapreturn.core.vcache_rows import Row, encode

__all__ = [
    "CHUNK",
    "PARALLEL_MIN",
    "PARALLEL_MIN_SPAWN",
    "PARALLEL_MIN_WARM",
    "Examiner",
    "default_workers",
]

K = TypeVar("K")

PARALLEL_MIN = 600
"""Files to examine from which a first pool pays for itself (forkserver start: ~0.3-0.5 s)."""
PARALLEL_MIN_WARM = 150
"""The same once this process has started a pool (new workers fork in ~30 ms; measured)."""
PARALLEL_MIN_SPAWN = 1500
"""The same where workers are spawned (Windows, macOS): each imports everything anew."""
CHUNK = 32
"""Files sent to a worker at a time."""

_trust: TrustList | None = None
_rows = False
_started = False
"""Whether this process has started a forkserver pool already."""


def default_workers() -> int:
    """The number of cores this process may use."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _init(trust: TrustList | None, rows: bool) -> None:
    """Worker start: keep the trust list (sent once, not with every chunk)."""
    global _trust, _rows
    _trust, _rows = trust, rows


def _examine_chunk(chunk: list[bytes]) -> list[tuple[Examined, Row | None]]:
    """Worker: examine a chunk (and encode cache rows here, off the main process)."""
    out = []
    for data in chunk:
        ex = examine(data, _trust)
        out.append((ex, encode(ex) if _rows else None))
    return out


def _threshold() -> int:
    """How many files to examine make starting worker processes worth it, here and now."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return PARALLEL_MIN_SPAWN
    return PARALLEL_MIN_WARM if _started else PARALLEL_MIN


def _context() -> multiprocessing.context.BaseContext:
    """Forkserver (with the examining code imported once, before workers fork), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")


class Examiner:
    """Examines items in order, in worker processes when there are enough of them."""

    def __init__(self, trust: TrustList | None, *, workers: int | None, rows: bool) -> None:
        """``workers``: ``None`` picks by size, ``1`` stays in this process, ``n`` uses n."""
        self.trust = trust
        """The trust list every file is verified against."""
        self.rows = rows
        """Whether cache rows are wanted as well."""
        self.workers = workers
        """As asked; see :meth:`__init__`."""
        self.used_workers = 1
        """How many processes examined files in the last :meth:`run`."""
        self.notes: list[str] = []
        """Why worker processes were not used after all, when that happened."""

    def _one(self, data: bytes) -> tuple[Examined, Row | None]:
        ex = examine(data, self.trust)
        return ex, encode(ex) if self.rows else None

    def _serial(self, items: Iterable[tuple[K, bytes]]) -> Iterator[tuple[K, Examined, Row | None]]:
        for key, data in items:
            yield (key, *self._one(data))

    def run(self, items: Iterable[tuple[K, bytes]]) -> Iterator[tuple[K, Examined, Row | None]]:
        """Yield ``(key, outcome, row or None)`` for each item, in the order they are done."""
        it = iter(items)
        workers = self.workers if self.workers is not None else default_workers()
        if workers <= 1:
            yield from self._serial(it)
            return
        need = _threshold() if self.workers is None else 1
        head = list(islice(it, need))
        if len(head) < need:  # a small folder: workers would cost more than they save
            yield from self._serial(head)
            return
        yield from self._parallel(chain(head, it), workers)

    def _parallel(
        self, items: Iterator[tuple[K, bytes]], workers: int
    ) -> Iterator[tuple[K, Examined, Row | None]]:
        """``workers - 1`` processes take chunks; this one takes a chunk whenever they are busy.

        At most ``2 * (workers - 1) + 1`` chunks wait for the workers.
        """
        pool = ProcessPoolExecutor(
            workers - 1, mp_context=_context(), initializer=_init, initargs=(self.trust, self.rows)
        )
        global _started  # noqa: PLW0603 - one forkserver per process, started once
        _started = True
        window: dict[Future[list[tuple[Examined, Row | None]]], list[tuple[K, bytes]]] = {}
        limit = 2 * (workers - 1) + 1
        self.used_workers = workers
        try:
            while chunk := list(islice(items, CHUNK)):
                for future in [f for f in window if f.done()]:
                    done = self._harvest(future, window)
                    if done is None:
                        yield from self._rest(window, chain(chunk, items))
                        return
                    yield from done
                if len(window) >= limit:
                    yield from self._serial(chunk)
                    continue
                try:
                    window[pool.submit(_examine_chunk, [d for _, d in chunk])] = chunk
                except (OSError, RuntimeError, BrokenProcessPool) as exc:
                    self._fallback(f"worker processes could not be started ({exc})")
                    yield from self._rest(window, chain(chunk, items))
                    return
            while window:  # (not cancelled and taken back: Python 3.11 cannot break a pool then)
                finished, _ = wait(window, return_when=FIRST_COMPLETED)
                for future in finished:
                    done = self._harvest(future, window)
                    if done is None:
                        yield from self._rest(window, iter(()))
                        return
                    yield from done
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _harvest(
        self,
        future: Future[list[tuple[Examined, Row | None]]],
        window: dict[Future[list[tuple[Examined, Row | None]]], list[tuple[K, bytes]]],
    ) -> list[tuple[K, Examined, Row | None]] | None:
        """A finished chunk's results; ``None`` (chunk kept) if the workers stopped.

        Any other exception (a bug while examining) is raised here, as it would be in-process.
        """
        try:
            results = future.result()
        except BrokenProcessPool as exc:
            self._fallback(f"a worker process stopped ({exc})")
            return None
        chunk = window.pop(future)
        return [(key, ex, row) for (key, _), (ex, row) in zip(chunk, results, strict=True)]

    def _rest(
        self,
        window: dict[Future[list[tuple[Examined, Row | None]]], list[tuple[K, bytes]]],
        items: Iterator[tuple[K, bytes]],
    ) -> Iterator[tuple[K, Examined, Row | None]]:
        """Examine what is left (chunks the workers had, then the rest) in this process."""
        pending = [item for chunk in window.values() for item in chunk]
        window.clear()
        yield from self._serial(chain(pending, items))

    def _fallback(self, why: str) -> None:
        self.used_workers = 1
        self.notes.append(f"{why}; the rest was checked in this process")
