"""Related articles: ranked by shared rare entities and tags, closeness in time, then key."""

from __future__ import annotations

import datetime

from arshif.entities import find_entities
from arshif.gazetteer import Gazetteer
from arshif.related import ArticleFeatures, related
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
