"""Related articles: ranked by shared rare entities and tags, closeness in time, then key."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from random import Random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arshif.entities import find_entities
from arshif.gazetteer import Gazetteer
from arshif.related import ArticleFeatures, related, update_related
from arshif.tags import derive_tags

from support import SEEDS, seed_paragraphs

DAY = datetime.date(2021, 2, 18)


def on(days: int, *entities: str, tags: tuple[str, ...] = ()) -> ArticleFeatures:
    return ArticleFeatures(entities, tags, DAY + datetime.timedelta(days=days))


def test_rare_shared_entity_outranks_common_ones() -> None:
    articles = {
        "a": on(0, "iraq", "nato", "olsen"),
        "b": on(0, "iraq", "olsen"),
        "c": on(0, "iraq", "nato"),
        "d": on(0, "iraq", "nato"),
        "e": on(0, "iraq", "nato"),
    }
    assert related(articles, 2)["a"] == ("b", "c")


def test_closer_in_time_wins_between_equal_matches() -> None:
    articles = {"a": on(0, "x"), "far": on(400, "x"), "near": on(-3, "x")}
    assert related(articles, 2)["a"] == ("near", "far")


def test_time_never_outweighs_a_much_better_match() -> None:
    articles = {"a": on(0, "x", "y", "z"), "old": on(-1500, "x", "y", "z"), "new": on(1, "x")}
    assert related(articles, 2)["a"] == ("old", "new")


def test_ties_break_by_key_and_self_is_never_related() -> None:
    articles = {key: on(0, "x") for key in ("d", "b", "a", "c")}
    assert related(articles, 2) == {
        "a": ("b", "c"), "b": ("a", "c"), "c": ("a", "b"), "d": ("a", "b"),
    }  # fmt: skip


def test_every_article_gets_an_entry_even_with_nothing_shared() -> None:
    articles = {"a": on(0, "x"), "b": on(0, "y"), "c": ArticleFeatures()}
    assert related(articles) == {"a": (), "b": (), "c": ()}


def test_tags_and_entities_are_different_features() -> None:
    articles = {"a": on(0, "nato"), "b": on(0, tags=("nato",))}
    assert related(articles)["a"] == ()


def test_undated_articles_rank_below_equally_matching_dated_neighbours() -> None:
    articles = {"a": on(0, "x"), "undated": ArticleFeatures(("x",)), "later": on(30, "x")}
    assert related(articles, 2)["a"] == ("later", "undated")


def test_common_feature_offers_only_its_nearest_articles_in_time() -> None:
    # 300 articles share one tag; with postings capped at 20, article 150 is offered its
    # neighbours in time, not the whole archive, and still ranks them by closeness.
    articles = {f"k{i:03d}": on(i, tags=("العراق",)) for i in range(300)}
    found = related(articles, 4, max_postings=20)["k150"]
    assert found == ("k149", "k151", "k148", "k152")


def test_seed_articles_relate_to_their_recycled_and_same_event_siblings(
    gazetteer: Gazetteer,
) -> None:
    dates = {
        "000": datetime.date(2021, 2, 18),
        "001": datetime.date(2020, 2, 11),
        "002": datetime.date(2021, 3, 10),
        "003": datetime.date(2021, 2, 16),
        "004": datetime.date(2023, 1, 24),
    }
    articles = {}
    for seed in SEEDS:
        paragraphs = seed_paragraphs(seed)
        entities = find_entities(paragraphs, gazetteer)
        tags = derive_tags(paragraphs, "", entities, gazetteer.tag_rules)
        articles[seed] = ArticleFeatures(tuple(e.id for e in entities), tags, dates[seed])
    found = related(articles, 2)
    assert found["000"][0] == "003"
    assert found["003"][0] == "000"
    assert found["002"][0] == "000"


# ---------------------------------------------------------------- incremental updates

_FEATURES = ("iraq", "nato", "olsen", "baghdad", "isis", "un")
_EDIT = st.tuples(
    st.sampled_from(["add", "edit", "delete", "redate"]),
    st.integers(0, 130),  # which article
    st.lists(st.sampled_from(_FEATURES), max_size=4),
    st.lists(st.sampled_from(("training", "border")), max_size=2),
    st.one_of(st.none(), st.integers(-40, 40)),  # days from DAY, or undated
)


@settings(max_examples=120, deadline=None)
@given(
    base=st.randoms(use_true_random=False),
    size=st.integers(0, 120),
    edits=st.lists(_EDIT, min_size=1, max_size=6),
    max_postings=st.integers(1, 12),
)
def test_updating_gives_the_lists_a_fresh_computation_gives(
    base: Random,
    size: int,
    edits: list[tuple[str, int, list[str], list[str], int | None]],
    max_postings: int,
) -> None:
    """Archives of up to 120 articles, so that most additions keep N within its rarity step
    and the lists are updated, not all recomputed; small max_postings so that rare and
    common features, windows and widening all occur. Every kind of edit, dates moved and
    undated articles included."""

    versions: dict[str, int] = {}  # bumped by every edit: a token that vouches for the rest

    def apply(articles: dict[str, ArticleFeatures], edit: tuple[Any, ...]) -> None:
        kind, n, entities, tags, days = edit
        key = f"k{n:03d}"
        versions[key] = versions.get(key, 0) + 1
        date = None if days is None else DAY + datetime.timedelta(days=days)
        if kind == "delete":
            articles.pop(key, None)
        elif kind == "redate" and key in articles:
            articles[key] = ArticleFeatures(articles[key].entities, articles[key].tags, date)
        else:
            articles[key] = ArticleFeatures(tuple(entities), tuple(tags), date)

    articles: dict[str, ArticleFeatures] = {}
    for n in range(size):
        entities = base.sample(_FEATURES, base.randint(0, 3))
        days = None if base.random() < 0.05 else base.randint(-60, 60)
        apply(articles, ("add", n, entities, base.sample(("training", "border"), 1), days))

    def tokens() -> dict[str, str]:
        return {key: f"v{versions[key]}" for key in articles}

    state = update_related(articles, None, 3, max_postings=max_postings)
    vouched = update_related(articles, None, 3, max_postings=max_postings, tokens=tokens())
    for edit in edits:
        apply(articles, edit)
        fresh = dict(related(articles, 3, max_postings=max_postings))
        state = update_related(articles, state, 3, max_postings=max_postings)
        assert dict(state.lists) == fresh
        # With tokens, an article whose token did not move is not read at all.
        now = tokens()
        unread = {key for key, token in now.items() if vouched.tokens.get(key) == token}
        readable = _Unreadable(articles, unread)
        vouched = update_related(readable, vouched, 3, max_postings=max_postings, tokens=now)
        assert dict(vouched.lists) == fresh


class _Unreadable(Mapping[str, ArticleFeatures]):
    """`articles`, failing a test when one of the `unread` is read."""

    def __init__(self, articles: Mapping[str, ArticleFeatures], unread: set[str]) -> None:
        self.articles, self.unread = articles, unread

    def __getitem__(self, key: str) -> ArticleFeatures:
        assert key not in self.unread, f"{key} was read, though its token vouched for it"
        return self.articles[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)


def test_one_addition_recomputes_only_the_lists_it_can_move() -> None:
    articles = {f"k{i:03d}": on(i, "iraq", f"person{i % 40}") for i in range(400)}
    state = update_related(articles, None, max_postings=20)
    assert state.recomputed == 400
    articles["new"] = on(200, "iraq", "person7")
    state = update_related(articles, state, max_postings=20)
    assert dict(state.lists) == dict(related(articles, max_postings=20))
    assert 0 < state.recomputed < 120


def test_moving_an_article_in_time_updates_the_lists_that_share_a_rare_feature_with_it() -> None:
    articles = {f"z{i:02d}": on(i, f"other{i}") for i in range(40)}
    articles |= {"a": on(0, "olsen"), "b": on(10, "olsen"), "c": on(20, "olsen")}
    state = update_related(articles, None, 1)
    assert state.lists["a"] == ("b",)
    articles["b"] = on(900, "olsen")  # same features, far later: c is now the nearer
    state = update_related(articles, state, 1)
    assert state.recomputed < len(articles)  # updated, not all recomputed
    assert state.lists["a"] == ("c",)


def test_a_token_vouches_only_in_the_context_it_was_given_in() -> None:
    # The build's tokens are a source path and digest; what they parse to depends on the
    # settings, given as the context (a gazetteer edit moves entities, not digests).
    articles = {"a": on(0, "olsen"), "b": on(1, "olsen"), "c": on(2, "other")}
    tokens = {key: f"{key}-v1" for key in articles}
    state = update_related(articles, None, 1, tokens=tokens, context="settings 1")
    assert state.lists["a"] == ("b",)
    edited = articles | {"c": on(0, "olsen", "other"), "b": on(1, "elsewhere")}
    same = update_related(edited, state, 1, tokens=tokens, context="settings 1")
    assert same.lists["a"] == ("b",)  # vouched for: not read again
    moved = update_related(edited, state, 1, tokens=tokens, context="settings 2")
    assert dict(moved.lists) == dict(related(edited, 1))
    assert moved.lists["a"] == ("c",)


def test_equal_features_of_two_articles_are_one_string() -> None:
    # The build cache pickles every article's features: one object is pickled once.
    first = ArticleFeatures(("stoltenberg",), ("تدريب",)).features()
    second = ArticleFeatures(("stoltenberg",), ("تدريب",)).features()
    assert {id(f) for f in first} == {id(f) for f in second}
