"""Measuring one child process and the output tree it leaves (stdlib only).

run_measured times one command: wall clock around it, CPU time and peak RSS from os.wait4 for
exactly that child. snapshot/compare say which output files a build touched. The results are
plain dataclasses that report.py turns into tables.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """A build failed or timed out; the message says which and shows its output."""


@dataclass(frozen=True)
class Change:
    """How an output tree differs between two snapshots."""

    added: int
    removed: int
    modified: int

    @property
    def total(self) -> int:
        return self.added + self.removed + self.modified

    def __str__(self) -> str:
        return f"{self.total} (+{self.added} -{self.removed} ~{self.modified})"


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    wall: float
    cpu: float
    maxrss_kib: int
    stdout: str
    change: Change | None = None


@dataclass
class SizeResult:
    """Everything measured for one corpus size."""

    n: int
    corpus_note: str = ""
    warmup: list[Run] = field(default_factory=list)
    cold: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    add_one: list[Run] = field(default_factory=list)
    remove_one: list[Run] = field(default_factory=list)
    hugo_warmup: list[Run] = field(default_factory=list)
    hugo: list[Run] = field(default_factory=list)
    added_files: tuple[str, ...] = ()
    pages: int = 0
    out_files: int = 0
    out_bytes: int = 0
    search_bytes: int | None = None
    hugo_pages: int | None = None
    error: str | None = None


def run_measured(
    cmd: Sequence[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> Run:
    """Run cmd to completion; wall time, CPU and peak RSS of that child only.

    os.wait4 returns the resource usage of exactly the child it reaps (plus descendants the
    child itself waited for), unlike getrusage(RUSAGE_CHILDREN), which sums every child this
    process ever had. The child gets its own session so a timeout can kill its whole process
    group, and nothing else.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(cmd), cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True
            )
        except OSError as exc:
            raise BenchError(f"cannot run {shlex.join(cmd)}: {exc}") from None
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            # Our child leads its own process group: this reaches its helpers and nothing else.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            # Ctrl-C reaches only our foreground group, not the child's own session: end it
            # here, or an interrupted benchmark leaves a build running in the background.
            kill()
            os.waitpid(proc.pid, 0)
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - began
        # Tell Popen the child is reaped, so it does not try to wait for it again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if timed_out.is_set():
        raise BenchError(f"timed out after {timeout:.0f} s: {shlex.join(cmd)}")
    if proc.returncode != 0:
        tail = "\n".join((stdout + stderr).strip().splitlines()[-20:])
        raise BenchError(f"exit {proc.returncode}: {shlex.join(cmd)}\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout)


Snapshot = dict[str, tuple[int, int, int]]


def snapshot(root: Path) -> Snapshot:
    """Relative path -> (inode, mtime_ns, size) of every file under root.

    The inode catches atomic replace-by-rename, which keeps size and may keep mtime; the
    mtime catches in-place rewrites. Together they tell which files a build touched.
    """
    files: Snapshot = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                st = entry.stat(follow_symlinks=False)
                files[os.path.relpath(entry.path, root)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return files


def compare(before: Snapshot, after: Snapshot) -> Change:
    modified = sum(1 for path, key in after.items() if path in before and before[path] != key)
    return Change(
        added=len(after.keys() - before.keys()),
        removed=len(before.keys() - after.keys()),
        modified=modified,
    )


def output_stats(files: Snapshot) -> tuple[int, int, int, int | None]:
    """(html pages, files, bytes, search index bytes or None) of an output snapshot."""
    pages = sum(1 for path in files if path.endswith(".html"))
    size = sum(key[2] for key in files.values())
    search = [key[2] for path, key in files.items() if path.startswith("search" + os.sep)]
    return pages, len(files), size, (sum(search) if search else None)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
