"""Shared fixtures: the repository, a scratch copy of the site, a CLI runner, the shipped
gazetteer and the five seed articles as crude paragraphs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from arshif.cli import main
from arshif.gazetteer import Gazetteer, load_gazetteer

from support import Run

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(REPO / "gazetteer.yaml")


@pytest.fixture
def forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let arshif/parallel.py fork. An in-process `serve` test may have turned forking off, and
    browser tests leave Playwright's thread running in this process; the tasks of the tests
    that use this take no lock, so forking beside it is safe."""
    from arshif import parallel

    monkeypatch.setattr(parallel, "allowed", True)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


@pytest.fixture
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARSHIF_JOBS", "2")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the repository's site (articles, templates, static, site.yaml) to build freely."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("articles", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for extra in ("gazetteer.yaml", "slugs.lock"):
        if (REPO / extra).exists():
            shutil.copy(REPO / extra, root / extra)
    return root


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the command line in-process from a given folder."""

    def runner(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return runner


@pytest.fixture
def built(site: Path, run: Callable[..., Run]) -> Path:
    """The site built once into site/_site."""
    result = run("build", cwd=site)
    assert result.code == 0, result.err
    return site / "_site"
