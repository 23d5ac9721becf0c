"""Search index: layout, determinism, sizes at 10,000 articles, and what queries find.

The Python checks read the built files back; the behaviour checks ask static/search.js under
Node (tests/js/query_index.js), so they exercise the very code the browser runs.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from arshif.arabic import clitic_forms, words
from arshif.search import (
    DOCS_PER_SHARD,
    FORMAT_VERSION,
    INDEX_SHARD_BYTES,
    SNIPPET_SOURCE_CHARS,
    MonthMemo,
    SearchDoc,
    SearchIndex,
    _encode_postings,
    build_search_index,
    document_terms,
)

from search_support import REPO, run_query, synthetic_corpus, write_index

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

BUDGET = 150_000  # bytes a one-word query may load at 10,000 articles (the figure)
STOLTENBERG = {"ستولتنبرج": "ستولتنبرغ", "ستولتنبيرغ": "ستولتنبرغ", "ستولتنبرغ": "ستولتنبرغ"}


def doc(url: str, title: str, text: str, date: str = "2021-03-10") -> SearchDoc:
    return SearchDoc(url, title, date, "10 آذار/مارس 2021", "الفرات نيوز", text)


DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def day_groups(meta: dict[str, Any]) -> list[tuple[str, int]]:
    """meta.js's docDays as (day, docs) in doc order, decoded as search.js does."""
    groups = []
    for month, counts in meta["docDays"]:
        values, value, scale = [], 0, 1
        for char in counts:
            digit = DIGITS.index(char)
            value += (digit & 31) * scale
            scale *= 32
            if not digit & 32:
                values.append(value)
                value, scale = 0, 1
        for day, count in enumerate(values, start=1):
            if count:
                groups.append((month if month == "undated" else f"{month}-{day:02d}", count))
    return groups


NEWS = [
    doc(
        "articles/nato.html",
        "الناتو يرفع عدد قواته في العراق",
        "قرر حلف الناتو زيادة قواته حتى ٤ آلاف شخص.",
    ),
    doc(
        "articles/stoltenberg.html",
        "مؤتمر صحفي في بروكسل",
        "قال ينس ستولتنبرج إن المهمة تتوسع.",
        "2021-02-18",
    ),
    doc(
        "articles/araji.html",
        "الأعرجي يستقبل قائد البعثة",
        "بحث مستشار الأمن القومي قاسم الأعرجي التعاون للناتو.",
        "2021-04-01",
    ),
    doc(
        "articles/baghdadi.html",
        "مقتل البغدادي",
        "أعلنت واشنطن مقتل زعيم التنظيم البغدادي.",
        "2019-10-27",
    ),
    doc(
        "articles/baghdad.html",
        "أمطار غزيرة",
        "هطلت أمطار غزيرة في بغداد بالعراق اليوم.",
        "2022-11-20",
    ),
]


def script_data(data: bytes) -> tuple[str, Any]:
    """The name and data of an index file: `ArshifSearch.register(name, data);`."""
    assert data.startswith(b"\xef\xbb\xbf"), "index files carry a UTF-8 byte order mark"
    match = re.fullmatch(
        r"ArshifSearch\.register\((\"[^\"]*\"),(.*)\);\n", data.decode("utf-8-sig"), re.S
    )
    assert match, data[:80]
    return json.loads(match[1]), json.loads(match[2])


def decode_postings(encoded: str) -> dict[int, bool]:
    """Python reading of both postings encodings, to check the builder without a browser."""
    digits = [ALPHABET.index(char) for char in encoded.removeprefix("~")]
    result: dict[int, bool] = {}
    if encoded.startswith("~"):  # bitmap: two bits a doc, 0 absent, 1 stripped, 2 exact
        for position, digit in enumerate(digits):
            for offset in range(3):
                code = (digit >> (2 * offset)) & 3
                assert code != 3
                if code:
                    result[position * 3 + offset] = code == 2
        return result
    doc_number, value, shift = -1, 0, 0
    for digit in digits:
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        doc_number += value >> 1
        result[doc_number] = bool(value & 1)
        value, shift = 0, 0
    return result


def test_postings_take_the_shorter_encoding_and_decode_to_what_went_in() -> None:
    rare = {5: True, 900: False, 70_000: True}
    common = {number: number % 7 != 0 for number in range(0, 3_000) if number % 5}
    assert _encode_postings(rare) == "N-3B5-mE"
    assert _encode_postings(common).startswith("~")
    assert len(_encode_postings(common)) == 1 + 3_000 // 3
    for postings in (rare, common, {0: False}, {}):
        assert decode_postings(_encode_postings(postings)) == postings


def shard_terms(index: SearchIndex) -> dict[str, dict[str, Any]]:
    """Every index shard's data by path."""
    return {
        path: script_data(data)[1]
        for path, data in index.files.items()
        if path.startswith("search/idx-")
    }


def urls(answer: Mapping[str, Any]) -> list[str]:
    return [hit["url"] for hit in answer["hits"]]


@pytest.fixture(scope="module")
def news_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("news")
    write_index(build_search_index(NEWS, STOLTENBERG), site)
    return site


@pytest.fixture(scope="module")
def big_corpus() -> list[SearchDoc]:
    return synthetic_corpus(10_000)


@pytest.fixture(scope="module")
def big_index(big_corpus: list[SearchDoc]) -> SearchIndex:
    return build_search_index(big_corpus, {})


# ---------------------------------------------------------------- files


def test_files_are_meta_index_shards_and_doc_shards() -> None:
    index = build_search_index(NEWS, STOLTENBERG)
    # Doc shards are cut within each day; these five docs are from five days.
    assert set(index.files) == {
        "search/meta.js",
        "search/idx-0000.js",
        "search/docs-2019-10-27-0.js",
        "search/docs-2021-02-18-0.js",
        "search/docs-2021-03-10-0.js",
        "search/docs-2021-04-01-0.js",
        "search/docs-2022-11-20-0.js",
    }
    for path, data in index.files.items():
        name, _ = script_data(data)
        assert name == Path(path).stem
    _, meta = script_data(index.files["search/meta.js"])
    assert meta["version"] == FORMAT_VERSION
    assert meta["docs"] == 5
    assert meta["docsPerShard"] == DOCS_PER_SHARD
    # One varint per day of the month up to the last with docs: A is 0, B is 1.
    assert meta["docDays"] == [["2019-10", "A" * 26 + "B"], ["2021-02", "A" * 17 + "B"],
                               ["2021-03", "A" * 9 + "B"], ["2021-04", "B"],
                               ["2022-11", "A" * 19 + "B"]]  # fmt: skip
    assert meta["shards"] == [""]
    assert re.fullmatch(r"[0-9a-f]{16}", meta["hash"])


def test_same_input_gives_byte_identical_files_whatever_the_order() -> None:
    first = build_search_index(NEWS, STOLTENBERG)
    again = build_search_index(list(reversed(NEWS)), dict(reversed(list(STOLTENBERG.items()))))
    assert first.files == again.files
    assert first.stats == again.stats


def test_docs_are_numbered_oldest_first_then_by_url() -> None:
    same_day = [doc("b.html", "ب", "نص"), doc("a.html", "أ", "نص"), doc("c.html", "ج", "نص", "")]
    index = build_search_index([*same_day, *NEWS], {})
    _, meta = script_data(index.files["search/meta.js"])
    records = [
        record
        for label, count in day_groups(meta)  # in doc order: undated first
        for shard in range(-(-count // DOCS_PER_SHARD))
        for record in script_data(index.files[f"search/docs-{label}-{shard}.js"])[1]
    ]
    assert [record[0] for record in records] == [
        "c.html",
        "articles/baghdadi.html",
        "articles/stoltenberg.html",
        "a.html",
        "articles/nato.html",
        "b.html",
        "articles/araji.html",
        "articles/baghdad.html",
    ]
    assert records[-1] == [
        "articles/baghdad.html",
        "أمطار غزيرة",
        "2022-11-20",
        "10 آذار/مارس 2021",
        "الفرات نيوز",
        "هطلت أمطار غزيرة في بغداد بالعراق اليوم.",
    ]


def test_postings_hold_every_term_of_every_doc_with_its_exact_flag() -> None:
    index = build_search_index(NEWS, STOLTENBERG)
    shard = shard_terms(index)["search/idx-0000.js"]
    ordered = sorted(sorted(NEWS, key=lambda d: d.url), key=lambda d: d.date)
    body: dict[str, dict[int, bool]] = {}
    title: dict[str, dict[int, bool]] = {}
    for term, encoded in shard["t"].items():
        body_part, _, title_part = encoded.partition(".")
        body[term] = decode_postings(body_part)
        title[term] = decode_postings(title_part)
    for number, news in enumerate(ordered):
        for term, exact in document_terms(news.text, index.aliases).items():
            assert body[term][number] is exact, (news.url, term)
        for term, exact in document_terms(news.title, index.aliases).items():
            assert title[term][number] is exact, (news.url, term)
    assert sum(len(found) for found in body.values()) == sum(
        len(document_terms(news.text, index.aliases)) for news in NEWS
    )


def test_gazetteer_variants_point_at_their_canonical_and_back() -> None:
    shard = shard_terms(build_search_index(NEWS, STOLTENBERG))["search/idx-0000.js"]
    assert shard["a"] == STOLTENBERG
    assert shard["v"] == {"ستولتنبرغ": ["ستولتنبرج", "ستولتنبرغ", "ستولتنبيرغ"]}
    # The article says ستولتنبرج: indexed under the canonical too, as an exact word.
    assert decode_postings(shard["t"]["ستولتنبرغ"]) == {1: True}


def test_variants_of_an_absent_canonical_are_not_shipped() -> None:
    index = build_search_index(NEWS, {"بوتين": "بوتين", "پوتین": "بوتين"})
    assert index.aliases == {}
    assert "a" not in shard_terms(index)["search/idx-0000.js"]


def test_snippet_source_is_the_start_of_the_text_cut_at_a_word() -> None:
    long_text = "كلمة\n\nطويلة " * 200
    index = build_search_index([doc("a.html", "عنوان", long_text)], {})
    (record,) = script_data(index.files["search/docs-2021-03-10-0.js"])[1]
    kept, ellipsis = record[5].rsplit(" ", 1)
    assert ellipsis == "…"
    assert len(kept) <= SNIPPET_SOURCE_CHARS
    assert set(kept.split(" ")) == {"كلمة", "طويلة"}  # whole words only
    assert "\n" not in record[5]


def test_two_docs_with_one_url_are_refused() -> None:
    with pytest.raises(ValueError, match=r"two documents share the url 'articles/nato\.html'"):
        build_search_index([*NEWS, NEWS[0]], {})


def test_a_phrase_as_a_gazetteer_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="'حلف الناتو': a variant must be a single word"):
        build_search_index(NEWS, {"حلف الناتو": "الناتو"})


def test_one_variant_with_two_canonicals_is_refused() -> None:
    with pytest.raises(ValueError, match="already maps to"):
        build_search_index(NEWS, {"أوباما": "اوباما", "اوباما": "باراك"})


def test_canonical_tokens_are_normalised_words() -> None:
    index = build_search_index(
        NEWS, {"ستولتنبرج": "ينس  ستولتنبرغ!", "ستولتنبيرغ": "ينس ستولتنبرغ"}
    )
    assert index.aliases == {"ستولتنبرج": "ينس ستولتنبرغ", "ستولتنبيرغ": "ينس ستولتنبرغ"}


def test_an_empty_archive_still_builds_a_searchable_index() -> None:
    index = build_search_index([], {})
    assert sorted(index.files) == ["search/idx-0000.js", "search/meta.js"]
    assert index.stats.docs == 0


# ---------------------------------------------------------------- sizes at 10,000 articles


def test_every_one_word_query_loads_at_most_150kb_of_index_at_10000_docs(
    big_corpus: list[SearchDoc], big_index: SearchIndex
) -> None:
    vocabulary = {word for news in big_corpus for word in words(f"{news.title} {news.text}")}
    assert len(vocabulary) > 10_000  # a long tail of names, like an archive's

    def loaded(word: str) -> int:
        return sum(len(big_index.files[path]) for path in big_index.files_for_query(word))

    heaviest = max(sorted(vocabulary), key=loaded)
    assert loaded(heaviest) <= BUDGET, (heaviest, big_index.files_for_query(heaviest))


def test_shards_stay_near_their_size_cap_at_10000_docs(big_index: SearchIndex) -> None:
    sizes = [len(data) for path, data in big_index.files.items() if path.startswith("search/idx-")]
    assert len(sizes) == big_index.stats.shards > 20
    assert max(sizes) <= INDEX_SHARD_BYTES * 1.1
    # meta.js grows with the days the archive spans, not with its articles: a byte a day
    # (while a day has under 32 docs) and a label a month. This corpus spans 21 years.
    assert len(big_index.files["search/meta.js"]) < 12_000
    doc_sizes = [
        len(data) for path, data in big_index.files.items() if path.startswith("search/docs-")
    ]
    _, meta = script_data(big_index.files["search/meta.js"])
    assert sum(count for _, count in day_groups(meta)) == 10_000
    assert len(doc_sizes) == sum(-(-count // DOCS_PER_SHARD) for _, count in day_groups(meta))
    assert 10 * max(doc_sizes) <= 60_000  # a full results page touches at most ten doc shards


def test_a_words_clitic_forms_share_one_shard(
    big_corpus: list[SearchDoc], big_index: SearchIndex
) -> None:
    # Why terms are ordered from their last letter: the forms are suffixes of the word, so a
    # query word loads one index shard, not one per form. Two only where a boundary falls
    # between them.
    vocabulary = sorted({word for news in big_corpus for word in words(news.text)})
    shards = [{big_index.shard_file(form) for form in clitic_forms(word)} for word in vocabulary]
    assert max(len(found) for found in shards) <= 2
    assert sum(len(found) == 1 for found in shards) >= 0.95 * len(shards)


def test_boundaries_route_every_term_to_the_shard_that_holds_it(big_index: SearchIndex) -> None:
    for path, data in shard_terms(big_index).items():
        for term in data["t"]:
            assert big_index.shard_file(term) == path, term


def test_stats_add_up(big_index: SearchIndex) -> None:
    stats = big_index.stats
    assert stats.docs == 10_000
    assert stats.bytes == sum(len(data) for data in big_index.files.values())
    assert len(big_index.files) == stats.shards + stats.doc_shards + 1
    assert stats.terms == sum(len(data["t"]) for data in shard_terms(big_index).values())
    assert stats.index_bytes < stats.bytes


def test_a_common_and_a_rare_word_load_little_in_the_real_engine(
    big_corpus: list[SearchDoc], big_index: SearchIndex, tmp_path: Path
) -> None:
    write_index(big_index, tmp_path)
    rare = words(big_corpus[123].text.split("وصرح ")[1])[1]  # an invented family name
    for query in ("للانتخابات", "العراقية", rare):
        answer = run_query(tmp_path, query)
        assert answer["total"] > 0, query
        index_bytes = sum(f["bytes"] for f in answer["loaded"] if not f["name"].startswith("docs-"))
        all_bytes = sum(f["bytes"] for f in answer["loaded"])
        assert index_bytes <= BUDGET, query
        assert all_bytes <= BUDGET + 60_000, query


# ---------------------------------------------------------------- what queries find


def test_lil_nato_finds_al_nato_and_bil_iraq_finds_al_iraq(news_site: Path) -> None:
    assert set(urls(run_query(news_site, "للناتو"))) == {
        "articles/nato.html",
        "articles/araji.html",
    }
    assert set(urls(run_query(news_site, "بالعراق"))) == {
        "articles/nato.html",
        "articles/baghdad.html",
    }


def test_hamza_spellings_find_each_other(news_site: Path) -> None:
    assert urls(run_query(news_site, "الاعرجي")) == ["articles/araji.html"]


def test_arabic_indic_digits_find_the_figure(news_site: Path) -> None:
    assert urls(run_query(news_site, "4 الاف")) == ["articles/nato.html"]


def test_a_gazetteer_variant_finds_the_other_spelling(news_site: Path) -> None:
    answer = run_query(news_site, "ستولتنبيرغ")
    assert urls(answer) == ["articles/stoltenberg.html"]
    assert ["ستولتنبرج", True] in answer["hits"][0]["snippetParts"]


def test_baghdad_does_not_find_albaghdadi(news_site: Path) -> None:
    assert urls(run_query(news_site, "بغداد")) == ["articles/baghdad.html"]
    assert urls(run_query(news_site, "البغدادي")) == ["articles/baghdadi.html"]


def test_every_query_word_must_match(news_site: Path) -> None:
    assert urls(run_query(news_site, "الناتو بروكسل")) == []
    assert urls(run_query(news_site, "الناتو ستولتنبرغ")) == []
    assert urls(run_query(news_site, "ستولتنبرغ بروكسل")) == ["articles/stoltenberg.html"]


def test_answer_counts_and_highlights(news_site: Path) -> None:
    answer = run_query(news_site, "العراق")
    assert answer["total"] == 2
    assert answer["pages"] == 1
    nato = next(hit for hit in answer["hits"] if hit["url"] == "articles/nato.html")
    assert nato["titleParts"] == [["الناتو يرفع عدد قواته في ", False], ["العراق", True]]
    assert nato["dateText"] == "10 آذار/مارس 2021"
    assert nato["source"] == "الفرات نيوز"


def test_title_hits_and_exact_words_rank_first(tmp_path: Path) -> None:
    docs = [
        doc("body-stripped.html", "خبر", "اجتماع بالعراق", "2024-01-01"),
        doc("body-exact.html", "خبر", "اجتماع في العراق", "2023-01-01"),
        doc("title-stripped.html", "زيارة للعراق", "اجتماع", "2022-01-01"),
        doc("title-exact.html", "العراق اليوم", "اجتماع", "2021-01-01"),
        doc("body-stem-only.html", "خبر", "اجتماع لعراق جديد", "2025-01-01"),
    ]
    write_index(build_search_index(docs, {}), tmp_path)
    assert urls(run_query(tmp_path, "العراق")) == [
        "title-exact.html",
        "title-stripped.html",
        "body-exact.html",
        "body-stripped.html",
        "body-stem-only.html",
    ]
    # Equal scores: newest first.
    assert urls(run_query(tmp_path, "اجتماع"))[:3] == [
        "body-stem-only.html",
        "body-stripped.html",
        "body-exact.html",
    ]


def test_results_come_ten_to_a_page(tmp_path: Path) -> None:
    docs = [doc(f"a{n:02d}.html", "خبر", "البصرة", f"2020-01-{n:02d}") for n in range(1, 24)]
    write_index(build_search_index(docs, {}), tmp_path)
    first, third = run_query(tmp_path, "البصرة", 1), run_query(tmp_path, "البصرة", 3)
    assert (first["total"], first["pages"], first["first"]) == (23, 3, 1)
    assert urls(first) == [f"a{n:02d}.html" for n in range(23, 13, -1)]
    assert (third["page"], third["first"], urls(third)) == (
        3,
        21,
        ["a03.html", "a02.html", "a01.html"],
    )
    assert run_query(tmp_path, "البصرة", 9)["page"] == 3  # past the end: the last page
    docs_loaded = {f["name"] for f in first["loaded"] if f["name"].startswith("docs-")}
    # Only the shown docs, one per day here: the ten newest.
    assert docs_loaded == {f"docs-2020-01-{n:02d}-0" for n in range(23, 13, -1)}


# ---------------------------------------------------------------- the static scripts


@pytest.mark.parametrize("script", ["arabic.js", "search.js"])
def test_static_script_code_is_ascii_so_a_wrong_server_charset_cannot_garble_it(
    script: str,
) -> None:
    source = (REPO / "static" / script).read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # Arabic may stay in comments
    assert code.isascii(), [line for line in code.splitlines() if not line.isascii()][:3]


def test_an_article_under_an_old_date_changes_only_its_days_doc_shards() -> None:
    docs = [doc(f"a{n:03d}.html", "خبر", f"نص رقم {n}", f"2020-{n % 12 + 1:02d}-{n % 5 + 1:02d}")
            for n in range(240)]  # fmt: skip
    before = build_search_index(docs, {}).files
    after = build_search_index([*docs, doc("old.html", "خبر قديم", "نص", "2020-03-02")], {}).files
    changed = {path for path in after if path.startswith("search/docs-")
               and before.get(path) != after[path]}  # fmt: skip
    # Four docs were on that day already; the new one sorts after them (by URL) and starts a
    # second shard of the day: no other file of the docs changes.
    assert changed == {"search/docs-2020-03-02-1.js"}


def test_every_doc_is_found_where_meta_says_even_past_32_a_day(tmp_path: Path) -> None:
    # 40 docs on one day need a two-digit varint in meta.docDays; days between are empty.
    dates = ["", "", *["2020-02-03"] * 40, "2020-02-29", "2020-03-01"]
    docs = [doc(f"d{n:02d}.html", f"خبر{n}", f"رقم{n} كلمة", date) for n, date in enumerate(dates)]
    write_index(build_search_index(docs, {}), tmp_path)
    for n, _ in enumerate(dates):
        answer = run_query(tmp_path, f"رقم{n}", 1)
        assert urls(answer) == [f"d{n:02d}.html"], n


def test_a_memo_of_month_words_changes_nothing_in_the_index() -> None:
    class Memo(dict[str, MonthMemo]):
        def get(self, key: str) -> MonthMemo | None:  # type: ignore[override]
            return super().get(key)

    memo = Memo()
    plain = build_search_index(NEWS, STOLTENBERG)
    assert build_search_index(NEWS, STOLTENBERG, memo).files == plain.files
    # Filled: one entry per month (NEWS has five) for each field and one for its snippets.
    assert len(memo) == 3 * 5
    # A month, not a day (doc shards are cut by day): per-day entries held a common word once
    # for every day it was used.
    month = [doc(f"m{n}.html", "خبر", "نص", f"2020-05-{n + 1:02d}") for n in range(20)]
    by_month = Memo()
    build_search_index(month, {}, by_month)
    assert len(by_month) == 3
    saved = {key: pickle.dumps(found) for key, found in memo.items()}
    assert build_search_index(NEWS, STOLTENBERG, memo).files == plain.files  # served from it
    # and never changed by the index that used it
    assert {key: pickle.dumps(found) for key, found in memo.items()} == saved
    fewer = NEWS[1:]
    assert (
        build_search_index(fewer, STOLTENBERG, memo).files
        == build_search_index(fewer, STOLTENBERG).files
    )


def test_a_month_the_memo_knows_by_its_keys_is_never_read() -> None:
    class Memo(dict[str, MonthMemo]):
        def get(self, key: str) -> MonthMemo | None:  # type: ignore[override]
            return super().get(key)

    read: list[str] = []

    def keyed(source: SearchDoc, key: str) -> SearchDoc:
        def body() -> str:
            read.append(source.url)
            return source.text

        return dataclasses.replace(source, body=body, key=key)

    memo = Memo()
    first = [keyed(d, f"v1-{n}") for n, d in enumerate(NEWS)]
    plain = build_search_index(NEWS, STOLTENBERG)
    assert build_search_index(first, STOLTENBERG, memo).files == plain.files
    assert sorted(read) == sorted([d.url for d in NEWS] * 2)  # its words, then its snippets
    read.clear()
    assert build_search_index(first, STOLTENBERG, memo).files == plain.files
    assert read == []
    # A new key for one document: its month is read again, and only its month.
    changed = NEWS[0]
    edited = dataclasses.replace(changed, body=changed.text + " إضافة")
    again = [keyed(edited, "v2-0"), *first[1:]]
    month = [d.url for d in NEWS if d.date[:7] == changed.date[:7]]
    assert build_search_index(again, STOLTENBERG, memo).files == (
        build_search_index([edited, *NEWS[1:]], STOLTENBERG).files
    )
    assert sorted(set(read)) == sorted(month)
