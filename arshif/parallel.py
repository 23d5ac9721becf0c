"""Spread a build stage's independent tasks over the machine's cores.

Used by pipeline.py for the two stages whose cost is one task per item: parsing the sources
that changed and rendering the pages that are not current. Workers are forked once the
stage's inputs exist, so they start with the archive, the plan and the Jinja environment
already in memory (copy-on-write) and receive only task numbers; results come back in task
order, so the output is the same as a serial run's, byte for byte. `in_background` forks one
process for a whole stage that needs nothing from the stages it runs beside (the search
index, while the archive is related and the pages planned).

Small batches stay in this process: forking costs more than a few dozen tasks. So does any
process running other threads (`serve` watches files from one), because a fork copies
locks held by threads that do not exist in the child.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from .errors import ArshifError

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 64  # fewer tasks than this run in-process
CHUNK = 16  # fewest tasks per message
MAX_CHUNK = 256

_task: Callable[[Any], Any] | None = None  # set just before the fork; the children inherit it
# `serve` turns this off: a long-lived process with an HTTP server, a file watcher and a
# Ctrl-C handler is no place to fork from, and its rebuilds are small.
allowed = True


def jobs() -> int:
    """Worker processes to use: `ARSHIF_JOBS`, else the cores this process may run on."""
    wanted = os.environ.get("ARSHIF_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return (
        allowed
        and jobs() > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def ordered_map(
    func: Callable[[T], R], items: Sequence[T], min_parallel: int = MIN_PARALLEL
) -> Iterator[R]:
    """`map(func, items)`, computed in forked workers when that pays off: `min_parallel` items
    or more.

    `func` runs in the workers exactly as it would here; an ArshifError or OSError it raises
    is raised here, in task order, as if the map were serial.
    """
    workers = min(jobs(), len(items) // CHUNK or 1)
    if workers < 2 or len(items) < min_parallel or not _can_fork():
        yield from map(func, items)
        return
    global _task
    _task = func
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        for ok, value in pool.imap(_run, items, chunksize=_chunksize(len(items), workers)):
            if not ok:
                raise value
            yield value
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _task = None


def _chunksize(count: int, workers: int) -> int:
    """Tasks per message: about sixteen messages per worker, so the last one is short, within
    [CHUNK, MAX_CHUNK]. Each message costs the pool's feeder and result threads time under the
    parent's GIL: an addition at 10,000 articles sends 19,800 fingerprint tasks, and in chunks
    of 16 they took 1.23 s on two workers where chunks of 256 take 0.91 s."""
    return max(CHUNK, min(MAX_CHUNK, count // (workers * 16)))


def _run(item: Any) -> tuple[bool, Any]:
    assert _task is not None
    return _outcome(_task, item)


def _outcome(func: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    try:
        return True, func(*args)
    except (ArshifError, OSError) as err:  # bad input or a full disk: reported, not a bug
        return False, err
    except Exception:  # a bug: keep its traceback, which would not survive the pipe
        return False, RuntimeError(f"in a build worker:\n{traceback.format_exc()}")


class _Process:
    """One forked process computing functions in turn, sending each outcome when ready."""

    def __init__(self, funcs: Sequence[Callable[[], Any]]) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process: Any = context.Process(target=_send_outcomes, args=(funcs, sender))
        self.process.start()
        sender.close()
        self.count = len(funcs)
        self.outcomes: list[tuple[bool, Any]] = []

    def outcome(self, index: int) -> tuple[bool, Any]:
        while len(self.outcomes) <= index:
            try:
                self.outcomes.append(self.receiver.recv())
            except EOFError:
                self.process.join()
                gone = RuntimeError(
                    f"a build worker stopped without a result (exit code {self.process.exitcode})"
                )
                self.outcomes += [(False, gone)] * (self.count - len(self.outcomes))
        if len(self.outcomes) == self.count:
            self.stop()
        return self.outcomes[index]

    def stop(self) -> None:
        """End the process: at once when every outcome is in, else throwing away the rest."""
        if self.process is None:
            return
        if len(self.outcomes) < self.count:
            self.process.terminate()
        self.process.join()
        self.receiver.close()
        self.process = None


class Job(Generic[R]):
    """A computation started by `in_background`; `result()` waits for it."""

    def __init__(self, func: Callable[[], R]) -> None:
        self._func: Callable[[], R] | None = func
        self._process: _Process | None = None
        self._index = 0

    def result(self) -> R:
        if self._process is None:
            assert self._func is not None, "result() taken twice"
            func, self._func = self._func, None
            return func()  # not forked: computed here, now
        ok, value = self._process.outcome(self._index)
        self._process = None
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


def _send_outcomes(funcs: Sequence[Callable[[], Any]], sender: Any) -> None:
    # Ctrl-C reaches the whole process group: the parent stops this process itself, and a
    # second traceback from here would only bury its message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for func in funcs:
        ok, value = _outcome(func)
        try:
            sender.send((ok, value))
        except Exception:  # the value does not pickle: a bug, told as one
            sender.send((False, RuntimeError(f"in a build worker:\n{traceback.format_exc()}")))
    sender.close()


@contextmanager
def in_background(func: Callable[[], R]) -> Iterator[Job[R]]:
    """`func()` computed in a forked process while this one goes on (here, without one).

    Forked when the block starts, so `func` sees the memory of that moment; whatever it
    returns comes back pickled. A result not taken by the end of the block is thrown away
    with its process.
    """
    with _in_background([func]) as (job,):
        yield job


@contextmanager
def in_background_pair(
    first: Callable[[], R], second: Callable[[], T]
) -> Iterator[tuple[Job[R], Job[T]]]:
    """`in_background` for two computations, one after the other in one process: the first
    result can be taken while the second is still being computed, and one fork serves both
    (forking a build's process costs by its size)."""
    with _in_background([first, second]) as (one, two):
        yield one, two


@contextmanager
def _in_background(funcs: Sequence[Callable[[], Any]]) -> Iterator[tuple[Job[Any], ...]]:
    jobs = tuple(Job(func) for func in funcs)
    process = None
    if _can_fork():
        process = _Process(funcs)
        for index, job in enumerate(jobs):
            job._func, job._process, job._index = None, process, index  # the child has them
    try:
        yield jobs
    finally:
        if process is not None:
            process.stop()
