"""Shared passages: recycled and syndicated text found by MinHash LSH, verified exactly."""

from __future__ import annotations

import pickle
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from arshif import minhash, similar
from arshif.similar import SharedText, passage_signatures, shared_among, shared_passages
from arshif.tokens import tokenize

from support import SEEDS, seed_paragraphs

TRAINING = "وتقدم مهمة حلف الأطلسي في الوقت الراهن خدمات التدريب والإرشاد"


def seeds_shared() -> tuple[dict[str, list[str]], SharedText]:
    docs = {seed: seed_paragraphs(seed) for seed in SEEDS}
    return docs, shared_passages(docs)


def test_seed_000_and_003_share_the_training_mission_paragraph() -> None:
    docs, shared = seeds_shared()
    here = next(i for i, text in enumerate(docs["000"]) if text.startswith(TRAINING))
    there = next(i for i, text in enumerate(docs["003"]) if text.startswith(TRAINING))
    (match,) = [s for s in shared.by_article["000"] if s.paragraph == here]
    assert (match.other, match.other_paragraph, match.similarity) == ("003", there, 1.0)
    assert match.text.startswith(TRAINING)


def test_seed_000_and_003_share_four_rewritten_passages() -> None:
    docs, shared = seeds_shared()
    pairs = {
        (docs["000"][s.paragraph][:12], docs["003"][s.other_paragraph][:12])
        for s in shared.by_article["000"]
    }
    # 000 runs two of 003's sentences together in one paragraph, lightly reworded.
    assert pairs == {
        ("تجدر الإشارة", "ويحتفظ حلف ا"),
        ("تجدر الإشارة", "ويعود سبب ال"),
        ("وقال دبلوماس", "وقال دبلوماس"),
        (TRAINING[:12], TRAINING[:12]),
    }


def test_only_000_and_003_share_text_among_the_seeds() -> None:
    _, shared = seeds_shared()
    assert {seed: shared.partners(seed) for seed in SEEDS} == {
        "000": ("003",), "001": (), "002": (), "003": ("000",), "004": (),
    }  # fmt: skip
    # 002 and 000 report the same 4,000-troop decision in their own words: not shared text.
    assert [cluster.articles for cluster in shared.clusters] == [("000", "003")] * 3


def test_result_does_not_depend_on_mapping_order() -> None:
    docs = {seed: seed_paragraphs(seed) for seed in SEEDS}
    backwards = dict(reversed(list(docs.items())))
    assert shared_passages(docs) == shared_passages(backwards)


def test_sentence_quoted_inside_a_longer_paragraph_is_shared() -> None:
    quote = "وقال المتحدث إن القوات ستبقى في القاعدة الجوية حتى نهاية العام المقبل على الأقل."
    docs = {
        "a": ["مقدمة لا علاقة لها بالموضوع.", quote],
        "b": [f"في تطور آخر أعلن الجيش عن مناورات جديدة في الشمال. {quote} وأضاف أن الأمر محسوم."],
    }
    shared = shared_passages(docs)
    assert shared.partners("a") == ("b",)
    assert shared.by_article["b"][0].text == quote


def test_same_event_in_different_words_is_not_shared() -> None:
    docs = {
        "a": ["قرر وزراء دفاع الحلف رفع عدد أفراد البعثة في العراق إلى أربعة آلاف شخص."],
        "b": ["سيرتفع عديد مهمتنا تدريجيا من خمسمئة إلى أربعة آلاف عسكري بحسب الأمين العام."],
    }
    assert shared_passages(docs).by_article == {}


def test_short_sentences_are_not_evidence() -> None:
    docs = {"a": ["وأضاف: نعم."], "b": ["وأضاف: نعم."]}
    assert shared_passages(docs).clusters == ()


def test_crowded_bucket_still_clusters_copies_of_one_passage() -> None:
    wire = (
        "أعلنت وزارة الخارجية اليوم عن وصول وفد رفيع المستوى لبحث ملفات التعاون الأمني والاقتصادي"
    )
    # Each copy ends differently, so they are near copies, not one verbatim passage.
    docs = {f"k{i:03d}": [f"{wire} رقم{i}", f"المقال رقم {i}"] for i in range(30)}
    shared = shared_passages(docs, max_bucket=10)
    assert shared.crowded_buckets > 0
    (cluster,) = shared.clusters
    assert cluster.articles == tuple(sorted(docs))


def test_verbatim_copies_are_one_unit_linked_to_the_first() -> None:
    wire = (
        "أعلنت وزارة الخارجية اليوم عن وصول وفد رفيع المستوى لبحث ملفات التعاون الأمني والاقتصادي"
    )
    docs = {f"k{i:03d}": [f"المقال رقم {i}", wire] for i in range(300)}
    shared = shared_passages(docs, max_bucket=10)
    assert shared.crowded_buckets == 0  # one distinct passage: nothing to bucket
    (cluster,) = shared.clusters
    assert cluster.passages == tuple((key, 1) for key in sorted(docs))
    assert shared.partners("k005") == ("k000",)
    assert len(shared.partners("k000")) == 299
    assert {s.similarity for s in shared.by_article["k123"]} == {1.0}


def test_cached_signatures_find_what_tokenising_afresh_finds() -> None:
    # Signatures are computed at parse time and come back from the cache pickled.
    rng = random.Random(7)
    sentences = [p for seed in SEEDS for p in seed_paragraphs(seed)]
    docs = {f"d{i}": rng.sample(sentences, 4) for i in range(12)}
    signatures = {key: passage_signatures(paragraphs) for key, paragraphs in docs.items()}
    cached = pickle.loads(pickle.dumps(signatures))
    assert shared_among(cached, docs, max_bucket=3) == shared_passages(docs, max_bucket=3)
    assert shared_among(cached, docs).clusters


# ---------------------------------------------------------------- signatures, by the book
# `passage_signatures` cuts sentences from the tokens' gaps and computes MinHash in numpy
# over a whole article at once. The reference below does the same work the plain way: split
# each paragraph into sentences with the regex, tokenise each sentence on its own, and hash,
# bin and densify passage by passage with Python integers.
MASK = (1 << 64) - 1


def reference_signatures(paragraphs: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {
        "paragraph": [], "sentence": [], "band_keys": [], "offsets": [0], "shingles": []
    }  # fmt: skip
    for p, paragraph in enumerate(paragraphs):
        for s, sentence in enumerate(similar._SENTENCE_END.split(paragraph)):
            hashes = [similar._hash_of(word) for word in tokenize(sentence).words]
            if len(hashes) < similar.MIN_PASSAGE_WORDS:
                continue
            size = similar.WINDOW_WORDS
            if len(hashes) <= size + size // 3:
                windows = [hashes]
            else:
                firsts = [*range(0, len(hashes) - size, size // 2), len(hashes) - size]
                windows = [hashes[first : first + size] for first in firsts]
            for window in windows:
                shingles = sorted(
                    {
                        (a * int(minhash._K1) & MASK)
                        ^ (b * int(minhash._K2) & MASK)
                        ^ (c * int(minhash._K3) & MASK)
                        for a, b, c in zip(window, window[1:], window[2:], strict=False)
                    }
                )
                out["paragraph"].append(p)
                out["sentence"].append(s)
                out["band_keys"].extend(reference_band_keys(shingles))
                out["shingles"].extend(shingles)
                out["offsets"].append(len(out["shingles"]))
    return out


def reference_band_keys(shingles: list[int]) -> list[int]:
    bins = similar.BINS
    minima: list[int | None] = [None] * bins
    for value in shingles:
        slot = value % bins
        minima[slot] = value if minima[slot] is None else min(value, minima[slot])  # type: ignore[type-var]
    filled = []
    for slot in range(bins):
        # The nearest non-empty bin at or to the right of this one, wrapping around.
        distance = next(d for d in range(bins) if minima[(slot + d) % bins] is not None)
        borrowed = minima[(slot + distance) % bins]
        assert borrowed is not None
        filled.append((borrowed + distance * int(minhash._SHIFT)) & MASK)
    mix = int(minhash._BAND_MIX)
    return [(filled[b] * mix & MASK ^ filled[b + 1]) >> 32 for b in range(0, bins, similar.ROWS)]


WORDS = ["حلف", "الأطلسي", "بغداد", "مهمة", "التدريب", "ستولتنبرغ", "٤", "2500", "جندي", "وقال"]
# Mostly spaces, so sentences of every length occur, long windowed ones included.
GAPS = [" "] * 40 + ["، ", ". ", "؟ ", "\n", ".\n\n", " . . ", "… ", ".", "؛ ", " \u064b "]
texts = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=0, max_size=120
).map(lambda pairs: "".join(word + gap for word, gap in pairs))


@given(
    st.lists(
        st.one_of(texts, st.builds(lambda text: "\n" + text, texts)),  # line break first
        max_size=6,
    )
)
@settings(max_examples=200, deadline=None)
def test_signatures_equal_the_plain_computation(paragraphs: list[str]) -> None:
    found = passage_signatures(paragraphs)
    expected = reference_signatures(paragraphs)
    assert {name: list(getattr(found, name)) for name in expected} == expected


def test_signatures_of_the_seeds_equal_the_plain_computation() -> None:
    for seed in SEEDS:
        paragraphs = seed_paragraphs(seed)
        found = passage_signatures(paragraphs)
        expected = reference_signatures(paragraphs)
        assert len(found) > 0
        assert {name: list(getattr(found, name)) for name in expected} == expected


def test_relations_come_back_from_the_cache_equal() -> None:
    from arshif.model import Relations

    _, shared = seeds_shared()
    relations = Relations({"a": ("b",)}, shared.clusters)
    assert relations.clusters
    assert pickle.loads(pickle.dumps(relations, protocol=pickle.HIGHEST_PROTOCOL)) == relations


def _clusters_both_ways(docs: dict[str, list[str]], max_bucket: int = 100) -> None:
    signatures = {key: passage_signatures(paragraphs) for key, paragraphs in docs.items()}
    expected = shared_among(signatures, docs, max_bucket=max_bucket).clusters
    found = shared_among(signatures, docs, max_bucket=max_bucket, rows=False)
    assert found.clusters == expected and not found.by_article


def test_clusters_without_rows_are_the_clusters_of_the_rows() -> None:
    docs, shared = seeds_shared()
    assert shared.clusters
    _clusters_both_ways(docs)
    wire = (
        "أعلنت وزارة الخارجية اليوم عن وصول وفد رفيع المستوى لبحث ملفات التعاون الأمني والاقتصادي"
    )
    _clusters_both_ways({f"k{i:03d}": [f"المقال رقم {i}", wire] for i in range(50)}, max_bucket=10)
    _clusters_both_ways({f"k{i:03d}": [f"{wire} رقم{i}"] for i in range(30)}, max_bucket=10)
    # Copies of a passage in its own first article, before and after its copies elsewhere,
    # and paragraphs holding it twice; each copy written its own way (a conjunction «و»
    # more, which the shingles do not see), so that a cluster's text tells which copy's
    # link it was taken from.
    spelt = [wire.replace(word, "و" + word) for word in ("أعلنت", "اليوم", "رفيع", "ملفات")]
    spelt += [wire.replace("التعاون", "والتعاون"), wire]
    one, two, three, four, five, six = spelt
    _clusters_both_ways(
        {"a": [one, f"{two}. {three}.", four], "b": [f"{five}.", "عنوان"], "c": [f"{six}. {one}."]}
    )
    _clusters_both_ways({"a": [f"{one}. {two}."], "b": ["عنوان", three, f"{four}. {five}."]})
    _clusters_both_ways({"a": [one], "b": [f"{two}. {three}."], "c": [four, five]})


SENTENCES = sorted(
    {s.strip() for seed in SEEDS for p in seed_paragraphs(seed) for s in p.split(".") if s.strip()}
)


@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), max_size=4),
        min_size=2,
        max_size=8,
    ),
    st.sampled_from([3, 100]),
)
@settings(max_examples=60, deadline=None)
def test_clusters_without_rows_equal_them_over_recombined_seed_text(
    articles: list[list[list[str]]], max_bucket: int
) -> None:
    # Articles made of seed sentences: verbatim copies, partial overlaps, several passages of
    # one paragraph shared with different articles, crowded buckets.
    docs = {f"a{i}": [". ".join(p) + "." for p in paras] for i, paras in enumerate(articles)}
    _clusters_both_ways(docs, max_bucket=max_bucket)


nodes = st.tuples(st.sampled_from("abcdef"), st.integers(0, 3))


@given(st.lists(st.tuples(nodes, nodes, st.floats(0.4, 1.0)), max_size=30), st.randoms())
@settings(max_examples=200, deadline=None)
def test_clusters_are_the_connected_passages_and_lists_are_sorted(
    pairs: list[tuple[tuple[str, int], tuple[str, int], float]], shuffler: random.Random
) -> None:
    # Links come both ways, as shared_among makes them; the order they arrive in is random.
    links: dict[tuple[tuple[str, int], tuple[str, int]], tuple[float, str]] = {}
    for a, b, similarity in pairs:
        if a != b:
            links[a, b] = links[b, a] = (similarity, f"{a}{b}")
    found = similar._shared_text(dict(shuffler.sample(list(links.items()), len(links))), 0)
    expected_lists = {}
    for (here, there), (similarity, text) in sorted(links.items()):
        expected_lists.setdefault(here[0], []).append((here[1], *there, similarity, text))
    assert {key: [tuple(p) for p in found] for key, found in found.by_article.items()} == (
        expected_lists
    )
    assert list(found.by_article) == sorted(expected_lists)
    # Components by a plain search, each listed in order with its smallest passage's text.
    neighbours: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for here, there in links:
        neighbours.setdefault(here, set()).add(there)
    components, seen = [], set()
    for start in sorted(neighbours):
        if start not in seen:
            todo, component = [start], set()
            while todo:
                node = todo.pop()
                if node not in component:
                    component.add(node)
                    todo.extend(neighbours[node])
            seen |= component
            components.append(sorted(component))
    first_text = {}
    for (here, _), (_, text) in sorted(links.items()):
        first_text.setdefault(here, text)
    assert [(list(c.passages), c.text) for c in found.clusters] == [
        (component, first_text[component[0]]) for component in sorted(components)
    ]
