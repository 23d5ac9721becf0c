"""Deterministic Arabic news corpus for benchmarking Arshif (stdlib only).

Usage:
    python bench/make_corpus.py N DIR [--seed S] [--from K] [--markdown-only] [--seeds DIR]

Writes N articles into DIR, numbered 0..N-1. Article i depends only on (S, i) and the seed
texts, so the corpus of N+1 is the corpus of N plus article N: `--from N` with N+1 writes only
that article (the add-one-article rebuild). Without `--from`, files this script wrote earlier
in DIR are removed first, so a run always leaves exactly the same tree.

Four articles in five are Markdown, `article-000123.md`:

    ---
    title: "الناتو يوسع مهامه.. وتصاعد العنف بالعراق"
    date: 2021-03-10T14:22:00+03:00
    source: "بغداد اليوم"
    tags: ["العراق", "الناتو"]
    slug: article-000123
    summary: "..."            (one article in three)
    draft: true                (one in a hundred; `draft: false` on some others)
    ---

    paragraph

    paragraph

Every fifth article (i % 5 == 4) is a raw news text, `2021-03-10-article-000124.txt`: the
headline on the first line, then paragraphs, no metadata. Outlets with a house dateline get
one, either on its own line («بغداد اليوم- متابعة») or in front of the first paragraph
(«إيلاف من لندن: ...»). Beside it, `2021-03-10-article-000124.yaml` is a sidecar with the same
keys as front matter: always `source`, `tags` and `slug`; `date` (with the time of day) on
every other one, the rest leave the date to the file name prefix.

`--markdown-only` writes every article as Markdown with the same title, date, source, tags,
slug and body (raw texts become front matter + headline-less body): the equivalent input for
generators that read only Markdown, such as the Hugo comparison.

Titles, bodies and the vocabulary come from the seed texts, `articles/*.txt` of the repository
(byte-identical copies of the project's seed articles). Front matter strings are JSON
double-quoted, which YAML reads as double-quoted scalars (titles may contain ':' and '"').
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "articles"
DEFAULT_SEED = "42"

SOURCES = (
    "الجزيرة نت",
    "العربية",
    "بغداد اليوم",
    "إيلاف",
    "الشرق الأوسط",
    "سكاي نيوز عربية",
    "المدى",
    "القدس العربي",
)

TAGS = (
    "العراق", "الناتو", "سياسة", "اقتصاد", "أمن", "الشرق الأوسط",
    "بغداد", "دفاع", "دبلوماسية", "الإرهاب", "داعش", "الحدود",
    "الحكومة العراقية", "البرلمان", "انتخابات", "النفط", "الطاقة",
    "حقوق الإنسان", "الأمم المتحدة", "الولايات المتحدة", "إيران",
    "تركيا", "سوريا", "الخليج", "كورونا", "الصحة", "التعليم",
    "الرياضة", "ثقافة", "تكنولوجيا",
)  # fmt: skip

# House datelines as the seed texts show them. A dateline with "{city}" goes in front of the
# first paragraph; one without stands on its own line after the headline.
DATELINES: dict[str, tuple[str, ...]] = {
    "بغداد اليوم": ("بغداد اليوم- متابعة",),
    "إيلاف": ("إيلاف من {city}:",),
    "المدى": ("بغداد/ المدى",),
}
DATELINE_CITIES = ("لندن", "بغداد", "بيروت", "الرياض")

# Several years, so archives by year and month have real depth. Times are Baghdad local time.
DATE_START = dt.datetime(2018, 1, 1)
DATE_END = dt.datetime(2024, 12, 31, 23, 59)
UTC_OFFSET = "+03:00"

# Separators between the two halves of a headline, as Arabic news sites write them.
TITLE_JOINERS = ("..", ".. ", ": ", " - ", "، ")
TITLE_STRIP = ' .،:؛-"“”()«»'

# Every file this script writes matches this, so a fresh run can clear its own earlier output
# without touching anything else a user keeps in DIR.
GENERATED_NAME = re.compile(r"^(?:\d{4}-\d{2}-\d{2}-)?article-\d{6,}\.(?:md|txt|yaml)$")


@dataclass(frozen=True)
class Pool:
    """What articles are sampled from: seed paragraphs and their running words."""

    paragraphs: tuple[str, ...]
    words: tuple[str, ...]
    # Coprime with len(words); see make_title for why.
    stride: int
    fingerprint: str


@dataclass(frozen=True)
class Article:
    """One generated article, independent of the file format it is written in."""

    index: int
    slug: str
    title: str
    date: dt.datetime
    source: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    summary: str | None
    draft: bool | None  # None: no `draft` key at all
    raw: bool  # written as .txt + sidecar instead of .md
    dateline: str | None
    sidecar_date: bool
    blank_lines: bool  # raw text paragraphs separated by blank lines (else single newlines)


@dataclass(frozen=True)
class CorpusStats:
    articles: int
    files: int
    bytes: int
    seconds: float


@functools.cache
def load_pool(seeds_dir: Path = SEEDS_DIR) -> Pool:
    """Read the seed texts once: every line long enough to be a paragraph, in file order."""
    paragraphs: list[str] = []
    seen: set[str] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            # Short lines are section labels and datelines ("دولي العراق"), not body text.
            # Seeds repeat their headline in the body; a repeat would only skew sampling.
            if len(line) >= 25 and line not in seen:
                seen.add(line)
                paragraphs.append(line)
    if not paragraphs:
        raise SystemExit(f"make_corpus: no seed paragraphs in {seeds_dir}/*.txt")
    words = tuple(" ".join(paragraphs).split())
    digest = hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()[:12]
    return Pool(tuple(paragraphs), words, _coprime_stride(len(words)), digest)


def _coprime_stride(n: int) -> int:
    """A stride near the golden section of n with gcd 1, so i -> i*stride % n is a bijection."""
    stride = max(1, int(n * 0.618))
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


def _span(words: Sequence[str], start: int, length: int) -> str:
    picked = [words[(start + k) % len(words)] for k in range(length)]
    return " ".join(picked).strip(TITLE_STRIP)


def make_title(i: int, rng: random.Random, pool: Pool) -> str:
    """Two word spans from the seeds, joined like a two-part headline.

    The seeds hold only a few thousand words, so spans chosen at random would repeat titles
    within a 100k corpus. Instead the two start positions encode i in mixed radix (i mod W,
    i div W), each scrambled by a stride coprime with W: distinct i give distinct start pairs
    for i < W*W, which keeps titles distinct in practice while reading like the seeds.
    """
    n_words = len(pool.words)
    low, high = i % n_words, (i // n_words) % n_words
    start1 = (low * pool.stride) % n_words
    start2 = (high * pool.stride + start1 + n_words // 2) % n_words
    first = _span(pool.words, start1, rng.randint(3, 6)) or "خبر"
    second = _span(pool.words, start2, rng.randint(2, 5)) or "عاجل"
    return first + rng.choice(TITLE_JOINERS) + second


def make_article(i: int, seed: str = DEFAULT_SEED, pool: Pool | None = None) -> Article:
    """Article i of the corpus for `seed`: a pure function of (seed, i, seed texts)."""
    pool = pool or load_pool()
    # A string seed is hashed (SHA-512) by random, so nearby i give unrelated streams.
    rng = random.Random(f"{seed}-{i}")
    title = make_title(i, rng, pool)
    minutes = int((DATE_END - DATE_START).total_seconds() // 60)
    date = DATE_START + dt.timedelta(minutes=rng.randrange(minutes))
    source = rng.choice(SOURCES)
    tags = tuple(rng.sample(TAGS, rng.randint(1, 4)))
    # choices() draws all paragraphs in one call: a third of the generation time at 100k.
    paragraphs = tuple(rng.choices(pool.paragraphs, k=rng.randint(6, 15)))
    dateline_choice = rng.choice(DATELINES.get(source, (None,)))
    city = rng.choice(DATELINE_CITIES)

    raw = i % 5 == 4
    summary = None
    draft: bool | None = None
    if not raw:
        if i % 3 == 0:
            words = paragraphs[0].split()
            summary = " ".join(words[:24]) + ("…" if len(words) > 24 else "")
        if i % 100 == 37:
            draft = True
        elif i % 7 == 0:
            draft = False
    return Article(
        index=i,
        slug=f"article-{i:06d}",
        title=title,
        date=date,
        source=source,
        tags=tags,
        paragraphs=paragraphs,
        summary=summary,
        draft=draft,
        raw=raw,
        dateline=dateline_choice.format(city=city) if raw and dateline_choice else None,
        sidecar_date=(i // 5) % 2 == 0,
        blank_lines=(i // 5) % 3 != 0,
    )


# json.dumps(..., ensure_ascii=False) builds a new encoder per call; one shared is faster.
_JSON = json.JSONEncoder(ensure_ascii=False)


def _quoted(value: str | Sequence[str]) -> str:
    return _JSON.encode(value)


def _iso(date: dt.datetime) -> str:
    return date.strftime("%Y-%m-%dT%H:%M:%S") + UTC_OFFSET


def _body_lines(article: Article) -> list[str]:
    """Dateline and paragraphs as the raw text carries them."""
    lines = list(article.paragraphs)
    if article.dateline and article.dateline.endswith(":"):
        lines[0] = f"{article.dateline} {lines[0]}"
    elif article.dateline:
        lines.insert(0, article.dateline)
    return lines


def render_markdown(article: Article) -> str:
    front = [
        "---",
        f"title: {_quoted(article.title)}",
        f"date: {_iso(article.date)}",
        f"source: {_quoted(article.source)}",
        f"tags: {_quoted(list(article.tags))}",
        f"slug: {article.slug}",
    ]
    if article.summary is not None:
        front.append(f"summary: {_quoted(article.summary)}")
    if article.draft is not None:
        front.append(f"draft: {'true' if article.draft else 'false'}")
    front += ["---", ""]
    return "\n".join(front) + "\n" + "\n\n".join(_body_lines(article)) + "\n"


def render_raw(article: Article) -> tuple[str, str]:
    """The news text itself and its YAML sidecar."""
    separator = "\n\n" if article.blank_lines else "\n"
    text = separator.join([article.title, *_body_lines(article)]) + "\n"
    sidecar = []
    if article.sidecar_date:
        sidecar.append(f"date: {_iso(article.date)}")
    sidecar += [
        f"source: {_quoted(article.source)}",
        f"tags: {_quoted(list(article.tags))}",
        f"slug: {article.slug}",
    ]
    return text, "\n".join(sidecar) + "\n"


def render_files(article: Article, markdown_only: bool = False) -> dict[str, bytes]:
    """File name -> content for one article (one file for Markdown, two for a raw text)."""
    if markdown_only or not article.raw:
        return {f"{article.slug}.md": render_markdown(article).encode("utf-8")}
    stem = f"{article.date:%Y-%m-%d}-{article.slug}"
    text, sidecar = render_raw(article)
    return {f"{stem}.txt": text.encode("utf-8"), f"{stem}.yaml": sidecar.encode("utf-8")}


def clear_generated(outdir: Path, keep: frozenset[str] = frozenset()) -> int:
    """Remove files an earlier run wrote (and nothing else) unless named in keep."""
    removed = 0
    with os.scandir(outdir) as entries:
        for entry in entries:
            if entry.name not in keep and GENERATED_NAME.match(entry.name) and entry.is_file():
                os.unlink(entry.path)
                removed += 1
    return removed


def _write_range(job: tuple[int, int, str, bool, str, str]) -> tuple[int, int, list[str]]:
    """Write articles lo..hi-1; return (files, bytes, names). Runs in a worker process."""
    lo, hi, seed, markdown_only, outdir, seeds_dir = job
    pool = load_pool(Path(seeds_dir))
    names: list[str] = []
    size = 0
    for i in range(lo, hi):
        for name, data in render_files(make_article(i, seed, pool), markdown_only).items():
            # Raw os calls: Python's buffered file objects cost a quarter more at 100k files.
            fd = os.open(os.path.join(outdir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            names.append(name)
            size += len(data)
    return len(names), size, names


def write_corpus(
    n: int,
    outdir: Path,
    seed: str = DEFAULT_SEED,
    start: int | None = None,
    markdown_only: bool = False,
    seeds_dir: Path = SEEDS_DIR,
) -> CorpusStats:
    """Write articles start..n-1; with start None, all of them and no stale earlier files."""
    began = time.perf_counter()
    load_pool(seeds_dir)  # fail early, and forked workers inherit the parsed pool
    outdir.mkdir(parents=True, exist_ok=True)
    lo = start or 0
    # Generation is CPU-bound Python, so large corpora are split across processes; small ones
    # (tests, the add-one article) stay in this process where starting workers would dominate.
    step = 10_000
    jobs = [
        (k, min(k + step, n), seed, markdown_only, str(outdir), str(seeds_dir))
        for k in range(lo, n, step)
    ]
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as workers:
            results = list(workers.map(_write_range, jobs))
    else:
        results = [_write_range(job) for job in jobs]
    files = sum(r[0] for r in results)
    size = sum(r[1] for r in results)
    if start is None:
        # Prune after writing rather than clearing first: overwriting a file in place is several
        # times cheaper than unlinking and creating it again on the disks we benchmark on.
        clear_generated(outdir, keep=frozenset(name for r in results for name in r[2]))
    return CorpusStats(max(0, n - lo), files, size, time.perf_counter() - began)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic Arabic news corpus (Markdown and raw .txt mixed)."
    )
    parser.add_argument("n", type=int, help="total number of articles in the corpus")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", default=DEFAULT_SEED, help="RNG seed (default 42)")
    parser.add_argument(
        "--from",
        dest="start",
        type=int,
        default=None,
        metavar="K",
        help="write only articles K..N-1 and keep every existing file",
    )
    parser.add_argument(
        "--markdown-only",
        action="store_true",
        help="write raw-text articles as Markdown too (input for Markdown-only generators)",
    )
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="folder of seed *.txt")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    if args.start is not None and not 0 <= args.start <= args.n:
        parser.error(f"--from must be between 0 and N ({args.n})")

    stats = write_corpus(args.n, args.outdir, args.seed, args.start, args.markdown_only, args.seeds)
    print(
        f"wrote {stats.articles} articles ({stats.files} files, {stats.bytes} bytes) "
        f"to {args.outdir} in {stats.seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
