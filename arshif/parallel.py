"""Spread a build stage's independent tasks over the machine's cores.

Used by pipeline.py for the two stages whose cost is one task per item: parsing the sources
that changed and rendering the pages that are not current. Workers are forked once the
stage's inputs exist, so they start with the archive, the plan and the Jinja environment
already in memory (copy-on-write) and receive only task numbers; results come back in task
order, so the output is the same as a serial run's, byte for byte.

Small batches stay in this process: forking costs more than a few dozen tasks. So does any
process running other threads (`serve` watches files from one), because a fork copies
locks held by threads that do not exist in the child.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import ArshifError

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 64  # fewer tasks than this run in-process
CHUNK = 16  # tasks per message: amortises pickling without starving the last worker

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


def ordered_map(func: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """`map(func, items)`, computed in forked workers when that pays off.

    `func` runs in the workers exactly as it would here; an ArshifError or OSError it raises
    is raised here, in task order, as if the map were serial.
    """
    workers = min(jobs(), len(items) // CHUNK or 1)
    if (
        not allowed
        or workers < 2
        or len(items) < MIN_PARALLEL
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(func, items)
        return
    global _task
    _task = func
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        for ok, value in pool.imap(_run, items, chunksize=CHUNK):
            if not ok:
                raise value
            yield value
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _task = None


def _run(item: Any) -> tuple[bool, Any]:
    assert _task is not None
    try:
        return True, _task(item)
    except (ArshifError, OSError) as err:  # bad input or a full disk: reported, not a bug
        return False, err
    except Exception:  # a bug: keep its traceback, which would not survive the pipe
        return False, RuntimeError(f"in a build worker:\n{traceback.format_exc()}")
