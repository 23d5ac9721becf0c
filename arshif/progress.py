"""What a build shows on the terminal: progress while it runs, then its report.

The pipeline only opens stages (`with progress.stage("render", n) as tick: … tick()`); how
they are shown is decided here, from --quiet/--verbose and whether stderr is a terminal: a
one-line bar on a terminal, plain lines in a log (CI). `print_report` prints the warnings and
the summary line for `build` and `serve`. Nothing here affects the built site.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .config import SiteConfig
    from .report import BuildReport

QUIET, NORMAL, VERBOSE = 0, 1, 2
# In a log (CI), stages shorter than this many items print nothing at the normal level.
LOG_MIN_ITEMS = 1000
_BAR_WIDTH = 28
_REDRAW_SECONDS = 0.1
_BAR_DELAY_SECONDS = 0.3  # quick stages never flash a bar


class Progress:
    """Progress of the build's stages, on stderr."""

    def __init__(
        self, level: int = NORMAL, stream: TextIO | None = None, tty: bool | None = None
    ) -> None:
        self.level = level
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Callable[[], None]]:
        if self.level == QUIET:
            yield _nothing
            return
        if self.tty:
            with self._bar(label, total) as tick:
                yield tick
            return
        loud = self.level >= VERBOSE or total >= LOG_MIN_ITEMS
        started = time.perf_counter()
        if loud:
            self._line(f"{label}: {total} …")
        yield _nothing
        if loud:
            self._line(f"{label}: done in {time.perf_counter() - started:.2f} s")

    @contextmanager
    def _bar(self, label: str, total: int) -> Iterator[Callable[[], None]]:
        started = time.perf_counter()
        done = 0
        drawn_at = 0.0
        drawn = False

        def tick() -> None:
            nonlocal done, drawn_at, drawn
            done += 1
            now = time.perf_counter()
            if now - started < _BAR_DELAY_SECONDS or now - drawn_at < _REDRAW_SECONDS:
                return
            drawn_at, drawn = now, True
            filled = _BAR_WIDTH * done // max(total, 1)
            bar = "█" * filled + "·" * (_BAR_WIDTH - filled)
            self.stream.write(f"\r{label:<8} {bar} {done}/{total}")
            self.stream.flush()

        try:
            yield tick
        finally:
            if drawn:
                self.stream.write("\r\x1b[2K")  # clear the bar's line
                self.stream.flush()
            if self.level >= VERBOSE:
                self._line(f"{label}: {total} in {time.perf_counter() - started:.2f} s")

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


def _nothing() -> None:
    pass


SILENT = Progress(QUIET)


def print_report(report: BuildReport, config: SiteConfig, level: int) -> None:
    """Warnings on stderr, then one summary line (and, verbose, every change and timing)."""
    if level == QUIET:
        return
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for src in report.undated:
        print(f"warning: {src}: undated (no date in metadata, file name or text)", file=sys.stderr)
    if report.candidates:
        # Names after titles and roles that the gazetteer does not know: an editor may add them.
        print(f"note: {len(report.candidates)} names not in the gazetteer"
              + ("" if level >= VERBOSE else " (-v lists them)"), file=sys.stderr)  # fmt: skip
    if report.clusters:
        print(f"note: {len(report.clusters)} passages appear in several articles"
              + ("" if level >= VERBOSE else " (-v lists them)"), file=sys.stderr)  # fmt: skip
    if level >= VERBOSE:
        for name, sources in sorted(report.candidates.items()):
            print(f"note: candidate name «{name}» in {_some(sources)}", file=sys.stderr)
        for cluster in report.clusters:
            text = cluster.text if len(cluster.text) <= 80 else cluster.text[:79] + "…"
            print(f"note: shared passage «{text}» in {_some(cluster.articles)}", file=sys.stderr)
        for change in report.changes:
            print(change)
        timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items())
        print(
            f"{report.parsed} sources parsed, {report.rendered} pages rendered ({timings})",
            file=sys.stderr,
        )
    print(f"{report.summary()} → {shown(config.output_dir)}", flush=True)


LISTED = 10  # files named per note; a wire story or a common name is in thousands


def _some(files: Sequence[str]) -> str:
    """The first LISTED files, and how many more: one note stays one line."""
    if len(files) <= LISTED:
        return ", ".join(files)
    return f"{', '.join(files[:LISTED])} and {len(files) - LISTED} more"


def shown(path: Path) -> str:
    """`path` as the user would type it from here."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
