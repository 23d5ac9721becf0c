"""Time per-article extraction on the seed articles (a measurement, not a test).

    python tools/bench_extract.py [rounds]
    python tools/bench_extract.py --instructions    # needs valgrind

Extraction is what `parse.extract` does for every article once the parser has cleaned its
text: entities, rule tags, candidate names, cited agencies, key figures, and the passage
signatures syndicated text is matched on. It is timed here on exactly what the build hands
it: each seed is parsed first, then `extract` runs on the parsed title and blocks.

Each batch runs every seed `rounds` times and the best of 15 batches is reported as CPU
time per article: the machine is shared, and contention only ever adds time. The
per-paragraph token cache is cleared before every article, so no article is served from
its own earlier run; the vocabulary caches stay warm, as they are after the first few
articles of a real build. The parts are timed the same way, each on tokens already made,
with tokenising on its own line, so they add up to about the whole.

Timings on a shared machine move by 10-30 % from one minute to the next, which is as much
as most changes to extraction are worth. `--instructions` counts instead: it runs
extraction under valgrind's cachegrind, once with 2 rounds and once with 12, and reports
the difference per article, which is the same on every run of the same code (one thread
for numpy, fixed hash seed, no address randomisation). Compare versions with it; report
time with the default mode.
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
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from arshif.config import SiteConfig, load_config  # noqa: E402
from arshif.entities import candidate_names, find_entities  # noqa: E402
from arshif.figures import key_figures  # noqa: E402
from arshif.model import Article  # noqa: E402
from arshif.parse import extract, parse_article  # noqa: E402
from arshif.similar import passage_signatures  # noqa: E402
from arshif.sources import find_sources  # noqa: E402
from arshif.tags import cited_agencies, derive_tags  # noqa: E402
from arshif.tokens import tokenize  # noqa: E402

BATCHES = 15


def batches_of(run: Callable[[], None], count: int, rounds: int) -> list[float]:
    """Each batch's CPU seconds per article, fastest first."""
    batches = []
    for _ in range(BATCHES):
        start = time.process_time()
        for _ in range(rounds):
            run()
        batches.append((time.process_time() - start) / (rounds * count))
    return sorted(batches)


def best_of(run: Callable[[], None], count: int, rounds: int) -> float:
    return batches_of(run, count, rounds)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rounds", nargs="?", type=int, default=20, help="rounds per batch")
    parser.add_argument("--instructions", action="store_true", help="count, under valgrind")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # rounds, for valgrind
    args = parser.parse_args()
    if args.instructions:
        count_instructions()
    elif args.child is not None:
        run_rounds(args.child)
    else:
        time_parts(args.rounds)


def _seeds() -> tuple[SiteConfig, list[Article]]:
    """The seeds as the build parses them: `extract` is then run on their titles and blocks."""
    config = load_config(REPO / "site.yaml")
    sources, _ = find_sources(REPO / "articles")
    return config, [parse_article(source, config).article for source in sources]


def run_rounds(rounds: int) -> None:
    """What --instructions counts: `rounds` rounds of extract over the seeds, after one."""
    config, articles = _seeds()
    for _ in range(rounds + 1):
        for article in articles:
            tokenize.cache_clear()
            extract(article.title, article.blocks, article.source, config)


def count_instructions() -> None:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    # numpy's BLAS threads spin, ASLR and hash randomisation move dict layouts: each would
    # make the count differ between two runs of the same code.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONHASHSEED": "0"}  # fmt: skip
    prefix = ["setarch", "-R"] if shutil.which("setarch") else []

    def count(rounds: int) -> int:
        command = [*prefix, valgrind, "--tool=cachegrind", "--cache-sim=no",
                   "--cachegrind-out-file=/dev/null", sys.executable, __file__,
                   "--child", str(rounds)]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if found is None:
            sys.exit(f"no instruction count in valgrind's output:\n{done.stderr}")
        return int(found.group(1).replace(",", ""))

    articles = len(_seeds()[1])
    per_article = (count(12) - count(2)) / (10 * articles)
    print(f"extract: {per_article / 1e6:.3f} million instructions per article "
          f"({articles} seed articles, warm caches)")  # fmt: skip


def time_parts(rounds: int) -> None:
    config, articles = _seeds()
    gazetteer = config.gazetteer
    assert gazetteer is not None
    words = sum(article.word_count for article in articles)
    inputs = [(a.title, a.blocks, a.source, config) for a in articles]

    def whole() -> None:
        for title, blocks, outlet, site in inputs:
            tokenize.cache_clear()
            extract(title, blocks, outlet, site)

    start = time.process_time()
    whole()
    cold = (time.process_time() - start) / len(inputs)
    batches = batches_of(whole, len(inputs), rounds)

    # The parts, on the same inputs extract gives them (parse.extract).
    texts = [[title, *(b.text for b in blocks)] for title, blocks, *_ in inputs]
    prose = [[b.text for b in blocks if b.kind != "caption"] for _, blocks, *_ in inputs]
    entities = [find_entities(t, gazetteer) for t in texts]
    parts: dict[str, Callable[[list[str], int], object]] = {
        "find_entities": lambda t, _: find_entities(t, gazetteer),
        "derive_tags": lambda t, i: derive_tags(t[1:], t[0], entities[i], gazetteer.tag_rules),
        "candidate_names": lambda t, _: candidate_names(t, gazetteer),
        "cited_agencies": lambda t, _: cited_agencies(t[1:]),
        "key_figures": lambda t, i: key_figures([t[0], *prose[i]]),
        "passage_signatures": lambda _, i: passage_signatures(prose[i]),
    }

    def tokens_only() -> None:
        for text in texts:
            tokenize.cache_clear()
            for paragraph in text:
                tokenize(paragraph)

    tokenize.cache_clear()
    for text in texts:  # keep every paragraph's tokens: the parts are timed without them
        for paragraph in text:
            tokenize(paragraph)
    warm_tokens = tokenize.cache_info().currsize == len({p for text in texts for p in text})
    print(f"{len(inputs)} articles, {words / len(inputs):.0f} words of text each on average")
    print(f"cold first round:            {cold * 1000:.2f} ms per article")
    print(f"extract, best of {BATCHES} x {rounds}: {batches[0] * 1000:.3f} ms per article "
          f"(median {statistics.median(batches) * 1000:.3f} ms)")  # fmt: skip
    for name, part in parts.items():

        def run(part: Callable[[list[str], int], object] = part) -> None:
            for i, text in enumerate(texts):
                part(text, i)

        print(f"  {name:19s} {best_of(run, len(texts), rounds) * 1000:.3f} ms")
    if not warm_tokens:
        print("  (the token cache was too small to keep every paragraph: parts include it)")
    print(f"  {'tokenize':19s} {best_of(tokens_only, len(texts), rounds) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
