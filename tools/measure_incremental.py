"""Measure incremental builds on a generated corpus: cold, no-op and add-one-article.

    python tools/measure_incremental.py [--articles 10000] [--runs 3] [--work /tmp/arshif-bench]

Uses the shared corpus generator (make_corpus.py) and this checkout's templates, static files
and site.yaml. Each build runs as `python build.py` in a fresh process; wall time and CPU
time (user + sys, which the shared, noisy machine disturbs far less) are reported as
medians over the runs, with the files written. Then compares the two ways of publishing an
incremental build in-process: moving each changed file into place (what write.py does)
against hard-linking the unchanged tree into staging and swapping folders.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = Path("/work/shared/tools/hugo-compare/make_corpus.py")


def timed_build(site: Path) -> tuple[float, float, int]:
    """(wall seconds, cpu seconds, files written) of one `python build.py` run."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build"],
        cwd=site, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = os.times()
    if result.returncode != 0:
        sys.exit(result.stderr)
    cpu = after.children_user - before.children_user
    cpu += after.children_system - before.children_system
    written = re.search(r"(\d+) (?:files )?written", result.stdout)
    assert written is not None, result.stdout
    return wall, cpu, int(written[1])


def corpus(n: int, articles: Path, start: int | None = None) -> None:
    args = [sys.executable, str(MAKE_CORPUS), str(n), str(articles)]
    if start is not None:
        args += ["--from", str(start)]
    subprocess.run(args, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/arshif-bench"))
    args = parser.parse_args()

    site = args.work
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    n = args.articles
    results: dict[str, list[tuple[float, float, int]]] = {"cold": [], "no-op": [], "add-one": []}
    for _ in range(args.runs):
        shutil.rmtree(site / "_site", ignore_errors=True)
        shutil.rmtree(site / ".arshif-cache", ignore_errors=True)
        corpus(n, site / "articles")
        results["cold"].append(timed_build(site))
        results["no-op"].append(timed_build(site))
        corpus(n + 1, site / "articles", start=n)
        results["add-one"].append(timed_build(site))
    files = sum(1 for p in (site / "_site").rglob("*") if p.is_file())
    print(f"{n} articles, {files} output files, {args.runs} runs (medians):")
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        written = statistics.median(r[2] for r in runs)
        print(f"  {name:8} {wall:6.2f} s wall  {cpu:6.2f} s cpu  {written:6.0f} files written "
              f"({100 * written / files:.2f}%)")  # fmt: skip
    cold_wall = statistics.median(r[0] for r in results["cold"])
    cold_cpu = statistics.median(r[1] for r in results["cold"])
    add_wall = statistics.median(r[0] for r in results["add-one"])
    add_cpu = statistics.median(r[1] for r in results["add-one"])
    print(f"  add-one / cold: {add_wall / cold_wall:.3f} (wall), {add_cpu / cold_cpu:.3f} (cpu)")
    compare_publishing(site, n + 1, args.runs)


def compare_publishing(site: Path, n: int, runs: int) -> None:
    """Publish the same one-article change both ways, timing only the publish step."""
    sys.path.insert(0, str(REPO))
    from arshif.config import load_config
    from arshif.pipeline import build
    from arshif.write import SiteWriter

    config = load_config(site / "site.yaml")
    timings: dict[str, list[float]] = {"replace": [], "hardlink": []}
    real_conflicts = SiteWriter._conflicts
    for _ in range(runs):
        for route in ("replace", "hardlink"):
            corpus(n + 1, site / "articles", start=n)  # add one …
            build(config)
            (site / "articles" / f"article-{n:06d}.md").unlink()  # … and take it away again
            if route == "hardlink":
                SiteWriter._conflicts = lambda self: True  # type: ignore[method-assign]
            report = build(config)
            SiteWriter._conflicts = real_conflicts  # type: ignore[method-assign]
            timings[route].append(report.timings["publish"])
    print("publishing a one-article change (median of the publish step):")
    for route, values in timings.items():
        print(f"  {route:8} {statistics.median(values) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
