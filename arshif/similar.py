"""Shared text: passages that several articles carry, syndicated or recycled.

Extraction stage over the whole archive, called once per build after every article's
paragraphs are known. Each paragraph is cut into passages (sentences, long ones into
overlapping windows) and each passage into word 3-shingles; MinHash signatures banded for
LSH propose candidate pairs without comparing every article with every other, and each
candidate is then verified exactly on its shingle sets, so a report never rests on a hash
coincidence. Hands on `SharedText`: per article, the paragraphs it shares with which other
article, and clusters of one passage carried by several articles, for the build report and
"also published as" links.

The per-article half (`passage_signatures`: passages, shingles, band keys) runs at parse
time and is cached with the article; the archive-wide half (`shared_among`: buckets,
candidates, exact verification) reads only those signatures and the paragraphs' text.

Cost is linear in the archive: one pass over each passage's shingles for its signature
(one-permutation MinHash), one dictionary per band, and a bounded number of candidates per
bucket: a bucket holding more than `max_bucket` passages (boilerplate, or one wire story
everywhere) is verified against its first passage only, and counted. Measured in December
2026: signatures 0.25 ms of CPU per seed article (tools/bench_extract.py), the archive-wide
half 1.3 s for the 10,000-article benchmark corpus, whose every paragraph recurs in
hundreds of articles (200,000 shared passages).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise, repeat
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from arshif.tokens import WordCache, tokenize

SHINGLE_WORDS = 3
MIN_PASSAGE_WORDS = 8  # shorter sentences («وأضاف:») are too common to be evidence
WINDOW_WORDS = 30  # sentences longer than 40 words are compared in windows of 30, step 15
# 48 MinHash values in 24 bands of 2: a pair of passages with Jaccard 0.3 becomes a
# candidate 90% of the time, 0.5: 99.9%, 0.1: 21%; verification sorts them out.
BINS, ROWS = 48, 2
BANDS = BINS // ROWS
_SENTENCE_END = re.compile(r"(?<=[.!?؟؛…])\s+|\n+")
_BREAKS = frozenset(".!?؟؛…\n")  # what any _SENTENCE_END match holds


class SharedPassage(NamedTuple):
    """A paragraph of one article that another article also carries.

    A named tuple, not a dataclass: a syndicated archive has hundreds of thousands of them,
    made on every build that changes an article and kept in the cache, and a tuple is made
    and unpickled several times faster.
    """

    paragraph: int  # index among this article's paragraphs
    other: str  # the other article's key
    other_paragraph: int
    similarity: float  # share of the shorter passage's shingles found in the other
    text: str  # the shared passage as this article writes it


# The fewest shingles a passage needs to be compared at all: shorter ones (a dateline, «وأضاف
# أن …») recur everywhere by chance.
MIN_SHARED = 5


def matchable_paragraphs(signatures: PassageSignatures) -> set[int]:
    """The paragraphs with a passage long enough to be found in another article."""
    return {
        signatures.paragraph[passage]
        for passage in range(len(signatures))
        if signatures.shingle_count(passage) >= MIN_SHARED
    }


def shared_passages_of(rows: Iterable[tuple[Any, ...]]) -> tuple[SharedPassage, ...]:
    """SharedPassages from plain (paragraph, other, other_paragraph, similarity, text) rows,
    made in C by tuple.__new__: SharedPassage._make is Python code, run hundreds of
    thousands of times per build (and per load of the cached relations)."""
    return tuple(map(tuple.__new__, repeat(SharedPassage), rows))


@dataclass(frozen=True)
class PassageCluster:
    """One passage and every (article key, paragraph index) that carries it."""

    passages: tuple[tuple[str, int], ...]
    text: str  # as the first of `passages` writes it

    @cached_property
    def articles(self) -> tuple[str, ...]:
        # Passages come sorted, so their keys do: sorting them again costs one pass, where
        # sorting a set of them cost n log n (a wire story's cluster at 100,000 articles).
        # Kept: the build report and the article pages' notes both read every cluster's (a
        # syndicated archive's clusters hold 130,000 passages at 10,000 articles).
        return tuple(sorted(dict.fromkeys(key for key, _ in self.passages)))


@dataclass(frozen=True)
class SharedText:
    by_article: Mapping[str, tuple[SharedPassage, ...]]  # only articles that share something
    clusters: tuple[PassageCluster, ...]
    crowded_buckets: int = 0  # LSH buckets too full to pair exhaustively (see max_bucket)

    def partners(self, key: str) -> tuple[str, ...]:
        """The articles sharing at least one passage with `key`, sorted."""
        return tuple(sorted({shared.other for shared in self.by_article.get(key, ())}))


@dataclass(frozen=True)
class PassageSignatures:
    """What the archive-wide step needs of one article's passages, computed once per article.

    Tokenising, shingling and MinHashing are per-article work (about half of the whole
    computation); they are done at parse time and cached with the article, so a build
    re-runs only the banding and verification. Flat arrays keep it compact in the cache:
    passage `i` is sentence `sentence[i]` of paragraph `paragraph[i]`, its BANDS band keys
    are `band_keys[i*BANDS:(i+1)*BANDS]` and its distinct shingle hashes, sorted, are
    `shingles[offsets[i]:offsets[i+1]]`.
    """

    paragraph: array[int] = field(default_factory=lambda: array("I"))
    sentence: array[int] = field(default_factory=lambda: array("I"))
    band_keys: array[int] = field(default_factory=lambda: array("I"))
    offsets: array[int] = field(default_factory=lambda: array("I", [0]))
    shingles: array[int] = field(default_factory=lambda: array("Q"))

    def __len__(self) -> int:
        return len(self.paragraph)

    def shingle_count(self, passage: int) -> int:
        return self.offsets[passage + 1] - self.offsets[passage]

    def shingle_set(self, passage: int) -> frozenset[int]:
        return frozenset(self.shingles[self.offsets[passage] : self.offsets[passage + 1]])


def passage_signatures(paragraphs: Sequence[str]) -> PassageSignatures:
    """Band keys and shingles of every passage of one article (see `shared_among`).

    Words come from `tokens.tokenize`, which the other extractors have already run on the
    same paragraphs. Word hashes are gathered in Python, a few hundred per article, and
    cutting sentences takes one pass over the gaps; shingling, MinHash and banding then run
    over all the article's passages at once (minhash.py).
    """
    found = PassageSignatures()
    hashes: list[int] = []
    gaps: list[str] = []  # gaps[i] is what precedes word i
    paragraph_at: dict[int, int] = {}  # first word -> paragraph (a wordless one is skipped)
    for paragraph, text in enumerate(paragraphs):
        tokens = tokenize(text)
        paragraph_at[len(hashes)] = paragraph
        hashes.extend(map(_word_hashes.__getitem__, tokens.words))
        gaps.extend(tokens.gaps)
    # A sentence ends at a gap holding an end mark and a space, or a line break; numbered as
    # `_SENTENCE_END.split` numbers them, to quote the passage later. Nine gaps in ten are
    # one plain space, and a string comparison is the cheapest way past them.
    count = _SENTENCE_END.findall
    candidates = [i for i, gap in enumerate(gaps) if gap != " "]
    breaks = {
        i: marks
        for i in candidates
        if not _BREAKS.isdisjoint(gaps[i]) and (marks := len(count(gaps[i])))
    }
    bounds = sorted({*paragraph_at, *breaks})
    bounds.append(len(hashes))
    starts: list[int] = []  # each passage's first word, in `hashes`
    stops: list[int] = []
    paragraph = sentence = 0
    for start, stop in pairwise(bounds):
        if start in paragraph_at:  # its first gap may hold line breaks: empty sentences
            paragraph, sentence = paragraph_at[start], breaks.get(start, 0)
        else:
            sentence += breaks[start]
        if stop - start < MIN_PASSAGE_WORDS:
            continue
        if stop - start <= WINDOW_WORDS + WINDOW_WORDS // 3:
            windows = [(start, stop)]
        else:
            step, last = WINDOW_WORDS // 2, stop - WINDOW_WORDS
            windows = [(first, first + WINDOW_WORDS) for first in (*range(start, last, step), last)]
        for first, end in windows:
            found.paragraph.append(paragraph)
            found.sentence.append(sentence)
            starts.append(first)
            stops.append(end)
    if not starts:
        return found
    # numpy takes a tenth of a second to import; only parsing a changed article needs it.
    from arshif.minhash import passage_minhash

    band_keys, shingles, offsets = passage_minhash(hashes, starts, stops)
    found.band_keys.frombytes(band_keys)
    found.shingles.frombytes(shingles)
    found.offsets.extend(offsets)
    return found


def shared_passages(
    docs: Mapping[str, Sequence[str]],
    *,
    threshold: float = 0.4,
    min_shared: int = MIN_SHARED,
    max_bucket: int = 100,
) -> SharedText:
    """Passages shared between articles: `docs` maps article key -> its paragraphs.

    Two passages are shared when at least `min_shared` shingles and at least `threshold`
    of the shorter one's shingles appear in both (containment, so a sentence quoted inside
    a longer one counts). On the seeds true reuse scores 0.47-1.0, unrelated sentences
    about the same event at most 0.29.
    """
    signatures = {key: passage_signatures(paragraphs) for key, paragraphs in docs.items()}
    return shared_among(
        signatures, docs, threshold=threshold, min_shared=min_shared, max_bucket=max_bucket
    )


def shared_among(
    signatures: Mapping[str, PassageSignatures],
    docs: Mapping[str, Sequence[str]],
    *,
    threshold: float = 0.4,
    min_shared: int = MIN_SHARED,
    max_bucket: int = 100,
    rows: bool = True,
) -> SharedText:
    """`shared_passages` from precomputed signatures; `docs` only supplies passage texts.

    Without `rows`, only the clusters: what a build needs (an article page names the other
    carriers of its passages). A syndicated archive has hundreds of thousands of rows, and
    making, sorting and caching them was most of the cost. The clusters then come from the
    links as they are found; tests/test_similar.py checks that they are the same.
    """
    text_of = _Texts(signatures, docs)
    units, bands = _units(signatures, min_shared)
    verified, crowded = _verified(signatures, units, bands, threshold, min_shared, max_bucket)
    if not rows:
        return SharedText(MappingProxyType({}), _clusters(units, verified, text_of), crowded)
    found = _Rows(text_of)
    _link_passages(units, verified, found.link)
    return _shared_text(found.links, crowded)


Node = tuple[str, int]  # (article key, paragraph index)
N = TypeVar("N", Node, int)  # what a union-find joins: passages, or units
End = tuple[Node, tuple[int, int]]  # the node, and its passage as (document, passage) numbers


@dataclass
class _Units:
    """The archive's passages as units: syndicated copy is mostly verbatim, so passages with
    the same shingle set are one unit, its first occurrence (by document, then passage),
    and its other occurrences are its copies. Banding and verification see each distinct
    passage once. Documents are numbered in the order of their sorted keys."""

    keys: list[str]
    paragraphs: list[array[int]]  # per document, each passage's paragraph
    locations: _Locations  # each unit's first occurrence
    copies: dict[int, list[tuple[int, int]]]  # unit -> its other occurrences, in order
    unit_at: list[array[int]]  # per document, each passage's unit (-1: too short)

    def node(self, doc: int, passage: int) -> Node:
        return self.keys[doc], self.paragraphs[doc][passage]


def _units(
    signatures: Mapping[str, PassageSignatures], min_shared: int
) -> tuple[_Units, list[array[int]]]:
    """The units of every passage with `min_shared` shingles, and each band's keys by unit."""
    keys = sorted(signatures)
    units = _Units(keys, [signatures[key].paragraph for key in keys], _Locations(), {}, [])
    locations, copies = units.locations, units.copies
    bands: list[array[int]] = [array("I") for _ in range(BANDS)]
    first_of: dict[bytes, int] = {}
    for doc, key in enumerate(keys):
        found = signatures[key]
        band_keys, offsets, all_shingles = found.band_keys, found.offsets, found.shingles
        unit_at = array("i", [-1]) * len(found)
        units.unit_at.append(unit_at)
        for passage in range(len(found)):
            start, stop = offsets[passage], offsets[passage + 1]
            if stop - start < min_shared:
                continue
            content = all_shingles[start:stop].tobytes()
            unit = first_of.get(content)
            if unit is not None:
                unit_at[passage] = unit
                copies.setdefault(unit, []).append((doc, passage))
                continue
            unit_at[passage] = first_of[content] = len(locations.doc)
            locations.add(doc, passage)
            base = passage * BANDS
            for band in range(BANDS):
                bands[band].append(band_keys[base + band])
    return units, bands


def _verified(
    signatures: Mapping[str, PassageSignatures],
    units: _Units,
    bands: list[array[int]],
    threshold: float,
    min_shared: int,
    max_bucket: int,
) -> tuple[list[tuple[int, int, float]], int]:
    """The pairs of units found shared, in order, with their similarity; and the number of
    crowded buckets."""
    locations, keys = units.locations, units.keys
    candidates, crowded = _candidates(bands, locations.doc, max_bucket)
    # Shingle sets are rebuilt for candidates rather than kept for every passage of a
    # large archive; candidates come sorted, so a bounded cache catches most repeats.
    cache: dict[int, frozenset[int]] = {}

    def shingles_of(unit: int) -> frozenset[int]:
        found = cache.get(unit)
        if found is None:
            if len(cache) >= 50_000:
                cache.clear()
            doc, passage = locations.at(unit)
            found = cache[unit] = signatures[keys[doc]].shingle_set(passage)
        return found

    verified: list[tuple[int, int, float]] = []
    for first, second in sorted(candidates):
        shingles_a, shingles_b = shingles_of(first), shingles_of(second)
        shared = len(shingles_a & shingles_b)
        if shared < min_shared:
            continue
        similarity = shared / min(len(shingles_a), len(shingles_b))
        if similarity >= threshold:
            verified.append((first, second, similarity))
    return verified, crowded


def _elsewhere(units: _Units, unit: int) -> tuple[int, int] | None:
    """The unit's first copy in another article than its first occurrence's, if any."""
    first_doc = units.locations.doc[unit]
    return next((o for o in units.copies.get(unit, ()) if o[0] != first_doc), None)


def _copy_pairs(units: _Units, unit: int) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """The links of a unit's copies, as (copy, other end): each copy is linked to the first
    occurrence in another article (a text that repeats its own passage shares nothing by
    that)."""
    head = units.locations.at(unit)
    elsewhere = _elsewhere(units, unit)
    for other in units.copies.get(unit, ()):
        if other[0] != head[0]:
            yield other, head
        elif elsewhere is not None:
            yield other, elsewhere


def _link_passages(
    units: _Units,
    verified: Sequence[tuple[int, int, float]],
    link: Callable[[Iterable[tuple[End, End]], float], None],
) -> None:
    """Call `link` with every pair of passages found shared: the verified units, then each
    unit's copies."""
    at, node = units.locations.at, units.node

    def end(where: tuple[int, int]) -> End:
        return node(*where), where

    for first, second, similarity in verified:
        link([(end(at(first)), end(at(second)))], similarity)
    for unit in sorted(units.copies):
        # A wire story has hundreds of copies, most of a syndicated archive's links: all of
        # them are handed over in one call.
        link([(end(a), end(b)) for a, b in _copy_pairs(units, unit)], 1.0)


class _Texts:
    """The text of a passage, given its (document, passage) numbers in `sorted(signatures)`."""

    def __init__(
        self, signatures: Mapping[str, PassageSignatures], docs: Mapping[str, Sequence[str]]
    ) -> None:
        self._signatures, self._docs = signatures, docs
        self._keys = sorted(signatures)
        # By paragraph text: a syndicated paragraph is split into sentences once, not once
        # per article that carries it.
        self._texts: dict[tuple[str, int], str] = {}

    def __call__(self, doc: int, passage: int) -> str:
        key = self._keys[doc]
        signature = self._signatures[key]
        paragraph = self._docs[key][signature.paragraph[passage]]
        text_key = (paragraph, signature.sentence[passage])
        found = self._texts.get(text_key)
        if found is None:
            found = self._texts[text_key] = _SENTENCE_END.split(paragraph)[text_key[1]].strip()
        return found


class _Rows:
    """Every link both ways, with the best similarity of each pair and the text of each end."""

    def __init__(self, text_of: _Texts) -> None:
        self.text_of = text_of
        self.links: dict[tuple[Node, Node], tuple[float, str]] = {}

    def link(self, pairs: Iterable[tuple[End, End]], similarity: float) -> None:
        links = self.links
        rounded = round(similarity, 3)
        for a, b in pairs:
            for (here, at), (there, _) in ((a, b), (b, a)):
                best = links.get((here, there))
                if best is None or similarity > best[0]:
                    links[here, there] = (rounded, self.text_of(*at))


def _clusters(
    units: _Units, verified: Sequence[tuple[int, int, float]], text_of: _Texts
) -> tuple[PassageCluster, ...]:
    """The clusters `_shared_text` makes of the links `_Rows` keeps, from the units.

    Every linked occurrence of a unit is in one cluster with the unit's first occurrence,
    so clusters are joined unit by unit: by the verified pairs, and where one paragraph
    holds linked occurrences of several units. A syndicated archive's links are mostly its
    copies (130,000 at 10,000 articles, of 101 units), and joining them one link at a time
    was most of the cost. Only a cluster's smallest passage is then followed link by link,
    for the text (`_first_text`).
    """
    locations, keys, paragraphs = units.locations, units.keys, units.paragraphs
    parent: dict[int, int] = {}  # joined units
    pairs_of: dict[int, list[tuple[int, int, float]]] = {}  # unit -> (order, other, similarity)
    for order, (first, second, similarity) in enumerate(verified):
        pairs_of.setdefault(first, []).append((order, second, similarity))
        pairs_of.setdefault(second, []).append((order, first, similarity))
        _join(parent, first, second)
    linked = set(pairs_of)  # units whose first occurrence has a link
    unit_of: dict[Node, int] = {}  # each linked passage's paragraph, and a unit it holds
    for unit, others in units.copies.items():
        if _elsewhere(units, unit) is not None:  # then every copy is linked
            linked.add(unit)
            for node in [(keys[doc], paragraphs[doc][passage]) for doc, passage in others]:
                found = unit_of.setdefault(node, unit)
                if found != unit:
                    _join(parent, found, unit)
    for unit in linked:
        found = unit_of.setdefault(units.node(*locations.at(unit)), unit)
        if found != unit:
            _join(parent, found, unit)
    members: dict[int, list[Node]] = {}
    for node in sorted(unit_of):
        members.setdefault(_root(parent, unit_of[node]), []).append(node)
    return tuple(
        PassageCluster(tuple(nodes), text_of(*_first_text(units, pairs_of, nodes[0])))
        for nodes in sorted(members.values())
    )


def _first_text(
    units: _Units, pairs_of: Mapping[int, list[tuple[int, int, float]]], node: Node
) -> tuple[int, int]:
    """Where the text of `node`'s first row is (`_Rows`: its link to the smallest other
    passage, with the best similarity, the first such link when it ties), going through its
    links in the order `_link_passages` makes them.

    Of a unit's copy links, only the first of a run with one end here matters: they all
    have similarity 1, and a later link replaces an earlier one only with a smaller other
    end. A unit's occurrences come in order, the first one's article before the others, so
    its copies in that article come first and their first is the smallest of them; each
    links to the first copy elsewhere, the smallest of the others, and those link to the
    first occurrence, smaller still (`_copy_pairs`). The random texts of
    tests/test_similar.py check this against `_Rows`.
    """
    key, paragraph = node
    doc = bisect_left(units.keys, key)
    at, unit_at = units.locations.at, units.unit_at[doc]
    mine = [p for p, at_paragraph in enumerate(units.paragraphs[doc]) if at_paragraph == paragraph]
    links: list[tuple[Node, float, tuple[int, int]]] = []  # (other end, similarity, this end)
    verified = sorted(
        (order, other, similarity, (doc, passage))
        for passage in mine
        if unit_at[passage] >= 0 and at(unit_at[passage]) == (doc, passage)
        for order, other, similarity in pairs_of.get(unit_at[passage], ())
    )
    links += [(units.node(*at(other)), s, here) for _, other, s, here in verified]
    for unit in sorted({unit_at[p] for p in mine if unit_at[p] >= 0}):
        head, elsewhere = at(unit), _elsewhere(units, unit)
        if elsewhere is None:
            continue  # no copy links
        here = [(doc, p) for p in mine if unit_at[p] == unit]
        if doc == head[0]:
            # Copies in the first article, linked to the copy elsewhere, then the first
            # occurrence, linked to the copies elsewhere (the first of them is the smallest).
            copies = [o for o in here if o != head]
            if copies:
                links.append((units.node(*elsewhere), 1.0, copies[0]))
            if head in here:
                links.append((units.node(*elsewhere), 1.0, head))
        else:
            # Copies here, linked to the first occurrence. (If the copy elsewhere is here, it
            # is the first of them: its links to the copies in the first article, just before,
            # end no smaller than the first occurrence.)
            links.append((units.node(*head), 1.0, here[0]))
    best: tuple[Node, float, tuple[int, int]] | None = None
    for there, similarity, this in links:
        # The rule of `_Rows.link`, for the smallest other passage only.
        if best is None or there < best[0] or (there == best[0] and similarity > best[1]):
            best = (there, round(similarity, 3), this)
    assert best is not None, "a cluster's passage has a link"
    return best[2]


def _root(parent: dict[N, N], node: N) -> N:
    while parent.setdefault(node, node) != node:
        parent[node] = parent[parent[node]]  # path halving
        node = parent[node]
    return node


def _join(parent: dict[N, N], a: N, b: N) -> None:
    """Join the sets of `a` and `b`; the smaller root wins, so every set's root is its
    smallest member, whatever the order of the joins."""
    low, high = _root(parent, a), _root(parent, b)
    if high < low:
        low, high = high, low
    parent[high] = low


def _hash_of(word: str) -> int:
    """A 64-bit hash of `word`'s canonical form (cached per normalised word below)."""
    # «ويحتفظ» and «يحتفظ» are the same sentence told twice; drop the conjunction.
    canonical = word[1:] if word.startswith("و") and len(word) > 3 else word
    # Python's hash() is salted per process; blake2b gives every build the same numbers.
    digest = hashlib.blake2b(canonical.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


_word_hashes = WordCache(_hash_of, 1_000_000)


class _Locations:
    """Where each passage came from, in compact arrays: the archive can be large."""

    def __init__(self) -> None:
        self.doc: array[int] = array("I")
        self.passage: array[int] = array("I")

    def add(self, doc: int, passage: int) -> None:
        self.doc.append(doc)
        self.passage.append(passage)

    def at(self, unit: int) -> tuple[int, int]:
        return self.doc[unit], self.passage[unit]


def _candidates(
    bands: list[array[int]], doc_of: array[int], max_bucket: int
) -> tuple[set[tuple[int, int]], int]:
    """Passage pairs from different articles that fall in one bucket of some band."""
    pairs: set[tuple[int, int]] = set()
    crowded_count = 0
    for band in bands:  # one band at a time keeps a single dictionary alive
        first_in: dict[int, int] = {}
        crowded: dict[int, list[int]] = {}
        for unit, key in enumerate(band):
            first = first_in.setdefault(key, unit)
            if first != unit:
                crowded.setdefault(key, [first]).append(unit)
        for members in crowded.values():
            if len(members) > max_bucket:
                # Too many to pair (boilerplate, or one wire story everywhere): verify each
                # against the first only, which keeps the cost linear and still clusters
                # true copies of it.
                crowded_count += 1
                head = members[0]
                pairs.update(
                    (head, other) for other in members[1:] if doc_of[other] != doc_of[head]
                )
                continue
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    if doc_of[first] != doc_of[second]:
                        pairs.add((first, second))
    return pairs, crowded_count


def _shared_text(
    links: Mapping[tuple[tuple[str, int], tuple[str, int]], tuple[float, str]], crowded: int
) -> SharedText:
    # Grouped by article and sorted within each: the same order as sorting every link, at a
    # fraction of the cost (a syndicated archive has hundreds of thousands of links).
    by_key: dict[str, list[tuple[int, str, int, float, str]]] = {}
    for ((key, paragraph), (other, other_paragraph)), (similarity, text) in links.items():
        by_key.setdefault(key, []).append((paragraph, other, other_paragraph, similarity, text))
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        return _root(parent, node)

    # Links come both ways: joining each pair once, from its smaller end, is enough. The
    # smaller root always wins, so every cluster's root is its smallest node, whatever the
    # order of the joins.
    for here, there in links:
        if here < there:
            _join(parent, here, there)
    by_article: dict[str, tuple[SharedPassage, ...]] = {}
    for key in sorted(by_key):
        by_article[key] = shared_passages_of(sorted(by_key[key]))
    members: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in sorted(parent):
        members.setdefault(root(node), []).append(node)

    def first_text(node: tuple[str, int]) -> str:
        """The node's passage text in its first link (its rows are sorted by paragraph)."""
        rows = by_article[node[0]]
        return rows[bisect_left(rows, (node[1],))].text

    clusters = tuple(
        PassageCluster(tuple(nodes), first_text(nodes[0])) for nodes in sorted(members.values())
    )
    return SharedText(MappingProxyType(by_article), clusters, crowded)
