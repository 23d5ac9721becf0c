"""Search stage: turns the archive's documents into the static index that static/search.js reads.

The pipeline hands `build_search_index` one `SearchDoc` per article and the gazetteer's spelling
variants; it gets back `SearchIndex.files`, a mapping of site-relative paths to bytes that it
writes under the site root unchanged. Nothing here touches the disk or the clock, so the same
input always gives byte-identical files.

Every file is a classic script that calls `ArshifSearch.register(name, data)`, so the browser can
load it with a `<script src>` tag from file:// as well as over http. The layout:

    search/meta.js         shard boundaries, document count, content hash (loaded first)
    search/idx-NNNN.js     a contiguous range of the terms, sorted by their reversed letters
    search/docs-DAY-N.js   url, title, dates, source and the start of the text of a few docs

A one-word query loads meta.js, the index shards holding its clitic forms (and their gazetteer
canonical), then only the doc shards of the results on screen. Terms are ordered by their
letters read from the end: a word's clitic forms are all suffixes of it (للناتو, لناتو, ناتو,
الناتو), so they sit side by side and one shard usually holds all of them. Shards are cut by
byte size over that order, each starting at the shortest reversed prefix that tells it from
the shard before, so shard sizes stay flat as the archive grows.

Matching follows arabic.py: a word is indexed under `clitic_forms(word)` and, through the
gazetteer, under the canonical token of each form; a query word finds a document when their
term sets meet. `word_terms` is that rule; static/search.js implements the query side of it
and tests/data/arabic_cases.json checks the two agree.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol

from arshif.arabic import clitic_forms, words
from arshif.report import SearchStats

if TYPE_CHECKING:  # numpy is imported where postings are built: a no-op build needs none of it
    import numpy as np
    from numpy.typing import NDArray

    # Exact flags of a postings list: all, none, or one per number.
    Exact = bool | NDArray[np.bool_]

FORMAT_VERSION = 3
# Index shards are cut near this size. A query word needs the shard of its clitic forms (one,
# or two where a boundary falls between them) and of its gazetteer canonical, and a term with a
# very long postings list gets a shard of its own, so one word stays under ~150 KB at 10,000
# docs. An addition touches nearly every shard (a new document has some 250 distinct terms),
# so fewer, larger shards are what keep it from rewriting the whole index.
INDEX_SHARD_BYTES = 50_000
# Small doc shards: a results page of ten hits touches at most ten of them.
DOCS_PER_SHARD = 4
# Enough of the text for a snippet around an early match; the full text would double the
# size of the site for little gain, since news puts the key words in the first paragraphs.
SNIPPET_SOURCE_CHARS = 600

# Postings are varints in the URL-safe base64 alphabet: no character needs escaping in JSON.
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_MORE = 32  # continuation bit; each character carries five bits of the value
_TITLE_SEPARATOR = "."  # between body and title postings; not a varint character
_BITMAP = "~"  # starts a postings list written as a bitmap; not a varint character either
# A UTF-8 byte order mark makes the browser decode the file as UTF-8 whatever charset the
# page declares or a misconfigured server sends.
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SearchDoc:
    """One searchable article, as the pipeline knows it."""

    url: str  # site-root-relative, e.g. "articles/slug.html"
    title: str
    date: str  # ISO "2021-03-10", or "" when unknown
    date_text: str  # as displayed, e.g. «10 آذار/مارس 2021»
    source: str
    body: str | Callable[[], str]  # the body as plain text, or what gives it when first asked
    # When set, equal keys promise equal titles and texts: the memo goes by it, and a month
    # the memo knows never reads its texts (an article's body stays unpickled, model.py).
    key: str = ""

    @property
    def text(self) -> str:
        body = self.body
        return body if isinstance(body, str) else body()


@dataclass(frozen=True)
class SearchIndex:
    """The built index: `files` maps site-relative paths to the bytes to write there."""

    files: dict[str, bytes]
    stats: SearchStats
    boundaries: tuple[str, ...] = field(repr=False)  # first-term prefix of each index shard
    aliases: Mapping[str, str] = field(repr=False)  # variant -> canonical, as shipped

    def files_for_query(self, query: str) -> list[str]:
        """The index files static/search.js loads to answer `query` (doc shards not included).

        Mirrors the browser: meta.js, the shard of every clitic form of every query word, then
        the shard of each form's gazetteer canonical.
        """
        needed = {"search/meta.js"}
        for word in query_words(query):
            for form in clitic_forms(word):
                needed.add(self.shard_file(form))
                if form in self.aliases:
                    needed.add(self.shard_file(self.aliases[form]))
        return sorted(needed)

    def shard_file(self, term: str) -> str:
        """The index shard that holds `term`, if it is indexed at all."""
        low, high = 0, len(self.boundaries) - 1
        key = _term_key(term)
        while low < high:  # the last boundary <= the key; boundaries[0] is "" so one always is
            middle = (low + high + 1) // 2
            if _utf16(self.boundaries[middle]) <= key:
                low = middle
            else:
                high = middle - 1
        return _index_path(low)


# ---------------------------------------------------------------- matching rule


def normalise_synonyms(synonyms: Mapping[str, str]) -> dict[str, str]:
    """Gazetteer variants keyed by their normalised single word, canonicals as normalised words.

    Raises ValueError for a variant that is not one word (phrases would need phrase queries,
    which the browser does not do) or that two entries map to different canonicals.
    """
    result: dict[str, str] = {}
    for variant, canonical in sorted(synonyms.items()):
        variant_words = words(variant)
        if len(variant_words) != 1:
            raise ValueError(f"search synonym {variant!r}: a variant must be a single word")
        # Words only: the token is an index term like any other, and the browser looks
        # terms up as object keys, where only word characters are safe.
        token = " ".join(words(canonical))
        if not token:
            raise ValueError(f"search synonym {variant!r}: the canonical token is empty")
        key = variant_words[0]
        if result.get(key, token) != token:
            raise ValueError(
                f"search synonym {variant!r}: normalises to {key!r}, which already maps to "
                f"{result[key]!r}, not {token!r}"
            )
        result[key] = token
    return result


def word_terms(word: str, synonyms: Mapping[str, str]) -> dict[str, bool]:
    """The index terms of one normalised word, each flagged True when it is the word as written.

    The same rule serves documents and queries: the clitic forms of the word and the gazetteer
    canonical of each form. A canonical reached from the whole word counts as exact, so a
    variant spelling ranks like the spelling itself.
    """
    terms: dict[str, bool] = {}
    for form in clitic_forms(word):
        exact = form == word
        for term in (form, synonyms.get(form)):
            if term is not None:
                terms[term] = terms.get(term, False) or exact
    return terms


def document_terms(text: str, synonyms: Mapping[str, str]) -> dict[str, bool]:
    """Every term under which `text` is indexed; True where some word gave it exactly."""
    terms: dict[str, bool] = {}
    for word in words(text):
        for term, exact in word_terms(word, synonyms).items():
            terms[term] = terms.get(term, False) or exact
    return terms


def query_words(query: str) -> list[str]:
    """The distinct normalised words of a query, in the order typed; all must match (AND)."""
    return list(dict.fromkeys(words(query)))


def text_matches(query: str, text: str, synonyms: Mapping[str, str]) -> bool:
    """Whether the index would return `text` for `query`: the reference for the shared cases."""
    synonyms = normalise_synonyms(synonyms)
    indexed = document_terms(text, synonyms)
    wanted = query_words(query)
    return bool(wanted) and all(
        any(term in indexed for term in word_terms(word, synonyms)) for word in wanted
    )


# ---------------------------------------------------------------- building


@dataclass
class _Postings:
    """Which documents hold one term, per field, as the words that give the term contributed
    them: (ascending doc numbers, whether that word gives the term exactly). Most terms come
    from one word, so their lists are used as they are; the others are merged when encoded."""

    body: list[tuple[NDArray[np.int32], bool]] = field(default_factory=list)
    title: list[tuple[NDArray[np.int32], bool]] = field(default_factory=list)


class MonthWords(NamedTuple):
    """The words of one month's docs in one field: each distinct word once, how many of the
    docs hold it, and those docs' numbers within the month, ascending, word after word. As
    arrays: the memo holds every month of the archive, and a build merges them all."""

    words: tuple[str, ...]
    counts: NDArray[np.int32]
    numbers: NDArray[np.int32]


# A month's words for one field, or the snippet of each of its docs.
MonthMemo = MonthWords | list[str]


class WordMemo(Protocol):
    """Where the words (and snippets) of each month's documents are kept between builds
    (cache.py): the costliest step, and one new article changes one month."""

    def get(self, key: str) -> MonthMemo | None: ...

    def __setitem__(self, key: str, value: MonthMemo) -> None: ...


def build_search_index(
    docs: Sequence[SearchDoc], synonyms: Mapping[str, str], memo: WordMemo | None = None
) -> SearchIndex:
    """Build the shards for `docs`. Deterministic: the input order does not matter, and
    neither does `memo`, which only saves work."""
    variants = normalise_synonyms(synonyms)
    ordered = _order_docs(docs)
    groups = _doc_groups(ordered)
    # Words are memoised per month, not per day: a word recurs in many days of a month, and
    # per-day memo entries held each of them once per day (190 MB more at 10,000 articles).
    postings = _collect_postings(ordered, _months_of(groups), variants, memo)
    aliases = {v: c for v, c in variants.items() if c in postings}
    entries = _shard_entries(postings, aliases)
    shards = _partition(entries, INDEX_SHARD_BYTES)
    boundaries = _boundaries(shards)

    files: dict[str, bytes] = {}
    for number, keys in enumerate(shards):
        name = _index_path(number)
        files[name] = _script(_name(name), _shard_data(entries, keys))
    records = _doc_records(ordered, _months_of(groups), memo)
    start = 0
    for label, count in groups:
        for offset in range(0, count, DOCS_PER_SHARD):
            name = _docs_path(label, offset // DOCS_PER_SHARD)
            chunk = records[start + offset : start + min(count, offset + DOCS_PER_SHARD)]
            files[name] = _script(_name(name), chunk)
        start += count
    meta = {
        "version": FORMAT_VERSION,
        "docs": len(ordered),
        "docsPerShard": DOCS_PER_SHARD,
        "docDays": _day_counts(groups),
        "shards": list(boundaries),
        "hash": _content_hash(files),
    }
    files["search/meta.js"] = _script("meta", meta)

    index_files = [data for path, data in files.items() if not path.startswith("search/docs-")]
    stats = SearchStats(
        bytes=sum(len(data) for data in files.values()),
        shards=len(shards),
        docs=len(ordered),
        terms=len(postings),
        doc_shards=len(files) - len(shards) - 1,
        index_bytes=sum(len(data) for data in index_files),
        largest_shard_bytes=max(len(files[_index_path(i)]) for i in range(len(shards))),
    )
    return SearchIndex(dict(sorted(files.items())), stats, boundaries, aliases)


def _order_docs(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """Oldest first, then by URL. Numbers only grow as an archive does: a new article takes
    the next number, so the doc shards and posting bitmaps of older articles stay the same
    and an incremental build rewrites few index files. Equally good hits rank by number,
    highest (newest) first."""
    seen: set[str] = set()
    for doc in docs:
        if doc.url in seen:
            raise ValueError(f"search: two documents share the url {doc.url!r}")
        seen.add(doc.url)
    by_url = sorted(docs, key=lambda doc: doc.url)
    return sorted(by_url, key=lambda doc: doc.date)  # stable: url order kept


def _collect_postings(
    docs: Sequence[SearchDoc],
    groups: Sequence[tuple[str, int]],
    synonyms: Mapping[str, str],
    memo: WordMemo | None = None,
) -> dict[str, _Postings]:
    """Every term's documents. The work is done per distinct word, not per occurrence: each
    document lists its distinct words once, and each word is expanded into its terms once
    for the whole archive (`document_terms` is the same rule, one document at a time).
    Words are gathered a month (`groups`) at a time, the unit `memo` keeps."""
    pieces: dict[str, tuple[str, ...]] = {}
    postings: dict[str, _Postings] = {}
    for attribute in ("text", "title"):
        months: list[tuple[MonthWords, int]] = []
        start = 0
        for _, count in groups:
            months.append(
                (_month_words(docs[start : start + count], attribute, pieces, memo), start)
            )
            start += count
        words, bounds, numbers = _merged_months(months)
        for index, word in enumerate(words):
            found = numbers[bounds[index] : bounds[index + 1]]
            for term, exact in word_terms(word, synonyms).items():
                found_postings = postings.get(term)
                if found_postings is None:
                    found_postings = postings[term] = _Postings()
                getattr(found_postings, "body" if attribute == "text" else "title").append(
                    (found, exact)
                )
    return postings


def _merged_months(
    months: Sequence[tuple[MonthWords, int]],
) -> tuple[list[str], list[int], NDArray[np.int32]]:
    """The months' words (each month's with the number of its first doc) as one list per
    word of archive doc numbers, all in one array: every word once, in order of first use,
    and word i's numbers at `bounds[i]:bounds[i + 1]` of the array. A counting sort by word.
    A word occurs once in a month, so a month's numbers are placed with a few array
    operations, where shifting and extending them word by word in Python was a third of
    an addition's index at 10,000 articles."""
    import numpy as np

    index: dict[str, int] = {}  # each word's number, in order of first use
    ids = [
        np.array([index.setdefault(word, len(index)) for word in month.words], np.int64)
        for month, _ in months
    ]
    words = list(index)
    totals = np.zeros(len(words), np.int64)
    for (month, _), found in zip(months, ids, strict=True):
        totals[found] += month.counts  # a word's id occurs once per month: no collisions
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(totals, out=offsets[1:])
    merged = np.empty(int(offsets[-1]), np.int32)
    filled = offsets[:-1].copy()  # where each word's next numbers go
    for (month, first), found in zip(months, ids, strict=True):
        counts = month.counts
        runs = np.cumsum(counts) - counts  # where each word's numbers start in the month's
        at = np.repeat(filled[found] - runs, counts) + np.arange(len(month.numbers))
        merged[at] = month.numbers + first
        filled[found] += counts
    return words, offsets.tolist(), merged


def _month_words(
    docs: Sequence[SearchDoc],
    attribute: str,
    pieces: dict[str, tuple[str, ...]],
    memo: WordMemo | None,
) -> MonthWords:
    """`_word_docs` of one month's `attribute` texts, from `memo` when it has seen them."""
    if memo is None:
        return _word_docs([getattr(doc, attribute) for doc in docs], pieces)
    key = _month_key(docs, attribute, attribute)
    found = memo.get(key)
    if not isinstance(found, MonthWords):
        found = memo[key] = _word_docs([getattr(doc, attribute) for doc in docs], pieces)
    return found


def _month_key(docs: Sequence[SearchDoc], entry: str, attribute: str) -> str:
    """What one month's memo `entry` made from `attribute` is keyed by: its docs' URLs, and
    their keys or else the attribute's texts themselves."""
    h = hashlib.blake2b(entry.encode(), digest_size=16)
    for doc in docs:
        stands = f"k{doc.key}" if doc.key else f"t{getattr(doc, attribute)}"
        h.update(f"\0{doc.url}\0{stands}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _doc_records(
    docs: Sequence[SearchDoc], months: Sequence[tuple[str, int]], memo: WordMemo | None
) -> list[list[str]]:
    """Every doc's record in the doc shards, in doc order; the snippets a month at a time,
    from `memo` when it has seen the month (a snippet is the one part that reads the text)."""
    snippets: list[str] = []
    start = 0
    for _, count in months:
        month = docs[start : start + count]
        start += count
        if memo is None:
            snippets += [_snippet_source(doc.text) for doc in month]
            continue
        key = _month_key(month, "snippet", "text")
        found = memo.get(key)
        if not isinstance(found, list):
            found = memo[key] = [_snippet_source(doc.text) for doc in month]
        snippets += found
    return [
        [doc.url, doc.title, doc.date, doc.date_text, doc.source, snippet]
        for doc, snippet in zip(docs, snippets, strict=True)
    ]


def _word_docs(texts: Sequence[str], pieces: dict[str, tuple[str, ...]]) -> MonthWords:
    """Each normalised word of the texts and the ascending numbers of the texts holding it.

    A text is split at whitespace first and each distinct piece normalised once (`pieces`
    remembers them across texts): `words` of a text is always the words of its whitespace
    pieces in turn, since normalisation never joins or splits across a whitespace character
    (tests/test_search.py checks this on every character that normalisation changes).
    """
    import numpy as np

    found: dict[str, list[int]] = {}
    for number, text in enumerate(texts):
        distinct: set[str] = set()
        for piece in set(text.split()):
            piece_words = pieces.get(piece)
            if piece_words is None:
                piece_words = pieces[piece] = tuple(words(piece))
            distinct.update(piece_words)
        for word in distinct:
            numbers = found.get(word)
            if numbers is None:
                found[word] = [number]
            else:
                numbers.append(number)
    counts = np.fromiter(map(len, found.values()), np.int32, len(found))
    flat = np.fromiter(itertools.chain.from_iterable(found.values()), np.int32, int(counts.sum()))
    return MonthWords(tuple(found), counts, flat)


def _merged(
    contributions: Sequence[tuple[NDArray[np.int32], bool]],
) -> tuple[NDArray[np.int32], Exact]:
    """(ascending doc numbers, which are exact: True/False when all or none are)."""
    if len(contributions) == 1:
        numbers, exact = contributions[0]
        return numbers, exact
    import numpy as np

    numbers = _union([n for n, _ in contributions])
    exact_parts = [n for n, exact in contributions if exact]
    if not exact_parts:
        return numbers, False
    exact_numbers = _union(exact_parts)
    if len(exact_numbers) == len(numbers):
        return numbers, True
    return numbers, np.isin(numbers, exact_numbers, assume_unique=True)


def _union(lists: Sequence[NDArray[np.int32]]) -> NDArray[np.int32]:
    """The numbers of ascending lists, ascending, each once. (A stable sort merges the runs
    it is given; np.unique hashed them, at four times the cost.)"""
    import numpy as np

    joined = np.sort(np.concatenate(lists), kind="stable")
    first = np.empty(len(joined), np.bool_)
    first[:1] = True
    np.not_equal(joined[1:], joined[:-1], out=first[1:])
    return joined[first]


def _encode_postings(postings: Mapping[int, bool]) -> str:
    """The shorter of the two encodings: gaps for rare terms, a bitmap for very common ones."""
    import numpy as np

    numbers = sorted(postings)
    exact = np.array([postings[n] for n in numbers], np.bool_)
    return _encode(np.array(numbers, np.int32), exact)


# Lists shorter than this are encoded in Python: a few array operations cost more than
# their numbers do one by one, and most terms of a real archive are in a few docs only.
ARRAY_ENCODING = 64


def _encode(numbers: NDArray[np.int32], exact: Exact) -> str:
    """`_encode_postings` of ascending `numbers`, with `exact` the exact ones (or all/none)."""
    bitmap = 1 + int(numbers[-1]) // 3 + 1 if len(numbers) else 0  # with its marker
    # Gaps take a character each at least: a term in a third of the docs or more is a
    # bitmap without them (a third of the numbers encoded at 10,000 articles, 0.13 s).
    if len(numbers) <= bitmap:
        gaps = _encode_gaps(numbers, exact)
        if len(gaps) <= bitmap:
            return gaps
    return _BITMAP + _encode_bitmap(numbers, exact)


def _encode_gaps(numbers: NDArray[np.int32], exact: Exact) -> str:
    """Ascending doc numbers as gaps, each `gap * 2 + exact`, written as base64 varints."""
    if len(numbers) < ARRAY_ENCODING:
        listed = numbers.tolist()
        gaps = map(operator.sub, listed, itertools.chain((-1,), listed))
        if exact is True or exact is False:
            values = [gap * 2 + exact for gap in gaps]
        else:
            values = [gap * 2 + e for gap, e in zip(gaps, exact.tolist(), strict=True)]
        return "".join(map(_VARINTS.__getitem__, values))
    return _array_gaps(numbers, exact)


def _array_gaps(numbers: NDArray[np.int32], exact: Exact) -> str:
    """`_encode_gaps` of a long list, as array operations."""
    import numpy as np

    values = np.diff(numbers, prepend=-1).astype(np.int64) * 2 + exact
    # Each value's characters, low five bits first, each but the last with _MORE set.
    length = np.ones(len(values), np.int64)
    rest = values >> 5
    while rest.any():
        length += rest > 0
        rest >>= 5
    at = np.cumsum(length) - length
    out = np.empty(int(length.sum()), np.uint8)
    while len(values):
        more = length > 1
        out[at] = _digit_array()[(values & (_MORE - 1)) | (more * _MORE)]
        values, at, length = values[more] >> 5, at[more] + 1, length[more] - 1
    return out.tobytes().decode("ascii")


def _varint(value: int) -> str:
    out: list[str] = []
    while value >= _MORE:
        out.append(_DIGITS[(value & (_MORE - 1)) | _MORE])
        value >>= 5
    out.append(_DIGITS[value])
    return "".join(out)


class _Varints(dict[int, str]):
    """Varint text of each value, computed the first time it is needed and kept: the same
    small gaps recur in every postings list. (Filled lazily: a build that stops at its stamp
    imports this module to read its report and needs none of them.)"""

    def __missing__(self, value: int) -> str:
        text = self[value] = _varint(value)
        return text


_VARINTS = _Varints()


@functools.cache
def _digit_array() -> NDArray[np.uint8]:
    import numpy as np

    return np.frombuffer(_DIGITS.encode("ascii"), np.uint8)


def _encode_bitmap(numbers: NDArray[np.int32], exact: Exact) -> str:
    """Two bits per doc from doc 0 (0 absent, 1 stripped form, 2 exact), three docs a character.

    A word in most documents costs about a third of a byte per document this way instead of
    a byte, which keeps the commonest words' shards small at 100,000 documents.
    """
    import numpy as np

    codes = np.zeros((int(numbers[-1]) // 3 + 1) * 3, np.uint8)
    codes[numbers] = np.add(exact, 1, dtype=np.uint8)
    # Three codes of 0-2 make one digit, first + 4 * second + 16 * third (< 64).
    return bytes(_digit_array()[codes[0::3] | codes[1::3] << 2 | codes[2::3] << 4]).decode("ascii")


def _shard_entries(
    postings: Mapping[str, _Postings], aliases: Mapping[str, str]
) -> dict[str, dict[str, object]]:
    """Per key, what its shard says about it: "t" postings, "a" its canonical, "v" its variants.

    A canonical lists its variants so the browser can highlight a variant spelling in a
    snippet; an alias is shipped only when its canonical has postings.
    """
    entries: dict[str, dict[str, object]] = {}
    for term, found in postings.items():
        encoded = _encode(*_merged(found.body)) if found.body else ""
        if found.title:
            encoded += _TITLE_SEPARATOR + _encode(*_merged(found.title))
        entries[term] = {"t": encoded}
    variants_of: dict[str, list[str]] = {}
    for variant, canonical in sorted(aliases.items()):
        entries.setdefault(variant, {})["a"] = canonical
        variants_of.setdefault(canonical, []).append(variant)
    for canonical, variants in variants_of.items():
        entries[canonical]["v"] = variants
    return entries


def _partition(entries: Mapping[str, Mapping[str, object]], limit: int) -> list[list[str]]:
    """Cut the keys, in `_term_key` order, into runs of about `limit` serialised bytes each."""
    shards: list[list[str]] = [[]]
    size = 0
    for key in sorted(entries, key=_term_key):
        entry_size = sum(len(_json({key: value}).encode()) for value in entries[key].values())
        if shards[-1] and size + entry_size > limit:
            shards.append([])
            size = 0
        shards[-1].append(key)
        size += entry_size
    return shards


def _boundaries(shards: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """For each shard the shortest prefix of its first key, reversed, that sorts after the
    previous shard's last key, reversed.

    The browser finds a term's shard as the last boundary <= the reversed term, so these short
    prefixes route every term, indexed or not, to the one shard that would hold it.
    """
    result = [""]
    for previous, current in itertools.pairwise(shards):
        last, first = _term_key(previous[-1]), current[0][::-1]
        cut = next(n for n in range(1, len(first) + 1) if _utf16(first[:n]) > last)
        result.append(first[:cut])
    return tuple(result)


def _shard_data(
    entries: Mapping[str, Mapping[str, object]], keys: Iterable[str]
) -> dict[str, dict[str, object]]:
    """Shard data: {"t": {term: postings}, "a": {variant: canonical}, "v": {canonical: [...]}}."""
    data: dict[str, dict[str, object]] = {}
    for key in keys:
        for section, value in entries[key].items():
            data.setdefault(section, {})[key] = value
    return data


def _snippet_source(text: str) -> str:
    """The start of the text on one line, cut at a word boundary, "…" when cut."""
    # Flattening a prefix of the text gives a prefix of the flattened text (its last word
    # may be cut short), so a long text is flattened only as far as the snippet needs.
    flat = " ".join(text[: SNIPPET_SOURCE_CHARS * 4].split())
    if len(flat) <= SNIPPET_SOURCE_CHARS + 1:
        flat = " ".join(text.split())  # str.split splits where the regex \s matches
    if len(flat) <= SNIPPET_SOURCE_CHARS:
        return flat
    cut = flat.rfind(" ", 0, SNIPPET_SOURCE_CHARS + 1)
    return flat[: cut if cut > 0 else SNIPPET_SOURCE_CHARS] + " …"


# ---------------------------------------------------------------- serialising


def _json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Valid JSON, but a line terminator inside a string literal breaks older JS parsers.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(name: str, data: object) -> bytes:
    return _BOM + f"ArshifSearch.register({_json(name)},{_json(data)});\n".encode()


def _content_hash(files: Mapping[str, bytes]) -> str:
    """Changes whenever any shard does; search.js adds it to shard URLs to defeat stale caches."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    return digest.hexdigest()[:16]


def _index_path(number: int) -> str:
    return f"search/idx-{number:04d}.js"


def _docs_path(group: str, number: int) -> str:
    return f"search/docs-{group}-{number}.js"


def _doc_groups(ordered: Sequence[SearchDoc]) -> list[tuple[str, int]]:
    """(day, how many docs) in doc order: «2021-02-28», or «undated» (they come first).

    Doc shards are cut within each day, so an article filed under an old date renumbers
    the docs after it but changes only its own day's doc shards (one or two): the others
    hold the same records, and meta.js says where each day starts. Cut within a month, the
    addition rewrote the rest of its month (28 shards at 10,000 articles).
    """
    groups: list[tuple[str, int]] = []
    for doc in ordered:
        label = doc.date[:10] or "undated"
        if groups and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1] + 1)
        else:
            groups.append((label, 1))
    return groups


def _months_of(groups: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """`_doc_groups` merged into (month, how many docs), still in doc order."""
    months: dict[str, int] = {}
    for label, count in groups:
        months[label[:7]] = months.get(label[:7], 0) + count
    return list(months.items())


def _day_counts(groups: Sequence[tuple[str, int]]) -> list[list[str]]:
    """meta.js's compact form of `_doc_groups`: per month, the doc count of each of its days
    from the 1st to the last with docs, as varints (["2020-10", "AAEC"]: none on the 1st and
    2nd, four on the 3rd, two on the 4th); ["undated", count] for the undated docs."""
    months: dict[str, list[int]] = {}
    for label, count in groups:  # in date order, so each month's days come together
        days = months.setdefault(label[:7], [])
        day = 1 if label == "undated" else int(label[8:10])
        days.extend([0] * (day - 1 - len(days)))
        days.append(count)
    return [[month, "".join(map(_VARINTS.__getitem__, days))] for month, days in months.items()]


def _name(path: str) -> str:
    """The name a file registers under: its file name without folder and extension."""
    return path.removeprefix("search/").removesuffix(".js")


def _term_key(term: str) -> bytes:
    """Where a term sorts among the shards: its characters from last to first, compared as
    JavaScript compares the reversed string (search.js reverses by code point too)."""
    return _utf16(term[::-1])


def _utf16(text: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units), not Python's."""
    return text.encode("utf-16-be")
