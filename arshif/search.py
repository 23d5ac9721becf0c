"""Search stage: turns the archive's documents into the static index that static/search.js reads.

The pipeline hands `build_search_index` one `SearchDoc` per article and the gazetteer's spelling
variants; it gets back `SearchIndex.files`, a mapping of site-relative paths to bytes that it
writes under the site root unchanged. Nothing here touches the disk or the clock, so the same
input always gives byte-identical files.

Every file is a classic script that calls `ArshifSearch.register(name, data)`, so the browser can
load it with a `<script src>` tag from file:// as well as over http. The layout:

    search/meta.js         shard boundaries, document count, content hash (loaded first)
    search/idx-NNNN.js     a contiguous range of the sorted terms with their postings
    search/docs-NNNN.js    url, title, dates, source and the start of the text of a few docs

A one-word query loads meta.js, the index shards holding its clitic forms (and their gazetteer
canonical), then only the doc shards of the results on screen. Shards are cut by byte size
over the sorted term list, so a range starts at a short prefix where the vocabulary is thin
and a long one where it is dense (all the ال- words), and shard sizes stay flat as the archive
grows.

Matching follows arabic.py: a word is indexed under `clitic_forms(word)` and, through the
gazetteer, under the canonical token of each form; a query word finds a document when their
term sets meet. `word_terms` is that rule; static/search.js implements the query side of it
and tests/data/arabic_cases.json checks the two agree.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from arshif.arabic import clitic_forms, words

FORMAT_VERSION = 1
# Index shards are cut near this size. A query word needs one shard per clitic form (at most
# four: للناتو, ناتو, لناتو, الناتو) and per gazetteer canonical, and a term with a very long
# postings list gets a shard of its own, so one word stays well under ~150 KB at 10,000 docs.
INDEX_SHARD_BYTES = 20_000
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
_SPACES = re.compile(r"\s+")
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
    text: str  # body as plain text


@dataclass(frozen=True)
class SearchStats:
    """Sizes worth reporting after a build."""

    bytes: int  # all files together
    shards: int  # index shards (search/idx-*.js)
    docs: int
    terms: int  # distinct indexed terms, clitic forms and canonicals included
    doc_shards: int
    index_bytes: int  # meta.js and the index shards
    largest_shard_bytes: int  # the biggest index shard; one very common term can exceed the cap


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
        key = _utf16(term)
        while low < high:  # the last boundary <= term; boundaries[0] is "" so one always is
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
    """Which documents hold one term, per field; the flag is True for an exact occurrence."""

    body: dict[int, bool] = field(default_factory=dict)
    title: dict[int, bool] = field(default_factory=dict)


def build_search_index(docs: Sequence[SearchDoc], synonyms: Mapping[str, str]) -> SearchIndex:
    """Build the shards for `docs`. Pure and deterministic: the input order does not matter."""
    variants = normalise_synonyms(synonyms)
    ordered = _order_docs(docs)
    postings = _collect_postings(ordered, variants)
    aliases = {v: c for v, c in variants.items() if c in postings}
    entries = _shard_entries(postings, aliases)
    shards = _partition(entries, INDEX_SHARD_BYTES)
    boundaries = _boundaries(shards)

    files: dict[str, bytes] = {}
    for number, keys in enumerate(shards):
        name = _index_path(number)
        files[name] = _script(_name(name), _shard_data(entries, keys))
    for number in range(0, len(ordered), DOCS_PER_SHARD):
        name = _docs_path(number // DOCS_PER_SHARD)
        chunk = ordered[number : number + DOCS_PER_SHARD]
        files[name] = _script(_name(name), [_doc_record(doc) for doc in chunk])
    meta = {
        "version": FORMAT_VERSION,
        "docs": len(ordered),
        "docsPerShard": DOCS_PER_SHARD,
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
    docs: Sequence[SearchDoc], synonyms: Mapping[str, str]
) -> dict[str, _Postings]:
    postings: dict[str, _Postings] = {}
    cache: dict[str, dict[str, bool]] = {}  # a corpus repeats its words; expand each once

    def field_terms(text: str) -> dict[str, bool]:
        terms: dict[str, bool] = {}
        for word in words(text):
            if word not in cache:
                cache[word] = word_terms(word, synonyms)
            for term, exact in cache[word].items():
                terms[term] = terms.get(term, False) or exact
        return terms

    for number, doc in enumerate(docs):
        for term, exact in field_terms(doc.text).items():
            postings.setdefault(term, _Postings()).body[number] = exact
        for term, exact in field_terms(doc.title).items():
            postings.setdefault(term, _Postings()).title[number] = exact
    return postings


def _encode_postings(postings: Mapping[int, bool]) -> str:
    """The shorter of the two encodings: gaps for rare terms, a bitmap for very common ones."""
    gaps = _encode_gaps(postings)
    if not postings or len(gaps) <= 1 + max(postings) // 3 + 1:
        return gaps
    return _BITMAP + _encode_bitmap(postings)


def _encode_gaps(postings: Mapping[int, bool]) -> str:
    """Ascending doc numbers as gaps, each `gap * 2 + exact`, written as base64 varints."""
    out: list[str] = []
    previous = -1
    for number in sorted(postings):
        value = (number - previous) * 2 + postings[number]
        previous = number
        while value >= _MORE:
            out.append(_DIGITS[(value & (_MORE - 1)) | _MORE])
            value >>= 5
        out.append(_DIGITS[value])
    return "".join(out)


def _encode_bitmap(postings: Mapping[int, bool]) -> str:
    """Two bits per doc from doc 0 (0 absent, 1 stripped form, 2 exact), three docs a character.

    A word in most documents costs about a third of a byte per document this way instead of
    a byte, which keeps the commonest words' shards small at 100,000 documents.
    """
    out: list[str] = []
    for start in range(0, max(postings) + 1, 3):
        value = 0
        for offset in range(3):
            exact = postings.get(start + offset)
            if exact is not None:
                value |= (1 + exact) << (2 * offset)
        out.append(_DIGITS[value])
    return "".join(out)


def _shard_entries(
    postings: Mapping[str, _Postings], aliases: Mapping[str, str]
) -> dict[str, dict[str, object]]:
    """Per key, what its shard says about it: "t" postings, "a" its canonical, "v" its variants.

    A canonical lists its variants so the browser can highlight a variant spelling in a
    snippet; an alias is shipped only when its canonical has postings.
    """
    entries: dict[str, dict[str, object]] = {}
    for term, found in postings.items():
        encoded = _encode_postings(found.body)
        if found.title:
            encoded += _TITLE_SEPARATOR + _encode_postings(found.title)
        entries[term] = {"t": encoded}
    variants_of: dict[str, list[str]] = {}
    for variant, canonical in sorted(aliases.items()):
        entries.setdefault(variant, {})["a"] = canonical
        variants_of.setdefault(canonical, []).append(variant)
    for canonical, variants in variants_of.items():
        entries[canonical]["v"] = variants
    return entries


def _partition(entries: Mapping[str, Mapping[str, object]], limit: int) -> list[list[str]]:
    """Cut the sorted keys into consecutive runs of about `limit` serialised bytes each."""
    shards: list[list[str]] = [[]]
    size = 0
    for key in sorted(entries, key=_utf16):
        entry_size = sum(len(_json({key: value}).encode()) for value in entries[key].values())
        if shards[-1] and size + entry_size > limit:
            shards.append([])
            size = 0
        shards[-1].append(key)
        size += entry_size
    return shards


def _boundaries(shards: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """For each shard the shortest prefix of its first key that sorts after the previous shard.

    The browser finds a term's shard as the last boundary <= term, so these short prefixes
    route every term, indexed or not, to the one shard that would hold it.
    """
    result = [""]
    for previous, current in itertools.pairwise(shards):
        last, first = _utf16(previous[-1]), current[0]
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


def _doc_record(doc: SearchDoc) -> list[str]:
    return [doc.url, doc.title, doc.date, doc.date_text, doc.source, _snippet_source(doc.text)]


def _snippet_source(text: str) -> str:
    """The start of the text on one line, cut at a word boundary, "…" when cut."""
    flat = _SPACES.sub(" ", text).strip()
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


def _docs_path(number: int) -> str:
    return f"search/docs-{number:04d}.js"


def _name(path: str) -> str:
    """The name a file registers under: its file name without folder and extension."""
    return path.removeprefix("search/").removesuffix(".js")


def _utf16(text: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units), not Python's."""
    return text.encode("utf-16-be")
