"""Related articles: for each article, the others most about the same people, places and tags.

Extraction stage over the whole archive, called once per build after entities and tags are
known for every article. Hands on, per article key, up to k related keys for the article
page's "related" list.

Score of a candidate = sum over shared features (entity ids and tags) of the feature's
rarity, idf = ln(1 + N / df), scaled by closeness in time: (1 + 2^(-days apart / half
life)) / 2, so a year-old article keeps at least half its score. Ties go to the closer in
time, then to the smaller key.

Candidates come from an inverted index, never from all pairs. A feature carried by at most
`max_postings` articles offers all of them; a commoner one («العراق» in an Iraq archive)
still counts in every score but offers candidates, its `max_postings` nearest in date,
only when the rarer features found too few. Work per article is bounded by features x
max_postings, linear in the archive whatever the features are (about 1 ms per article at
30,000 articles with Zipf-distributed entities).
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .parallel import ordered_map

_UNDATED = 10**9  # sorts undated articles after every dated one
_FIXED = 1 << 40  # fixed-point scale of summed idf: far finer than any score difference


@dataclass(frozen=True)
class ArticleFeatures:
    entities: tuple[str, ...] = ()  # gazetteer entity ids
    tags: tuple[str, ...] = ()
    date: datetime.date | None = None

    def features(self) -> frozenset[str]:
        # Prefixed: a tag may be spelled like an entity id without being the same thing.
        return frozenset(
            [f"entity:{entity}" for entity in self.entities] + [f"tag:{tag}" for tag in self.tags]
        )


def related(
    articles: Mapping[str, ArticleFeatures],
    k: int = 5,
    *,
    half_life_days: float = 180.0,
    max_postings: int = 200,
) -> Mapping[str, tuple[str, ...]]:
    """Up to `k` related article keys for every key of `articles`, best first."""
    keys = sorted(articles)
    features = {key: articles[key].features() for key in keys}
    day = {key: _day(articles[key].date) for key in keys}
    postings: dict[str, list[tuple[int, str]]] = {}
    for key in keys:
        for feature in features[key]:
            postings.setdefault(feature, []).append((day[key], key))
    for posting in postings.values():
        posting.sort()
    idf = {feature: math.log(1 + len(keys) / len(posting)) for feature, posting in postings.items()}
    common = _CommonSums(features, postings, idf, max_postings)

    def best_of(key: str) -> tuple[str, ...]:
        scores = _shared_rarity(key, features, postings, idf, day, max_postings, common)
        scores.pop(key, None)
        # Closeness at most halves a score, so only candidates within half of the k-th
        # best rarity can still make the list: rank those alone.
        floor = min(heapq.nlargest(k, scores.values()), default=0.0) / 2
        best = heapq.nsmallest(
            k,
            (
                (
                    -rarity * _closeness(day[key], day[other], half_life_days),
                    abs(day[key] - day[other]),
                    other,
                )
                for other, rarity in scores.items()
                if rarity >= floor
            ),
        )
        return tuple(other for _, _, other in best)

    # Each article's list depends only on the indexes above: computed on every core.
    return MappingProxyType(dict(zip(keys, ordered_map(best_of, keys), strict=True)))


def _shared_rarity(
    key: str,
    features: Mapping[str, frozenset[str]],
    postings: Mapping[str, list[tuple[int, str]]],
    idf: Mapping[str, float],
    day: Mapping[str, int],
    max_postings: int,
    sums: _CommonSums,
) -> dict[str, float]:
    """Candidate -> summed idf of the features it shares with `key`, from posting lists.

    Candidates come from `key`'s features carried by at most `max_postings` articles. A
    commoner feature adds to the score of every candidate that has it, so no score depends
    on how its article was found, but offers new candidates (its `max_postings` nearest in
    time) only when the rarer features found too few: sharing «العراق» alone is no reason
    to scan a third of the archive.
    """
    scores: dict[str, float] = {}
    common: list[str] = []
    for feature in sorted(features[key]):  # sorted: the same float sums on every run
        posting = postings[feature]
        if len(posting) > max_postings:
            common.append(feature)
            continue
        for _, other in posting:
            scores[other] = scores.get(other, 0.0) + idf[feature]
    if not common:
        return scores
    if len(scores) <= max_postings // 4:  # an article about common things: widen the net
        # From its rarest common features first, and only up to max_postings candidates:
        # each candidate costs a set intersection below, and an archive whose articles all
        # share their features would otherwise compare every article with thousands.
        for feature in sorted(common, key=lambda f: (len(postings[f]), f)):
            for other in _nearest(postings[feature], (day[key], key), max_postings):
                scores.setdefault(other, 0.0)
            if len(scores) >= max_postings:
                break
    common_mask = sums.mask_of(common)
    masks, total = sums.masks, sums.total
    for other in scores:
        shared = masks[other] & common_mask
        if shared:
            scores[other] += total(shared)
    return scores


class _CommonSums:
    """Summed idf of the common features two articles share, by bit masks and memoised.

    When every feature is common (the benchmark corpus: 79 features over 10,000 articles),
    each article compares its common features with a couple of hundred candidates': a set
    intersection and a sum each, most of the time of `related`. An int AND and a dict lookup
    give the same number: the sum is exact (fixed point), so it depends on the shared set only.
    """

    def __init__(
        self,
        features: Mapping[str, frozenset[str]],
        postings: Mapping[str, list[tuple[int, str]]],
        idf: Mapping[str, float],
        max_postings: int,
    ) -> None:
        common = sorted(f for f, posting in postings.items() if len(posting) > max_postings)
        self.bit = {feature: 1 << index for index, feature in enumerate(common)}
        # Sums in fixed point are exact in any order, so a sum can be assembled from
        # per-byte tables: one lookup per 8 features instead of one step per shared one.
        fixed = [round(idf[feature] * _FIXED) for feature in common]
        self._tables = [
            [sum(fixed[base + i] for i in range(8) if byte >> i & 1 and base + i < len(fixed))
             for byte in range(256)]
            for base in range(0, len(fixed), 8)
        ]  # fmt: skip
        self.masks = {key: self.mask_of(found) for key, found in features.items()}
        self._sums: dict[int, float] = {}

    def mask_of(self, features: Iterable[str]) -> int:
        bit = self.bit
        return sum(bit[feature] for feature in set(features) if feature in bit)

    def total(self, mask: int) -> float:
        found = self._sums.get(mask)
        if found is None:
            if len(self._sums) >= 1_000_000:
                self._sums.clear()
            fixed, rest = 0, mask
            for table in self._tables:
                fixed += table[rest & 0xFF]
                rest >>= 8
            found = self._sums[mask] = fixed / _FIXED
        return found


def _day(date: datetime.date | None) -> int:
    return date.toordinal() if date is not None else _UNDATED


def _nearest(posting: list[tuple[int, str]], at: tuple[int, str], limit: int) -> list[str]:
    """All keys of a short posting list; of a long one, the `limit` nearest `at` in date."""
    if len(posting) <= limit:
        return [key for _, key in posting]
    middle = bisect.bisect_left(posting, at)
    start = max(0, min(middle - limit // 2, len(posting) - limit))
    return [key for _, key in posting[start : start + limit]]


def _closeness(a: int, b: int, half_life_days: float) -> float:
    """From 1 (same day) down towards 1/2 (far apart); 3/4 when a date is unknown."""
    nearness = 0.5 if _UNDATED in (a, b) else 2.0 ** (-abs(a - b) / half_life_days)
    return (1 + nearness) / 2
