"""Time per-article extraction on the seed articles (a measurement, not a test).

    python tools/bench_extract.py [rounds]

Runs what the pipeline will call for every article (find_entities, candidate_names,
derive_tags, cited_agencies, key_figures) on each seed, five batches of `rounds` times,
and prints the best batch's CPU time per article. The per-paragraph token cache is cleared
before every article, so no article is served from its own earlier run; the vocabulary
caches stay warm, as they are after the first few articles of a real build. The first,
cold round is reported separately.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from arshif.entities import candidate_names, find_entities  # noqa: E402
from arshif.figures import key_figures  # noqa: E402
from arshif.gazetteer import load_gazetteer  # noqa: E402
from arshif.tags import cited_agencies, derive_tags  # noqa: E402
from arshif.tokens import tokenize  # noqa: E402


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    gazetteer = load_gazetteer(REPO / "gazetteer.yaml")
    articles = [
        [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in sorted((REPO / "articles").glob("*.txt"))
    ]
    words = sum(len(line.split()) for article in articles for line in article)

    def extract(paragraphs: list[str]) -> None:
        tokenize.cache_clear()
        title, body = paragraphs[0], paragraphs[1:]
        entities = find_entities(paragraphs, gazetteer)
        derive_tags(body, title, entities, gazetteer.tag_rules)
        candidate_names(paragraphs, gazetteer)
        cited_agencies(body)
        key_figures(body)

    start = time.process_time()
    for paragraphs in articles:
        extract(paragraphs)
    cold = (time.process_time() - start) / len(articles)
    # The best of several batches: the machine is shared, and contention only adds time.
    batches = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(rounds):
            for paragraphs in articles:
                extract(paragraphs)
        batches.append((time.process_time() - start) / (rounds * len(articles)))
    warm = min(batches)
    print(f"{len(articles)} articles, {words / len(articles):.0f} words each on average")
    print(f"cold first round: {cold * 1000:.2f} ms per article")
    print(f"warm, best of 5 x {rounds} rounds: {warm * 1000:.3f} ms per article")
    print("   batches:", " ".join(f"{batch * 1000:.3f}" for batch in batches))


if __name__ == "__main__":
    main()
