"""Fetch and parse in worker processes while this process stores.

Network waits overlap (a slow server no longer holds up every feed behind it), and
parsing, which is pure Python inside feedparser, uses more than one core. The database
work stays in the calling process, in feed order, one transaction per feed, so everything
run.py promises about transactions and crashes holds unchanged. Workers never touch the
database; they return small `Prepared` values (parsed items, no body).

Given the run's gazetteer, workers also find the actors each item mentions (the costliest
step of linking, pure CPU): forked workers inherit the gazetteer as it is in memory, with
nothing to pickle. Where processes are spawned instead, matching stays in the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING

from tracker.ingest.fetch import FetchLimits, make_client
from tracker.ingest.pull import FeedState, Prepared, prepare
from tracker.text import one_line

if TYPE_CHECKING:
    import httpx

    from tracker.linking.prematch import Prematcher

MIN_FEEDS = 8  # below this, starting workers costs more than it saves
_CLIENT: httpx.Client | None = None  # one per worker process
_PREMATCH: Prematcher | None = None  # the run's gazetteer, inherited at fork


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _init_worker(prematch: Prematcher | None = None) -> None:
    global _PREMATCH
    _PREMATCH = prematch
    _die_with_parent()


def _die_with_parent() -> None:
    """Exit when the parent dies, even by SIGKILL. Forked workers hold copies of the task
    pipe, so they would otherwise never see it close and linger."""
    parent = os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # everywhere else: notice being re-parented
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    import threading

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(state: FeedState, limits: FetchLimits) -> Prepared:
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = make_client(limits)
    return prepare(state, limits, _CLIENT, _PREMATCH)


class Preparer:
    """prepare() for a stream of feeds, in worker processes when jobs > 1, in order.
    `prematch` (optional) is handed to forked workers; in-process, the parent matches
    only the items it stores, when it links them."""

    def __init__(self, limits: FetchLimits, jobs: int, prematch: Prematcher | None = None) -> None:
        self.limits = limits
        self.jobs = jobs
        self.prematch = prematch
        self._pool: ProcessPoolExecutor | None = None
        self._client: httpx.Client | None = None

    def __enter__(self) -> Preparer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            # on an error or Ctrl-C, do not wait for feeds nobody will store
            self._pool.shutdown(wait=kind is None, cancel_futures=kind is not None)
        if self._client is not None:
            self._client.close()

    def _local(self, state: FeedState) -> Prepared:
        if self._client is None:
            self._client = make_client(self.limits)
        return prepare(state, self.limits, self._client)

    def _pool_or_none(self) -> ProcessPoolExecutor | None:
        if self.jobs <= 1:
            return None
        if self._pool is None:
            fork = "fork" in multiprocessing.get_all_start_methods()
            # fork: workers start in milliseconds with every module (and the gazetteer)
            # already in memory; initargs are inherited, not pickled
            context = multiprocessing.get_context("fork" if fork else "spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self.prematch if fork else None,),
            )
        return self._pool

    def stream(self, states: Iterable[FeedState]) -> Iterator[tuple[FeedState, Prepared]]:
        """(state, prepared) for each feed, in the order given; at most 2×jobs in flight."""
        pool = self._pool_or_none()
        if pool is None:
            for state in states:
                yield state, self._local(state)
            return
        pending: deque[tuple[FeedState, Future[Prepared]]] = deque()
        source = iter(states)
        for state in source:
            pending.append((state, self._submit(pool, state)))
            if len(pending) >= 2 * self.jobs:
                break
        while pending:
            state, future = pending.popleft()
            nxt = next(source, None)
            if nxt is not None:
                pending.append((nxt, self._submit(pool, nxt)))
            try:
                prepared = future.result()
            except Exception as exc:  # a crashed worker fails this feed, not the run
                prepared = Prepared(
                    None,
                    None,
                    None,
                    error=f"worker failed: {type(exc).__name__}: {one_line(exc, 200)}",
                    started=time.monotonic(),
                )
            yield state, prepared

    def _submit(self, pool: ProcessPoolExecutor, state: FeedState) -> Future[Prepared]:
        try:
            return pool.submit(_work, state, self.limits)
        except RuntimeError:  # the pool broke (a worker was killed): carry on in-process
            done: Future[Prepared] = Future()
            done.set_result(self._local(state))
            return done
