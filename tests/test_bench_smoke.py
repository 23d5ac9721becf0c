"""Smoke tests for the benchmark harness: the corpus generator and bench/run.py end to end.

No timing is asserted anywhere: the machines these run on are shared and noisy. What is
asserted is what the benchmark's numbers rest on: a corpus that is the same every time,
grows by exactly one article, mixes both input formats, and a report with its columns.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO / "bench" / "make_corpus.py"
RUN = REPO / "bench" / "run.py"
FAKE_ENGINE = REPO / "tests" / "bench_fake_engine.py"


def make_corpus(n: int, outdir: Path, *extra: str) -> None:
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(n), str(outdir), *extra],
        check=True,
        capture_output=True,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def metadata(text: str) -> dict[str, object]:
    """Front matter or sidecar lines as make_corpus writes them: `key: JSON or bare value`."""
    meta: dict[str, object] = {}
    for line in text.splitlines():
        key, _, value = line.partition(": ")
        meta[key] = json.loads(value) if value[:1] in '["' else value
    return meta


def front_matter(text: str) -> tuple[str, str]:
    assert text.startswith("---\n"), "Markdown article must open with front matter"
    head, _, body = text[4:].partition("\n---\n")
    return head, body


def test_corpus_is_byte_identical_across_runs(tmp_path: Path) -> None:
    make_corpus(12, tmp_path / "a")
    make_corpus(12, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_corpus_of_n_plus_one_is_corpus_of_n_plus_one_file(tmp_path: Path) -> None:
    make_corpus(12, tmp_path / "small")
    make_corpus(13, tmp_path / "big")
    small, big = tree(tmp_path / "small"), tree(tmp_path / "big")
    assert set(big) - set(small) == {"article-000012.md"}
    assert {name: big[name] for name in small} == small


def test_from_writes_only_the_new_article_and_matches_a_fresh_corpus(tmp_path: Path) -> None:
    make_corpus(14, tmp_path / "grown")
    before = tree(tmp_path / "grown")
    make_corpus(15, tmp_path / "grown", "--from", "14")
    make_corpus(15, tmp_path / "fresh")
    after = tree(tmp_path / "grown")
    assert after == tree(tmp_path / "fresh")
    # Article 14 is a raw text: it arrives as the text and its sidecar, nothing else changes.
    added = sorted(set(after) - set(before))
    assert [Path(name).suffix for name in added] == [".txt", ".yaml"]
    assert {name: after[name] for name in before} == before


def test_fresh_run_removes_its_stale_files_and_nothing_else(tmp_path: Path) -> None:
    make_corpus(13, tmp_path)
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    make_corpus(12, tmp_path)
    assert not (tmp_path / "article-000012.md").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_corpus_mixes_markdown_and_raw_texts_with_sidecars(tmp_path: Path) -> None:
    make_corpus(12, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    texts = [n for n in names if n.endswith(".txt")]
    assert len([n for n in names if n.endswith(".md")]) == 10
    assert len(texts) == 2
    for name in texts:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-article-\d{6}\.txt", name)
        sidecar = metadata((tmp_path / name).with_suffix(".yaml").read_text(encoding="utf-8"))
        assert sidecar["slug"] == name[11:-4]
        assert {"source", "tags"} <= sidecar.keys()
        raw = (tmp_path / name).read_text(encoding="utf-8")
        assert not raw.startswith("---"), "a raw text carries no metadata of its own"
        assert raw.splitlines()[0].strip(), "the headline is the first line"


def test_front_matter_and_sidecars_are_valid_yaml(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    make_corpus(40, tmp_path)
    for path in sorted(p for p in tmp_path.iterdir() if p.suffix in (".md", ".yaml")):
        text = path.read_text(encoding="utf-8")
        head = front_matter(text)[0] if path.suffix == ".md" else text
        loaded, written = yaml.safe_load(head), metadata(head)
        assert loaded.keys() == written.keys(), path.name
        for key, value in written.items():
            if key == "date":
                assert isinstance(loaded[key], dt.datetime), path.name
            elif key == "draft":
                assert loaded[key] is (value == "true"), path.name
            else:
                assert loaded[key] == value, (path.name, key)


def test_300_articles_cover_every_tag_and_source_with_unique_slugs(tmp_path: Path) -> None:
    make_corpus(300, tmp_path)
    tags: set[str] = set()
    sources: set[str] = set()
    slugs: list[str] = []
    titles: list[str] = []
    years: set[str] = set()
    datelines = {"own line": 0, "in front of the first paragraph": 0}
    for path in sorted(tmp_path.iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            lines = [line for line in text.splitlines() if line]
            titles.append(lines[0])
            years.add(path.name[:4])
            if lines[1] in ("بغداد اليوم- متابعة", "بغداد/ المدى"):
                datelines["own line"] += 1
            elif lines[1].startswith("إيلاف من "):
                datelines["in front of the first paragraph"] += 1
            continue
        meta = metadata(front_matter(text)[0] if path.suffix == ".md" else text)
        tags.update(meta["tags"])  # type: ignore[arg-type]
        sources.add(str(meta["source"]))
        slugs.append(str(meta["slug"]))
        if path.suffix == ".md":
            titles.append(str(meta["title"]))
            years.add(str(meta["date"])[:4])
    assert len(tags) == 30
    assert len(sources) == 8
    assert len(slugs) == len(set(slugs)) == 300
    assert len(titles) == len(set(titles)) == 300
    assert len(years) >= 5
    assert all(datelines.values()), datelines


def test_markdown_only_corpus_has_the_same_articles_as_markdown(tmp_path: Path) -> None:
    make_corpus(12, tmp_path / "mixed")
    make_corpus(12, tmp_path / "md", "--markdown-only")
    names = sorted(p.name for p in (tmp_path / "md").iterdir())
    assert names == [f"article-{i:06d}.md" for i in range(12)]
    raw = next((tmp_path / "mixed").glob("*-article-000004.txt")).read_text(encoding="utf-8")
    head, body = front_matter((tmp_path / "md" / "article-000004.md").read_text(encoding="utf-8"))
    headline, _, rest = raw.partition("\n")
    assert metadata(head)["title"] == headline
    assert body.split() == rest.split()


COLD_HEADER = (
    "| articles | pages | cold wall s | cold CPU s | pages/s | peak RSS MiB | output files "
    "| output bytes | search index bytes |"
)
REBUILD_HEADER = (
    "| articles | no-op wall s | no-op files changed | add-one wall s | add-one files changed |"
)


def run_bench(tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], str]:
    report = tmp_path / "benchmarks.md"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "20", "--repeat", "1", "--out", str(report),
         "--work", str(tmp_path / "work"), *extra],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    return proc, report.read_text(encoding="utf-8") if report.exists() else ""


def table_row(report: str, header: str, first_cell: str) -> list[str]:
    """The cells of the row starting with first_cell in the table under header."""
    lines = report.splitlines()
    start = lines.index(header)
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} under {header!r}")


def test_run_reports_every_column_with_a_stand_in_engine(tmp_path: Path) -> None:
    proc, report = run_bench(tmp_path, "--build-cmd", f"python {FAKE_ENGINE}")
    assert proc.returncode == 0, proc.stderr
    for heading in ("## Machine", "### Cold build", "### Rebuilds", "## Every run"):
        assert heading in report
    for key in ("| CPU |", "| Cores |", "| Memory |", "| Python |", "| Date |", "| Commit |"):
        assert key in report
    cold = table_row(report, COLD_HEADER, "20")
    assert cold[1] == "21"  # the stand-in writes one page per article and an index
    assert cold[8] != "—", "the stand-in writes search/index.json"
    rebuild = table_row(report, REBUILD_HEADER, "20")
    # The stand-in rewrites nothing on a no-op, and page, index and search index on add-one.
    assert rebuild[2] == "0"
    assert rebuild[4] == "3"
    assert COLD_HEADER in proc.stdout
    # The add-one stage leaves the cached corpus as it found it.
    assert len(list((tmp_path / "work" / "corpus-20-seed42").iterdir())) == 24


def test_run_reports_a_failed_build_and_exits_1(tmp_path: Path) -> None:
    failing = "python -c 'import sys; sys.exit(\"engine broke\")'"
    proc, report = run_bench(tmp_path, "--build-cmd", failing)
    assert proc.returncode == 1
    assert "engine broke" in report
    assert "**Failed at 20 articles**" in report


@pytest.mark.skipif(
    not (REPO / "build.py").exists(),
    reason="build.py (the engine) is not in this checkout yet; it arrives with the engine merge",
)
def test_run_end_to_end_with_the_real_engine(tmp_path: Path) -> None:
    proc, report = run_bench(tmp_path, "--build-cmd", "python build.py")
    assert proc.returncode == 0, proc.stderr[-3000:]
    cold = table_row(report, COLD_HEADER, "20")
    assert int(cold[1].replace(",", "")) >= 20, "one page per article at least"
    table_row(report, REBUILD_HEADER, "20")
