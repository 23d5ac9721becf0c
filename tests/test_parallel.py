"""Work spread over forked workers gives what a serial run gives, errors included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from arshif import parallel
from arshif.errors import SourceError

from support import Run, tree

REPO = Path(__file__).resolve().parents[1]
Runner = Callable[..., Run]


def _square_or_fail(n: int) -> int:
    if n == 150:
        raise SourceError(Path(f"article-{n}.md"), "bad article", 3)
    return n * n


# Every test here may fork (conftest.py); the guard against threads has a test of its own.
pytestmark = pytest.mark.usefixtures("forking_allowed")


def test_results_come_back_in_task_order(two_jobs: None) -> None:
    items = list(range(149))
    assert list(parallel.ordered_map(_square_or_fail, items)) == [n * n for n in items]


def test_results_come_back_in_task_order_in_the_largest_chunks(two_jobs: None) -> None:
    items = [n for n in range(20_000) if n != 150]
    assert parallel._chunksize(len(items), 2) == parallel.MAX_CHUNK
    assert list(parallel.ordered_map(_square_or_fail, items)) == [n * n for n in items]


def test_an_arshif_error_in_a_worker_is_raised_here(two_jobs: None) -> None:
    with pytest.raises(SourceError) as caught:
        list(parallel.ordered_map(_square_or_fail, list(range(300))))
    assert str(caught.value) == "article-150.md:3: bad article"


def _write_or_fail(n: int) -> int:
    if n == 120:
        raise OSError(28, "No space left on device", f"_site/page-{n}.html")
    return n


def test_a_disk_error_in_a_worker_is_raised_here_as_itself(two_jobs: None) -> None:
    # Workers stage pages on disk: a full disk is reported like any OSError, not as a bug.
    with pytest.raises(OSError, match="No space left") as caught:
        list(parallel.ordered_map(_write_or_fail, list(range(300))))
    assert caught.value.filename == "_site/page-120.html"


def test_a_bug_in_a_worker_keeps_its_traceback(two_jobs: None) -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        list(parallel.ordered_map(lambda n: 1 // (n - 100), list(range(200))))


def test_small_batches_and_one_job_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    monkeypatch.setenv("ARSHIF_JOBS", "2")
    assert set(parallel.ordered_map(lambda _: os.getpid(), list(range(10)))) == {here}
    monkeypatch.setenv("ARSHIF_JOBS", "1")
    assert set(parallel.ordered_map(lambda _: os.getpid(), list(range(500)))) == {here}
    monkeypatch.setenv("ARSHIF_JOBS", "2")
    assert set(parallel.ordered_map(lambda _: os.getpid(), list(range(500)))) != {here}
    monkeypatch.setattr(parallel, "allowed", False)  # as `serve` sets it
    assert set(parallel.ordered_map(lambda _: os.getpid(), list(range(500)))) == {here}
    monkeypatch.setattr(parallel, "allowed", True)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # another thread runs
    assert set(parallel.ordered_map(lambda _: os.getpid(), list(range(500)))) == {here}


def test_a_background_job_runs_in_another_process_beside_this_one(two_jobs: None) -> None:
    here = os.getpid()
    with parallel.in_background(lambda: (os.getpid(), [n * n for n in range(1000)])) as job:
        beside = sum(range(1000))  # this process goes on meanwhile
        pid, squares = job.result()
    assert pid != here and beside == 499500
    assert squares == [n * n for n in range(1000)]


def test_two_background_jobs_share_one_process_and_come_back_in_turn(
    two_jobs: None, tmp_path: Path
) -> None:
    here = os.getpid()
    gate = tmp_path / "go"

    def second() -> int:
        # Waits for a file the parent writes only once it has the first result: the first
        # is handed over while the second is still being computed.
        while not gate.exists():
            time.sleep(0.01)
        return os.getpid()

    with parallel.in_background_pair(os.getpid, second) as (one, two):
        first = one.result()
        gate.touch()
        assert two.result() == first != here


def test_a_failing_first_job_leaves_the_second_its_result(two_jobs: None) -> None:
    with parallel.in_background_pair(lambda: 1 // 0, lambda: 7) as (one, two):
        assert two.result() == 7  # taken first: the first one's outcome is kept meanwhile
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            one.result()


def test_a_background_job_runs_here_when_forking_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    for jobs, allowed in (("1", True), ("2", False)):
        monkeypatch.setenv("ARSHIF_JOBS", jobs)
        monkeypatch.setattr(parallel, "allowed", allowed)
        with parallel.in_background(os.getpid) as job:
            assert job.result() == here
        with parallel.in_background_pair(os.getpid, os.getpid) as (one, two):
            assert (one.result(), two.result()) == (here, here)


def _fail_with(error: BaseException) -> Callable[[], None]:
    def fail() -> None:
        raise error

    return fail


@pytest.mark.parametrize(
    ("func", "error", "message"),
    [
        (_fail_with(SourceError(Path("a.md"), "bad", 2)), SourceError, r"^a\.md:2: bad$"),
        (lambda: 1 // 0, RuntimeError, "ZeroDivisionError"),
        (lambda: os._exit(3), RuntimeError, "exit code 3"),
        (lambda: lambda: None, RuntimeError, "in a build worker"),  # a result that cannot pickle
    ],
)
def test_errors_of_a_background_job_are_raised_here(
    two_jobs: None, func: Callable[[], object], error: type[Exception], message: str
) -> None:
    with parallel.in_background(func) as job, pytest.raises(error, match=message):
        job.result()


@pytest.mark.parametrize("stop", [KeyError("the build failed meanwhile"), KeyboardInterrupt()])
def test_a_background_result_nobody_takes_goes_with_its_process(
    two_jobs: None, stop: BaseException
) -> None:
    import multiprocessing

    started = time.monotonic()
    with pytest.raises(type(stop)), parallel.in_background(lambda: time.sleep(60)):
        raise stop  # a failed build, or Ctrl-C in the parent
    assert multiprocessing.active_children() == []
    assert time.monotonic() - started < 30  # stopped, not waited for


def test_parallel_build_is_byte_identical_to_a_serial_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_corpus.py"), "300", str(corpus)],
        check=True, capture_output=True,
    )  # fmt: skip
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        done = subprocess.run(
            [sys.executable, "build.py", "build", "--articles", str(corpus), "--out", str(out),
             "--clean", "-q"],
            cwd=REPO, env={**_env(), "ARSHIF_JOBS": jobs}, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs[jobs] = tree(out)
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) > 300


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "ARSHIF_JOBS"}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("{{ no_such_value }}", r"error: article\.html: 'no_such_value' is undefined"),
        ("{% if %}", r"error: .*templates/article\.html:\d+: template error"),
    ],
)
def test_a_template_error_in_a_worker_fails_the_build_and_keeps_the_site(
    site: Path, broken: str, message: str
) -> None:
    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(REPO / "build.py"), "build"],
            cwd=site, env={**_env(), "ARSHIF_JOBS": "2"}, capture_output=True, text=True,
        )  # fmt: skip

    assert build().returncode == 0
    published = tree(site / "_site")
    template = site / "templates" / "article.html"
    text = template.read_text("utf-8")  # inside a block: a child template renders only those
    template.write_text(text.replace("{% block main %}", "{% block main %}" + broken), "utf-8")
    failed = build()
    assert failed.returncode == 1
    assert re.search(message, failed.stderr), failed.stderr
    assert "Traceback" not in failed.stderr
    assert tree(site / "_site") == published
