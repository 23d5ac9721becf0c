"""The build stamp: a build whose inputs did not change at all ends before loading anything,
and anything that may matter (a touched source, a hand-edited output, a fresh file) takes the
ordinary incremental route."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from arshif import stamp
from arshif.config import load_config

from support import Run, stamps, tree

Runner = Callable[..., Run]


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fixture files were all copied a moment ago; the racy-timestamp guard has its own test.
    monkeypatch.setattr(stamp, "RACY_NS", 0)


def took_the_stamp(result: Run) -> bool:
    return "(stamp " in result.err and "cache " not in result.err.split("(stamp ")[1]


def test_second_build_with_nothing_changed_stops_at_the_stamp(site: Path, run: Runner) -> None:
    first = run("build", "-v", cwd=site)
    assert not took_the_stamp(first)
    before = stamps(site / "_site")
    second = run("build", "-v", cwd=site)
    assert took_the_stamp(second)
    assert "0 sources parsed, 0 pages rendered" in second.err
    assert "nothing changed: 0 files written" in second.out
    # The same notes as the build it stands for, and the same counts.
    assert "note: 2 names not in the gazetteer" in second.err
    built = re.search(r"built 5 articles, (\d+) pages \((\d+) files: \2 written", first.out)
    assert built is not None, first.out
    pages, files = built.groups()
    assert f"{files} unchanged, 0 removed (5 articles, {pages} pages)" in second.out
    assert stamps(site / "_site") == before


def test_a_touched_source_is_checked_by_its_bytes(site: Path, run: Runner) -> None:
    run("build", cwd=site)
    source = next((site / "articles").glob("002_*.txt"))
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    result = run("build", "-v", cwd=site)
    assert not took_the_stamp(result)
    assert "nothing changed: 0 files written" in result.out


def test_an_edit_changes_the_site_after_a_stamped_build(site: Path, run: Runner) -> None:
    run("build", cwd=site)
    run("build", cwd=site)
    source = next((site / "articles").glob("002_*.txt"))
    source.write_text(source.read_text("utf-8").replace("ستولتنبرغ", "ستولتنبرج", 1), "utf-8")
    result = run("build", "-v", cwd=site)
    assert not took_the_stamp(result)
    assert "1 sources parsed" in result.err


@pytest.mark.parametrize("edit", ["delete", "rewrite"])
def test_a_published_file_changed_by_hand_is_restored(site: Path, run: Runner, edit: str) -> None:
    run("build", cwd=site)
    clean = tree(site / "_site")
    page = site / "_site" / "index.html"
    if edit == "delete":
        page.unlink()
    else:
        page.write_bytes(b"<p>edited</p>")
    result = run("build", "-v", cwd=site)
    assert not took_the_stamp(result)
    assert tree(site / "_site") == clean


def test_template_static_and_settings_changes_are_inputs(site: Path) -> None:
    config = load_config(site / "site.yaml")
    first = stamp.build_stamp(config, "engine")
    assert first is not None and first == stamp.build_stamp(config, "engine")
    assert stamp.build_stamp(config, "another engine") != first
    for path in (site / "templates" / "base.html", site / "static" / "style.css"):
        path.write_bytes(path.read_bytes() + b"\n")
        again = stamp.build_stamp(config, "engine")
        assert again not in (None, first)
        first = again
    (site / "static" / "extra.txt").write_text("x")
    assert stamp.build_stamp(config, "engine") != first


def test_no_stamp_is_trusted_while_a_file_is_fresh(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamp, "RACY_NS", 3600 * 10**9)  # everything here is under an hour old
    assert stamp.build_stamp(load_config(site / "site.yaml"), "engine") is None


def test_clean_builds_ignore_the_stamp(site: Path, run: Runner) -> None:
    run("build", cwd=site)
    result = run("build", "--clean", "-v", cwd=site)
    assert not took_the_stamp(result)
    assert "5 sources parsed" in result.err


def test_the_engine_key_moves_when_a_library_is_reinstalled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another Markdown or Babel can change the HTML: its installed files are in the key.
    package = tmp_path / "arshif_test_library"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(stamp, "_LIBRARIES", (*stamp._LIBRARIES, "arshif_test_library"))
    before = stamp.engine_key()
    assert stamp.engine_key() == before
    (package / "__init__.py").unlink()
    (package / "__init__.py").write_text("VERSION = 22\n", "utf-8")  # as pip would: a new file
    assert stamp.engine_key() != before
    assert stamp._installed("arshif_no_such_library") == "?"


def test_a_build_that_records_a_new_slug_is_followed_by_a_stamped_one(
    site: Path, run: Runner
) -> None:
    # A new article's slug goes into slugs.lock, an input: the lock is stamped by its bytes,
    # so the build that wrote it leaves a stamp the next build can match.
    run("build", cwd=site)
    (site / "articles" / "new.md").write_text(
        "---\ntitle: مقال جديد\ndate: 2021-05-01\nsource: إيلاف\n---\nنص المقال عن بغداد.\n",
        "utf-8",
    )
    lock = site / "slugs.lock"
    before = lock.read_bytes() if lock.exists() else b""
    added = run("build", "-v", cwd=site)
    assert not took_the_stamp(added)
    assert lock.read_bytes() != before  # the new slug was recorded
    assert took_the_stamp(run("build", "-v", cwd=site))
    # A hand edit of the lock is still seen.
    lock.write_bytes(lock.read_bytes() + b"\n")
    assert not took_the_stamp(run("build", "-v", cwd=site))


def test_a_stamped_build_reads_its_report_without_the_pipeline(site: Path, run: Runner) -> None:
    time.sleep(2.1)  # the child keeps the real racy-timestamp guard: sources must be older
    run("build", cwd=site)
    # A fresh interpreter, as a real no-op is: which engine modules did reading the report need?
    probe = (
        "import sys\n"
        "from arshif.cli import main\n"
        "code = main(['build', '-v'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('arshif.')))\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, check=True
    )
    assert "nothing changed: 0 files written" in done.stdout
    loaded = done.stdout.strip().splitlines()[-1]
    for heavy in ("arshif.pipeline", "arshif.search", "arshif.similar", "arshif.render"):
        assert f"'{heavy}'" not in loaded, loaded
    # The notes it stands for are all there: the seeds' shared passages with their articles.
    shared = [line for line in done.stderr.splitlines() if "shared passage" in line]
    assert any("000_" in line and "003_" in line for line in shared), done.stderr
