"""The Markdown report: machine description, median tables and every single run.

Pure formatting of measure.SizeResult values, apart from reading /proc and asking git for
the commit, so run.py only measures and this module only describes.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path

from measure import Run, SizeResult, median

REPO = Path(__file__).resolve().parents[1]

COLD_COLUMNS = (
    "articles",
    "pages",
    "cold wall s",
    "cold CPU s",
    "pages/s",
    "peak RSS MiB",
    "output files",
    "output bytes",
    "search index bytes",
)
REBUILD_COLUMNS = (
    "articles",
    "no-op wall s",
    "no-op files changed",
    "add-one wall s",
    "add-one files changed",
)
HUGO_COLUMNS = (
    "articles",
    "Hugo pages",
    "Hugo wall s",
    "Hugo CPU s",
    "Arshif wall s",
    "Arshif/Hugo wall",
)


def _proc_field(path: str, key: str) -> str | None:
    """The value after `key:` on the first matching line of a /proc file, if any."""
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return None


def machine_description() -> list[tuple[str, str]]:
    """CPU model, cores, memory, Python and OS: what a reader needs to compare two reports."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    mem_kib = _proc_field("/proc/meminfo", "MemTotal")
    memory = f"{int(mem_kib.split()[0]) / 1024**2:.1f} GiB" if mem_kib else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("CPU", cpu),
        ("Cores", f"{os.cpu_count()} ({usable} usable by this process)"),
        ("Memory", memory),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("OS", platform.platform()),
    ]


def filesystem_of(path: Path) -> str:
    """The file system type holding path: tmpfs and a virtual disk differ by several times."""
    target = path.resolve()
    holders = {target, *target.parents}
    best, kind = -1, "unknown file system"
    try:
        for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
            fields = line.split()
            # The deepest mount point above the path is the one that holds it.
            if len(fields) >= 3 and Path(fields[1]) in holders and len(fields[1]) > best:
                best, kind = len(fields[1]), fields[2]
    except OSError:
        pass
    return kind


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "---:") -> str:
    """A Markdown table; numbers right-aligned by default so digits line up."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def seconds(runs: Sequence[Run]) -> str:
    return f"{median([r.wall for r in runs]):.2f}" if runs else "—"


def changed(runs: Sequence[Run]) -> str:
    totals = [r.change.total for r in runs if r.change]
    return str(statistics.median_low(totals)) if totals else "—"


def cold_row(res: SizeResult) -> list[str]:
    wall = median([r.wall for r in res.cold])
    return [
        f"{res.n:,}",
        f"{res.pages:,}",
        f"{wall:.2f}",
        f"{median([r.cpu for r in res.cold]):.2f}",
        f"{res.pages / wall:,.0f}" if wall > 0 else "—",
        f"{median([r.maxrss_kib for r in res.cold]) / 1024:.0f}",
        f"{res.out_files:,}",
        f"{res.out_bytes:,}",
        f"{res.search_bytes:,}" if res.search_bytes is not None else "—",
    ]


def rebuild_row(res: SizeResult) -> list[str]:
    noop, add = res.noop, res.add_one
    return [f"{res.n:,}", seconds(noop), changed(noop), seconds(add), changed(add)]


def hugo_row(res: SizeResult) -> list[str]:
    ratio = median([r.wall for r in res.cold]) / median([r.wall for r in res.hugo])
    hugo_cpu = median([r.cpu for r in res.hugo])
    return [
        f"{res.n:,}",
        f"{res.hugo_pages or 0:,}",
        seconds(res.hugo),
        f"{hugo_cpu:.2f}",
        seconds(res.cold),
        f"{ratio:.1f}×",
    ]


def result_tables(results: Sequence[SizeResult], with_hugo: bool) -> str:
    """The median tables, one row per size that got that far."""
    cold = [cold_row(res) for res in results if res.cold]
    rebuilds = [rebuild_row(res) for res in results if res.noop]
    parts = ["### Cold build", "", table(COLD_COLUMNS, cold), ""]
    parts += ["### Rebuilds", "", table(REBUILD_COLUMNS, rebuilds), ""]
    if with_hugo:
        hugo = [hugo_row(res) for res in results if res.hugo and res.cold]
        parts += ["### Hugo, same articles", "", table(HUGO_COLUMNS, hugo), ""]
    parts += [f"**Failed at {res.n:,} articles**; see Every run.\n" for res in results if res.error]
    return "\n".join(parts)


def every_run(results: Sequence[SizeResult]) -> str:
    """Each measurement behind the medians, so a reader can judge the spread."""
    lines: list[str] = []
    for res in results:
        rows = [
            ("warm-up cold wall s (not in the medians)", [f"{r.wall:.2f}" for r in res.warmup]),
            ("cold wall s", [f"{r.wall:.2f}" for r in res.cold]),
            ("cold CPU s", [f"{r.cpu:.2f}" for r in res.cold]),
            ("cold peak RSS MiB", [f"{r.maxrss_kib / 1024:.0f}" for r in res.cold]),
            ("no-op wall s", [f"{r.wall:.2f}" for r in res.noop]),
            ("no-op files changed (+added -removed ~modified)", [str(r.change) for r in res.noop]),
            ("add-one wall s", [f"{r.wall:.2f}" for r in res.add_one]),
            ("add-one files changed", [str(r.change) for r in res.add_one]),
            ("remove-one wall s (back to N articles)", [f"{r.wall:.2f}" for r in res.remove_one]),
            ("Hugo warm-up wall s", [f"{r.wall:.2f}" for r in res.hugo_warmup]),
            ("Hugo cold wall s", [f"{r.wall:.2f}" for r in res.hugo]),
        ]
        added = ", ".join(res.added_files) or "none"
        lines += [f"**{res.n:,} articles**: corpus {res.corpus_note}; added article {added}", ""]
        lines += [f"- {label}: {', '.join(values)}" for label, values in rows if values]
        if res.cold:
            said = res.cold[-1].stdout.strip().splitlines()
            lines.append(f"- engine's summary line (last cold build): `{said[-1] if said else ''}`")
        if res.error:
            lines += ["", "Failed:", "", "```", res.error, "```"]
        lines.append("")
    return "\n".join(lines)


def render_report(
    results: Sequence[SizeResult],
    context: Sequence[tuple[str, str]],
    command: str,
    repeat: int,
    warmup: int,
    with_hugo: bool,
) -> str:
    """The whole Markdown document; context rows are added under the machine's own."""
    rows = [[key, value] for key, value in [*machine_description(), *context]]
    return (
        "\n".join(
            [
                "# Arshif benchmarks",
                "",
                f"Made by `{command}`. Medians of {repeat} run(s), after {warmup} warm-up "
                "cold build(s); every run is listed at the end.",
                "bench/README.md says how the numbers are taken and what each one means.",
                "",
                "## Machine",
                "",
                table(("", ""), rows, align="---"),
                "",
                "## Results",
                "",
                result_tables(results, with_hugo),
                "## Every run",
                "",
                every_run(results),
            ]
        ).rstrip()
        + "\n"
    )
