"""The index builder's shortcuts give exactly what the plain rules give.

`build_search_index` normalises each distinct whitespace piece of a text once, merges the
documents of each distinct word with set unions and encodes postings with tables and big
integers. Each shortcut is checked here against the straightforward definition it replaces:
`words` of the whole text, `document_terms` per document, and a digit-by-digit encoder.
"""

from __future__ import annotations

import json
import re
import unicodedata
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from arshif import search
from arshif.arabic import words
from arshif.search import (
    SNIPPET_SOURCE_CHARS,
    SearchDoc,
    SearchIndex,
    _encode_postings,
    _snippet_source,
    build_search_index,
    document_terms,
)

DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_the_words_of_a_text_are_the_words_of_its_whitespace_pieces() -> None:
    """Normalisation (NFKC, dropped marks, lower case) never joins or splits words across a
    whitespace character, for every character it changes and every kind of whitespace."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    changed = [
        chr(c)
        for c in range(0x110000)
        if unicodedata.combining(chr(c))
        or unicodedata.decomposition(chr(c))
        or not unicodedata.is_normalized("NFKC", chr(c))
        or words(chr(c)) != ([chr(c)] if chr(c).isalnum() else [])
    ]
    assert len(changed) > 5000
    for space in spaces:
        for char in changed:
            for text in (space + char, char + space, "ب" + space + char, char + space + "a"):
                assert words(text) == [w for piece in text.split() for w in words(piece)], text


# Words with clitics, tashkeel, tatweel, presentation forms, digits of both scripts and Latin.
VOCABULARY = (
    "الناتو", "للناتو", "وبالعراق", "العراق", "بغداد", "بغداد،", "ستولتنبرج", "ستولتنبرغ",
    "مُهِمّة", "مهمة", "الـحلف", "ﻻ", "٤", "4000", "NATO", "Nato.", "«قوات»", "وال", "كالعادة",
    "(رويترز)", "فبالتالي", "لل", "ولله", "العراق،بغداد", "الناتو/للحلف", "ﻻ-NATO",
)  # fmt: skip
SPACES = (" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2028")
texts = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SPACES)), min_size=0, max_size=30
).map(lambda pairs: "".join(word + space for word, space in pairs))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, texts, st.sampled_from(["", "2021-01-01", "2021-02-01"]))))
def test_postings_are_the_per_document_terms_of_every_document(
    fields: list[tuple[str, str, str]],
) -> None:
    synonyms = {"ستولتنبرج": "ستولتنبرغ", "ناتو": "الناتو"}
    docs = [
        SearchDoc(f"articles/{n}.html", title, date, "", "", text)
        for n, (title, text, date) in enumerate(fields)
    ]
    index = build_search_index(docs, synonyms)
    ordered = sorted(sorted(docs, key=lambda d: d.url), key=lambda d: d.date)
    body: dict[str, dict[int, bool]] = {}
    title: dict[str, dict[int, bool]] = {}
    for number, doc in enumerate(ordered):
        for term, exact in document_terms(doc.text, index.aliases).items():
            body.setdefault(term, {})[number] = exact
        for term, exact in document_terms(doc.title, index.aliases).items():
            title.setdefault(term, {})[number] = exact
    expected = {
        term: reference_encoding(body.get(term, {}))
        + ("." + reference_encoding(title[term]) if term in title else "")
        for term in body.keys() | title.keys()
    }
    assert index_terms(index) == expected


def index_terms(index: SearchIndex) -> dict[str, str]:
    """{term: encoded postings} over every index shard."""
    terms: dict[str, str] = {}
    for path, data in index.files.items():
        if path.startswith("search/idx-"):
            match = re.fullmatch(
                r'ArshifSearch\.register\("[^"]*",(.*)\);\n', data.decode("utf-8-sig")
            )
            assert match is not None
            terms.update(json.loads(match[1]).get("t", {}))
    return terms


def reference_encoding(postings: dict[int, bool]) -> str:
    """Both encodings written out digit by digit, and the shorter one chosen."""
    gaps: list[str] = []
    previous = -1
    for number in sorted(postings):
        value = (number - previous) * 2 + postings[number]
        previous = number
        while value >= 32:
            gaps.append(DIGITS[(value & 31) | 32])
            value >>= 5
        gaps.append(DIGITS[value])
    if not postings or len(gaps) <= 1 + max(postings) // 3 + 1:
        return "".join(gaps)
    bitmap = ["~"]
    for start in range(0, max(postings) + 1, 3):
        value = 0
        for offset in range(3):
            exact = postings.get(start + offset)
            if exact is not None:
                value |= (1 + exact) << (2 * offset)
        bitmap.append(DIGITS[value])
    return "".join(bitmap)


numbers = st.one_of(st.integers(0, 40), st.integers(0, 3000), st.integers(0, 2_000_000))
postings_lists = st.one_of(
    st.dictionaries(numbers, st.booleans(), max_size=60),
    # Dense lists, which take the bitmap: all exact, none exact, or mixed.
    st.tuples(st.integers(1, 900), st.integers(1, 4), st.sampled_from([0, 1, 2])).map(
        lambda t: {n: (n % 3 == 0 if t[2] == 2 else bool(t[2])) for n in range(0, t[0], t[1])}
    ),
)


@settings(max_examples=300, deadline=None)
@given(postings_lists, st.sampled_from([0, search.ARRAY_ENCODING]))
def test_postings_encode_as_the_digit_by_digit_reference_does(
    postings: dict[int, bool], array_encoding: int
) -> None:
    # Every list both ways: as arrays (from 0 numbers up), and as the build splits them.
    with mock.patch.object(search, "ARRAY_ENCODING", array_encoding):
        assert _encode_postings(postings) == reference_encoding(postings)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SPACES)), max_size=400).map(
        lambda pairs: "".join(word + space for word, space in pairs)
    )
)
def test_the_snippet_source_flattens_only_what_it_needs(text: str) -> None:
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= SNIPPET_SOURCE_CHARS:
        expected = flat
    else:
        cut = flat.rfind(" ", 0, SNIPPET_SOURCE_CHARS + 1)
        expected = flat[: cut if cut > 0 else SNIPPET_SOURCE_CHARS] + " …"
    assert _snippet_source(text) == expected
