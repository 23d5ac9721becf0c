"""Related articles: for each article, the others most about the same people, places and tags.

Extraction stage over the whole archive, called once per build after entities and tags are
known for every article. Hands on, per article key, up to k related keys for the article
page's "related" list.

Score of a candidate = sum over shared features (entity ids and tags) of the feature's
rarity, idf = ln(1 + N / df), scaled by closeness in time: (1 + 2^(-days apart / half
life)) / 2, so a year-old article keeps at least half its score. Ties go to the closer in
time, then to the smaller key. N and df enter rounded down to a step of 2^(1/8) (about 9 %;
every count below 12 is its own step): rarity that moves with every article added would
move every score in the archive, and with steps one addition changes the lists of the
articles it touches and no others, so a rebuild recomputes those alone (`update_related`).

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from sys import intern
from types import MappingProxyType

from .parallel import ordered_map

# Lists to recompute before a pool of workers pays: an addition at 10,000 articles recomputes
# some 700, which took 0.15 s less in this process than on two workers.
PARALLEL_LISTS = 2_000
_UNDATED = 10**9  # sorts undated articles after every dated one
_FIXED = 1 << 40  # fixed-point scale of summed idf: far finer than any score difference


@dataclass(frozen=True)
class ArticleFeatures:
    entities: tuple[str, ...] = ()  # gazetteer entity ids
    tags: tuple[str, ...] = ()
    date: datetime.date | None = None

    def features(self) -> frozenset[str]:
        # Prefixed: a tag may be spelled like an entity id without being the same thing.
        # Interned: the build cache pickles every article's features (`RelatedState`), and a
        # string that is one object wherever it occurs is pickled and unpickled once. Made
        # afresh for each article, they were 4.1 MB of 5 MB at 10,000 articles, and took four
        # times as long to store and to load.
        return frozenset(
            [intern(f"entity:{entity}") for entity in self.entities]
            + [intern(f"tag:{tag}") for tag in self.tags]
        )


def related(
    articles: Mapping[str, ArticleFeatures],
    k: int = 5,
    *,
    half_life_days: float = 180.0,
    max_postings: int = 200,
) -> Mapping[str, tuple[str, ...]]:
    """Up to `k` related article keys for every key of `articles`, best first."""
    state = update_related(articles, None, k, half_life_days=half_life_days,
                           max_postings=max_postings)  # fmt: skip
    return MappingProxyType(dict(state.lists))


@dataclass(frozen=True)
class RelatedState:
    """What `update_related` computed: its inputs and every article's list, kept by the build
    cache so that the next build recomputes only the lists an edit can move."""

    params: tuple[int, float, int]  # k, half life, max postings
    scale: float  # N, rounded down to its step
    features: Mapping[str, frozenset[str]]
    day: Mapping[str, int]
    lists: Mapping[str, tuple[str, ...]]
    recomputed: int = 0  # lists computed by the call that made this state
    tokens: Mapping[str, str] = field(default_factory=dict)  # as given to that call
    context: str = ""  # as given to that call


def update_related(
    articles: Mapping[str, ArticleFeatures],
    previous: RelatedState | None,
    k: int = 5,
    *,
    half_life_days: float = 180.0,
    max_postings: int = 200,
    tokens: Mapping[str, str] | None = None,
    context: str = "",
) -> RelatedState:
    """`related` for `articles`, computing afresh only the lists that can differ from the
    ones in `previous` (all of them without one). Equal, list for list, to a computation
    from scratch: tests/test_related.py checks it over random edit sequences.

    `tokens` fixes an article's features and date where it is given: an article whose token
    is the one `previous` was given has the features and date it had then, and is not read
    from `articles` (which may make each article's features only when asked: an addition at
    10,000 articles made them all, a quarter of its time here). `context` is what else the
    tokens stand on (the parse settings, for the build): a state made in another context
    vouches for no token. (Given once, not in every token: the state is stored by every
    build, and a 10,000-article archive's tokens carried the same settings 10,000 times.)"""
    keys = sorted(articles)
    tokens = tokens or {}
    known = _known(previous, tokens, context)
    features: dict[str, frozenset[str]] = {}
    day: dict[str, int] = {}
    for key in keys:
        if key in known:
            assert previous is not None
            features[key], day[key] = previous.features[key], previous.day[key]
        else:
            found = articles[key]
            features[key], day[key] = found.features(), _day(found.date)
    postings = _postings(features, day)
    scale = _step(len(keys))
    idf = {feature: math.log(1 + scale / _step(len(posting)))
           for feature, posting in postings.items()}  # fmt: skip
    common = _CommonSums(features, postings, idf, max_postings)
    params = (k, half_life_days, max_postings)

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

    changed = _changed(previous, features, day, known) if previous is not None else None
    if changed is None or previous is None or previous.params != params or previous.scale != scale:
        todo = keys
    else:
        stale = _stale(previous, changed, features, day, postings, max_postings)
        todo = [key for key in keys if key in stale]
    # Each article's list depends only on the indexes above: computed on every core when there
    # are enough of them. A few hundred cost less here than a fork, whose workers copy pages
    # of the whole archive while the search index is being built on the other core.
    fresh = dict(zip(todo, ordered_map(best_of, todo, min_parallel=PARALLEL_LISTS), strict=True))
    kept = previous.lists if previous is not None else {}  # without one, every list is fresh
    lists = {key: fresh[key] if key in fresh else kept[key] for key in keys}
    # Plain dicts: the build cache pickles the state, and a mappingproxy cannot be.
    return RelatedState(params, scale, features, day, lists, len(todo), dict(tokens), context)


def _known(previous: RelatedState | None, tokens: Mapping[str, str], context: str) -> set[str]:
    """The keys whose token is the one `previous` was given, in the same context."""
    if previous is None or previous.context != context:
        return set()
    before = previous.tokens
    return {key for key, token in tokens.items() if token and before.get(key) == token}


def _postings(
    features: Mapping[str, frozenset[str]], day: Mapping[str, int]
) -> dict[str, list[tuple[int, str]]]:
    """Feature -> (day, key) of every article that has it, in order."""
    postings: dict[str, list[tuple[int, str]]] = {}
    # Articles taken in that order fill every list in order: one sort of the articles, not
    # one of each list (and one tuple per article, not one per feature it has).
    for at in sorted((day[key], key) for key in features):
        for feature in features[at[1]]:
            postings.setdefault(feature, []).append(at)
    return postings


def _step(count: int) -> float:
    """`count` rounded down to a power of 2^(1/8): the same for most counts next to each other."""
    return 2.0 ** (math.floor(8 * math.log2(count)) / 8) if count > 0 else 0.0


def _changed(
    previous: RelatedState,
    features: Mapping[str, frozenset[str]],
    day: Mapping[str, int],
    known: set[str],
) -> set[str] | None:
    """The keys added, removed or edited since `previous` (the `known` ones are as they
    were); None when they are so many that computing every list is cheaper than finding
    which ones can move."""
    old_features, old_day = previous.features, previous.day
    changed = {
        key for key in (features.keys() | old_features.keys()) - known
        if features.get(key) != old_features.get(key) or day.get(key) != old_day.get(key)
    }  # fmt: skip
    return None if len(changed) * 4 > len(features) else changed


def _stale(
    previous: RelatedState,
    changed: set[str],
    features: Mapping[str, frozenset[str]],
    day: Mapping[str, int],
    postings: Mapping[str, list[tuple[int, str]]],
    max_postings: int,
) -> set[str]:
    """The articles whose list may differ from `previous`, given the `changed` keys:
    everything `best_of` reads for an article is its features and date, the postings of its
    features and the rarity of each, and the features and dates of the candidates those
    postings offer. Over-approximated where that is simpler; never under.
    """
    old_features, old_day = previous.features, previous.day
    none: frozenset[str] = frozenset()
    touched = {f for key in changed for f in features.get(key, none) | old_features.get(key, none)}
    # The previous postings differ from these only in the touched features' lists.
    old_postings = dict(postings)
    for feature in touched:
        kept = [(d, key) for d, key in postings.get(feature, ()) if key not in changed]
        kept += [(old_day[key], key) for key in changed if feature in old_features.get(key, none)]
        if kept:
            old_postings[feature] = sorted(kept)
        else:
            old_postings.pop(feature, None)
    stale = changed & features.keys()
    states = (postings, old_postings)

    def carriers(feature: str) -> Iterator[str]:
        for found in states:
            yield from (key for _, key in found.get(feature, ()))

    first_of: dict[str, set[str]] = {}

    def firsts(key: str) -> set[str]:
        """The common feature `key` widens from, before and after (by count, then name)."""
        found = first_of.get(key)
        if found is not None:
            return found
        found = first_of[key] = set()
        for posting_of, features_of in ((postings, features), (old_postings, old_features)):
            counts = [(len(posting_of[f]), f) for f in features_of.get(key, ())
                      if len(posting_of[f]) > max_postings]  # fmt: skip
            if counts:
                found.add(min(counts)[1])
        return found

    # A feature whose rarity step or common/rare standing moved changes the score of every
    # article that has it.
    for feature in touched:
        new, old = len(postings.get(feature, ())), len(old_postings.get(feature, ()))
        if _step(new) != _step(old) or (new > max_postings) != (old > max_postings):
            stale.update(carriers(feature))
    half = max_postings // 2
    for key in changed:
        for feature in features.get(key, none) | old_features.get(key, none):
            for found, features_of, day_of in (
                (postings, features, day),
                (old_postings, old_features, old_day),
            ):
                posting = found.get(feature, [])
                if len(posting) <= max_postings:
                    # A rare feature offers all its articles: each may gain or lose `key`.
                    stale.update(other for _, other in posting)
                    continue
                if feature not in features_of.get(key, none):
                    continue  # `key` is not in this list
                # A common one offers the `max_postings` nearest in date (`_nearest`), and
                # only to the articles that widen their net from it: the first window
                # gives `max_postings` candidates, so widening stops after an article's
                # rarest common feature. A window that holds no changed key, before or
                # after, holds the same articles before and after (the others keep their
                # order), so only the windows that hold `key` can change.
                at = bisect.bisect_left(posting, (day_of[key], key))
                size = len(posting)
                for index in range(max(0, at - max_postings), min(size, at + max_postings + 1)):
                    other = posting[index][1]
                    if other in stale or feature not in firsts(other):
                        continue
                    start = max(0, min(index - half, size - max_postings))  # as `_nearest`
                    if start <= at < start + max_postings:
                        stale.add(other)

    # Widening walks common features from the rarest (by count, then name): where a count
    # moved past another's, articles that have both may walk them in another order. The walk
    # stops after its first feature, so only an article whose first one changed can tell.
    # (Counts next to each other are common: at 10,000 articles an addition flipped the order
    # of two features carried by 8,000 articles, few of which widen from either.)
    def order(found: Mapping[str, list[tuple[int, str]]], feature: str) -> tuple[int, str]:
        return len(found.get(feature, ())), feature

    either = {f for found in states for f, posting in found.items() if len(posting) > max_postings}
    for feature in touched & either:  # only the touched features' counts moved
        for other in either - {feature}:
            now = order(postings, feature) < order(postings, other)
            if now != (order(old_postings, feature) < order(old_postings, other)):
                both = set(carriers(feature)) & set(carriers(other))
                stale.update(key for key in both - stale if len(firsts(key)) > 1)
    return stale & features.keys()


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
        self.masks = _Masks(self, features)
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


class _Masks(dict[str, int]):
    """Each article's mask of common features, made when first read: an addition reads
    those of a few thousand candidates, not of the whole archive."""

    def __init__(self, sums: _CommonSums, features: Mapping[str, frozenset[str]]) -> None:
        super().__init__()
        self._sums, self._features = sums, features

    def __missing__(self, key: str) -> int:
        found = self[key] = self._sums.mask_of(self._features[key])
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
