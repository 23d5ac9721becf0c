"""Benchmark harness: cold, no-op and add-one-article builds over generated corpora.

Usage:
    python bench/run.py [--sizes 1000,10000,100000] [--repeat 3] [--warmup 1]
                        [--out docs/benchmarks.md] [--build-cmd "python build.py"]
                        [--config FILE] [--hugo PATH] [--work DIR] [--seed S] [--timeout S]

For each size N: make (or reuse) the corpus of N articles with make_corpus.py, then
  1. cold build: fresh output folder and `--clean`, `--warmup` times unmeasured, then
     `--repeat` times;
  2. no-op rebuild: the same build again with nothing changed, `--repeat` times;
  3. add-one rebuild: write article N, rebuild, then delete it and rebuild again so every
     repeat starts from the same N-article state, `--repeat` times;
  4. with `--hugo`, cold Hugo builds of the equivalent site, alternated with the cold builds.
Every child is timed alone: wall clock around it, CPU and peak RSS from os.wait4 for that
child (and the children it waited for), never this process's accumulated usage. Tables show
medians; every single timing is listed under them. The Markdown report goes to `--out`.

Stages run one after another and stop at the first failed build, which is reported with the
tail of its output; the exit code is then 1. `--timeout` bounds every single build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import make_corpus
from measure import BenchError, Run, SizeResult, compare, output_stats, run_measured, snapshot
from report import filesystem_of, git_commit, render_report, result_tables

REPO = Path(__file__).resolve().parents[1]
# The Hugo scripts live beside the repository in the shared tools, never copied into it.
HUGO_COMPARE = REPO / ".." / "shared" / "tools" / "hugo-compare"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "arshif-bench"
# Builds run as a user's would: with Python's bytecode cache. A machine that sets
# PYTHONDONTWRITEBYTECODE (this project's sandbox does) would otherwise recompile the engine in
# every run, 30 ms of a 0.3 s no-op that no installed copy ever pays.
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# --------------------------------------------------------------------------- corpora


def corpus_paths(work: Path, n: int, seed: str, markdown_only: bool = False) -> tuple[Path, Path]:
    """(corpus folder, its stamp file) for one size and seed."""
    name = f"corpus-{n}-seed{seed}" + ("-md" if markdown_only else "")
    return work / name, work / f"{name}.stamp"


def ensure_corpus(work: Path, n: int, seed: str, markdown_only: bool = False) -> tuple[Path, str]:
    """The corpus of n articles under work, generated once and reused while still valid.

    A stamp beside the corpus (not inside, where a build would read it) records what made it;
    it is written only after a complete generation and removed while the harness changes the
    corpus, so an interrupted run never leaves a corpus that is silently wrong.
    """
    corpus, stamp = corpus_paths(work, n, seed, markdown_only)
    wanted = corpus_identity(n, seed, markdown_only)
    if stamp.exists() and corpus.is_dir() and stamp.read_text(encoding="utf-8") == wanted:
        return corpus, "cached"
    stamp.unlink(missing_ok=True)
    stats = make_corpus.write_corpus(n, corpus, seed, markdown_only=markdown_only)
    stamp.write_text(wanted, encoding="utf-8")
    return corpus, f"generated in {stats.seconds:.1f} s ({stats.files} files, {stats.bytes} bytes)"


def corpus_identity(n: int, seed: str, markdown_only: bool) -> str:
    generator = hashlib.sha256(Path(make_corpus.__file__).read_bytes()).hexdigest()[:12]
    return json.dumps(
        {
            "n": n,
            "seed": seed,
            "markdown_only": markdown_only,
            "generator": generator,
            "seeds": pool_fingerprint(),
        },
        sort_keys=True,
    )


def pool_fingerprint() -> str:
    return make_corpus.load_pool().fingerprint


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- stages


@dataclass(frozen=True)
class Setup:
    build_cmd: tuple[str, ...]
    config: Path | None
    work: Path
    seed: str
    repeat: int
    warmup: int
    timeout: float
    hugo: Path | None
    hugo_compare: Path


def arshif_cmd(setup: Setup, corpus: Path, out: Path, clean: bool) -> list[str]:
    cmd = [*setup.build_cmd, "build", "--articles", str(corpus), "--out", str(out)]
    if setup.config:
        cmd += ["--config", str(setup.config)]
    return [*cmd, "--clean"] if clean else cmd


def measured_rebuild(setup: Setup, corpus: Path, out: Path) -> Run:
    before = snapshot(out)
    run = run_measured(arshif_cmd(setup, corpus, out, clean=False), REPO, setup.timeout, BUILD_ENV)
    return Run(run.wall, run.cpu, run.maxrss_kib, run.stdout, compare(before, snapshot(out)))


def bench_size(setup: Setup, result: SizeResult) -> None:
    """Fill result for one size, stage by stage; raises BenchError when a build fails."""
    corpus, result.corpus_note = ensure_corpus(setup.work, result.n, setup.seed)
    log(f"{result.n}: corpus {result.corpus_note}")
    out = setup.work / f"out-{result.n}"
    hugo_site = prepare_hugo(setup, result.n) if setup.hugo else None
    cold_builds(setup, result, corpus, out, hugo_site)
    for r in range(setup.repeat):
        run = measured_rebuild(setup, corpus, out)
        result.noop.append(run)
        log(f"{result.n}: no-op {r + 1}/{setup.repeat}: {run.wall:.2f} s, changed {run.change}")
    add_one_rebuilds(setup, result, corpus, out)


def cold_builds(
    setup: Setup, result: SizeResult, corpus: Path, out: Path, hugo_site: Path | None
) -> None:
    n = result.n
    for r in range(setup.warmup + setup.repeat):
        # Warm-up runs fill the OS page cache and compile bytecode; they are listed, not counted.
        warm = r < setup.warmup
        label = (
            f"warm-up {r + 1}/{setup.warmup}" if warm else f"{r - setup.warmup + 1}/{setup.repeat}"
        )
        remove_tree(out)
        run = run_measured(
            arshif_cmd(setup, corpus, out, clean=True), REPO, setup.timeout, BUILD_ENV
        )
        (result.warmup if warm else result.cold).append(run)
        log(f"{n}: cold {label}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU")
        if hugo_site:
            # Alternating the two tools spreads the machine's drift over both, not one.
            hugo_run = run_hugo(setup, hugo_site, n)
            (result.hugo_warmup if warm else result.hugo).append(hugo_run)
            log(f"{n}: hugo {label}: {hugo_run.wall:.2f} s wall")
    # Every cold build writes the same tree, so the last one stands for all.
    result.pages, result.out_files, result.out_bytes, result.search_bytes = output_stats(
        snapshot(out)
    )
    if result.pages == 0:
        log(f"{n}: warning: no .html files under {out}")
    if hugo_site:
        result.hugo_pages = output_stats(snapshot(setup.work / f"hugo-out-{n}"))[0]


def add_one_rebuilds(setup: Setup, result: SizeResult, corpus: Path, out: Path) -> None:
    """Add article N, rebuild (measured), remove it and rebuild, so repeats start alike."""
    n = result.n
    stamp = corpus_paths(setup.work, n, setup.seed)[1]
    identity = stamp.read_text(encoding="utf-8")
    added = sorted(make_corpus.render_files(make_corpus.make_article(n, setup.seed)))
    result.added_files = tuple(added)
    stamp.unlink()  # the corpus is not the cached N articles until the finally block
    try:
        for r in range(setup.repeat):
            make_corpus.write_corpus(n + 1, corpus, setup.seed, start=n)
            run = measured_rebuild(setup, corpus, out)
            result.add_one.append(run)
            log(f"{n}: add-one {r + 1}/{setup.repeat}: {run.wall:.2f} s, changed {run.change}")
            for name in added:
                (corpus / name).unlink()
            # Timed for the record, though the table leaves it out.
            result.remove_one.append(measured_rebuild(setup, corpus, out))
    finally:
        for name in added:
            (corpus / name).unlink(missing_ok=True)
        stamp.write_text(identity, encoding="utf-8")


def prepare_hugo(setup: Setup, n: int) -> Path:
    """The equivalent Hugo site for size n, from the same articles all written as Markdown."""
    assert setup.hugo is not None
    corpus, note = ensure_corpus(setup.work, n, setup.seed, markdown_only=True)
    log(f"{n}: Markdown-only corpus for Hugo {note}")
    site = setup.work / f"hugo-site-{n}"
    script = setup.hugo_compare / "hugo_site.sh"
    env = {**os.environ, "HUGO": str(setup.hugo)}
    run_measured(["sh", str(script), str(corpus), str(site)], REPO, setup.timeout, env)
    return site


def hugo_version(hugo: Path) -> str:
    try:
        said = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=False)
    except OSError as exc:
        return f"{hugo} ({exc})"
    # The first words name the version; the rest is build hashes and dates.
    return " ".join(said.stdout.split()[:2]).split("-")[0] or str(hugo)


def run_hugo(setup: Setup, site: Path, n: int) -> Run:
    assert setup.hugo is not None
    out, cache = setup.work / f"hugo-out-{n}", setup.work / f"hugo-cache-{n}"
    remove_tree(out)
    remove_tree(cache)
    cmd = [str(setup.hugo), "--quiet", "-s", str(site), "-d", str(out), "--cacheDir", str(cache)]
    return run_measured(cmd, REPO, setup.timeout)


# --------------------------------------------------------------------------- command line


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the final tables."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of numbers: {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be 1 or more")
    return sizes


def build_command(text: str) -> tuple[str, ...]:
    """Split --build-cmd; a bare `python` means the interpreter running this harness.

    The engine needs the interpreter that has its dependencies installed, which is the one
    the harness was started with, not whichever `python` comes first on PATH.
    """
    cmd = shlex.split(text)
    if cmd and cmd[0] in ("python", "python3"):
        cmd[0] = sys.executable
    return tuple(cmd)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Benchmark Arshif builds on generated corpora.")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1000, 10000, 100000],
        help="comma-separated corpus sizes (default 1000,10000,100000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="cold builds run first and left out of the medians (default 1)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs/benchmarks.md"),
        help="Markdown report to write (default docs/benchmarks.md)",
    )
    parser.add_argument(
        "--build-cmd",
        default="python build.py",
        help="engine command, run from the repository root (default: "
        "'python build.py', python being this interpreter)",
    )
    parser.add_argument("--config", type=Path, help="passed to the engine as --config")
    parser.add_argument(
        "--hugo", type=Path, help="hugo binary: also build the equivalent Hugo site"
    )
    parser.add_argument(
        "--hugo-compare",
        type=Path,
        default=HUGO_COMPARE,
        help="folder with hugo_site.sh and convert_corpus.py "
        "(default ../shared/tools/hugo-compare beside the repository)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help=f"corpora and outputs, reused between runs (default {DEFAULT_WORK})",
    )
    parser.add_argument("--seed", default=make_corpus.DEFAULT_SEED, help="corpus seed (default 42)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds one build may take before it is killed (default 1800)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if args.warmup < 0:
        parser.error("--warmup must be 0 or more")
    if args.hugo and not (args.hugo_compare / "hugo_site.sh").is_file():
        parser.error(f"--hugo needs {args.hugo_compare}/hugo_site.sh (see --hugo-compare)")

    setup = Setup(
        build_cmd=build_command(args.build_cmd),
        config=args.config.resolve() if args.config else None,
        work=args.work.resolve(),
        seed=args.seed,
        repeat=args.repeat,
        warmup=args.warmup,
        timeout=args.timeout,
        hugo=args.hugo.resolve() if args.hugo else None,
        hugo_compare=args.hugo_compare.resolve(),
    )
    setup.work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    results: list[SizeResult] = []
    failed = False
    for n in args.sizes:
        result = SizeResult(n)
        results.append(result)
        try:
            bench_size(setup, result)
        except BenchError as err:
            # Later sizes would fail the same way; stop, but still write what was measured.
            result.error = str(err)
            log(f"{n}: FAILED: {err}")
            failed = True
            break

    context = [
        ("Work folder", f"{setup.work} ({filesystem_of(setup.work)})"),
        ("Date", started.strftime("%Y-%m-%d %H:%M UTC")),
        ("Commit", git_commit()),
        ("Build command", f"`{shlex.join(setup.build_cmd)}`"),
        ("Corpus", f"make_corpus.py, seed {setup.seed}, seed texts {pool_fingerprint()}"),
    ]
    if setup.hugo:
        context.append(("Hugo", hugo_version(setup.hugo)))
    command = shlex.join(["python", "bench/run.py", *argv])
    report = render_report(
        results, context, command, setup.repeat, setup.warmup, setup.hugo is not None
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(result_tables(results, setup.hugo is not None))
    log(f"report written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The running build was already stopped by run_measured; no report for a partial run.
        log("interrupted")
        sys.exit(130)
