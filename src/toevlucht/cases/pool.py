"""Worker processes for the law engine, pipelined with the database work of this process.

:func:`pipelined` reads chunks of work in this process, hands each chunk's parts to forked
worker processes and yields the results in order, keeping one chunk in flight: while the
workers process it, this process reads the next one and the caller writes the previous one.
The workers inherit no open connection; a work that reads the database itself (the
forecasts' snapshot, ``forecasts.snapshot.take``, with ``read`` passing the ids on) opens
its own in each worker.

The work is a picklable callable (a module-level function, or a ``functools.partial`` of one
with its context, e.g. the date and the measures): there is no module-global state, so the
same process can run two pools with different contexts. Workers die with their parent: a
refresh killed with SIGKILL leaves no worker running (``tests/cases/test_pool.py``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from django.db import connection

__all__ = ["PARALLEL_FROM", "pipelined", "processes_for"]

PARALLEL_FROM = 5000  # cases; fewer are processed in this process alone
MAX_PROCESSES = 4
WATCH_SECONDS = 0.2  # how often a worker checks that its parent is alive


def processes_for(asked: int | None, n: int) -> int:
    """How many worker processes for ``n`` cases: as ``asked``, else one per core (at most
    four) from :data:`PARALLEL_FROM` cases, else none (1: this process alone)."""
    if asked is not None:
        return asked
    return min(os.cpu_count() or 1, MAX_PROCESSES) if n >= PARALLEL_FROM else 1


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # the parent died (its orphans are adopted by another process)


def _die_with(parent: int) -> None:
    """Worker initializer: exit as soon as ``parent`` is gone. A worker blocked on the task
    queue would otherwise wait forever: it holds the queue's write end itself (fork)."""
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="die-with-parent").start()


def pipelined[C, T, R](
    chunks: Iterable[C],
    read: Callable[[C], Sequence[T]],
    work: Callable[[Sequence[T]], R],
    processes: int,
) -> Iterator[tuple[C, Sequence[T], list[R]]]:
    """(chunk, what ``read`` returned for it, ``work``'s results on its parts) for each chunk,
    in order. With ``processes`` <= 1 everything runs here and each chunk is one part;
    otherwise each chunk is split into one part per worker process."""
    if processes <= 1:
        for chunk in chunks:
            items = read(chunk)
            yield chunk, items, [work(items)]
        return
    if not connection.in_atomic_block:
        connection.close()  # the workers fork below: let them inherit no open connection
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=mp.get_context("fork"),
        initializer=_die_with,
        initargs=(os.getpid(),),
    )
    pending: deque[tuple[C, Sequence[T], list[Future[R]]]] = deque()
    try:
        pool.submit(os.getpid).result()  # fork every worker now, before a connection opens
        for chunk in chunks:
            items = read(chunk)
            size = -(-len(items) // processes) or 1
            futures = [pool.submit(work, items[k : k + size]) for k in range(0, len(items), size)]
            pending.append((chunk, items, futures))
            if len(pending) > 1:
                done, its, fs = pending.popleft()
                yield done, its, [f.result() for f in fs]
        while pending:
            done, its, fs = pending.popleft()
            yield done, its, [f.result() for f in fs]
    finally:
        pool.shutdown(cancel_futures=True)
