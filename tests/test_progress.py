"""What long builds show: a redrawn bar on a terminal, plain lines in logs, nothing when quiet."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from arshif import progress as progress_module
from arshif.progress import NORMAL, QUIET, VERBOSE, Progress

from support import Run

Runner = Callable[..., Run]


def run_stage(progress: Progress, total: int) -> None:
    with progress.stage("render", total) as tick:
        for _ in range(total):
            tick()


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reading of the clock is 50 ms after the last."""
    ticks = itertools.count()
    monkeypatch.setattr(progress_module.time, "perf_counter", lambda: next(ticks) * 0.05)


def test_a_terminal_gets_one_bar_redrawn_in_place_then_cleared(slow_clock: None) -> None:
    stream = io.StringIO()
    run_stage(Progress(NORMAL, stream, tty=True), 40)
    text = stream.getvalue()
    assert text.count("\n") == 0
    assert "\rrender   " in text and "/40" in text and "█" in text
    assert text.endswith("\r\x1b[2K")


def test_a_quick_stage_never_flashes_a_bar() -> None:
    stream = io.StringIO()
    run_stage(Progress(NORMAL, stream, tty=True), 3)
    assert stream.getvalue() == ""


def test_a_log_gets_plain_lines_for_long_stages_only() -> None:
    stream = io.StringIO()
    progress = Progress(NORMAL, stream, tty=False)
    run_stage(progress, 5)
    assert stream.getvalue() == ""
    run_stage(progress, 2000)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "render: 2000 …"
    assert lines[1].startswith("render: done in ") and len(lines) == 2


def test_verbose_logs_every_stage_and_quiet_none() -> None:
    loud, silent = io.StringIO(), io.StringIO()
    run_stage(Progress(VERBOSE, loud, tty=False), 5)
    run_stage(Progress(QUIET, silent, tty=True), 5000)
    assert loud.getvalue().startswith("render: 5 …\n")
    assert silent.getvalue() == ""


def test_quiet_build_prints_nothing_but_errors(site: Path, run: Runner) -> None:
    (site / "articles" / "d.md").write_text("---\ntitel: مسودة\n---\nنص قصير.\n", "utf-8")
    result = run("build", "--quiet", cwd=site)
    assert (result.code, result.out, result.err) == (0, "", "")
    (site / "articles" / "e.md").write_text("", "utf-8")
    result = run("build", "--quiet", cwd=site)
    assert result.code == 1 and "e.md:1: article is empty" in result.err


def test_verbose_build_lists_changes_and_stage_timings(site: Path, run: Runner) -> None:
    result = run("build", "--verbose", cwd=site)
    assert "+ index.html" in result.out.splitlines()
    assert re.search(
        r"5 sources parsed, \d+ pages rendered \((stamp [0-9.]+ s, )?cache ", result.err
    )


def test_a_note_names_ten_files_and_counts_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    from arshif.config import default_config
    from arshif.report import BuildReport, ClusterNote

    files = [f"a{n:02d}.md" for n in range(25)]
    report = BuildReport(candidates={"آن ليندي": files[:3]},
                         clusters=(ClusterNote("نص مشترك", tuple(files)),))  # fmt: skip
    progress_module.print_report(report, default_config(Path.cwd()), VERBOSE)
    err = capsys.readouterr().err
    assert "note: candidate name «آن ليندي» in a00.md, a01.md, a02.md\n" in err
    assert f"in {', '.join(files[:10])} and 15 more\n" in err
    assert "a10.md" not in err
