"""Entities on the real seed articles, and the names the gazetteer does not know yet."""

from __future__ import annotations

import pytest

from arshif.entities import EntityCount, candidate_names, find_entities
from arshif.gazetteer import Gazetteer

from support import SEEDS, seed_paragraphs


def articles_mentioning(entity_id: str, gazetteer: Gazetteer) -> list[str]:
    return [
        seed
        for seed in SEEDS
        if any(entity.id == entity_id for entity in find_entities(seed_paragraphs(seed), gazetteer))
    ]


@pytest.mark.parametrize(
    ("entity_id", "seeds"),
    [
        ("stoltenberg", ["000", "001", "002", "003"]),
        ("al-araji", ["002", "004"]),
        ("al-kadhimi", ["000", "003"]),
        ("fuad-hussein", ["002", "003"]),
        ("stuart-munsch", ["004"]),
        ("per-olsen", ["002"]),
        ("trump", ["003"]),
        ("nato", ["000", "001", "002", "003", "004"]),
        ("canada", ["001"]),
        ("reuters", ["003"]),
    ],
)
def test_entity_is_found_in_exactly_the_seeds_that_mention_it(
    entity_id: str, seeds: list[str], gazetteer: Gazetteer
) -> None:
    assert articles_mentioning(entity_id, gazetteer) == seeds


def test_full_name_and_surname_are_each_one_mention(gazetteer: Gazetteer) -> None:
    # 000 names Stoltenberg nine times, twice in full as «ينس ستولتنبيرغ».
    found = find_entities(seed_paragraphs("000"), gazetteer)
    counts = {entity.id: entity.count for entity in found}
    assert counts["stoltenberg"] == 9
    assert counts["al-kadhimi"] == 4


def test_the_alliance_alone_is_not_a_nato_mention(gazetteer: Gazetteer) -> None:
    paragraph = "وأكد أن الحلف يراقب عن كثب، وأن حلف بغداد انتهى"
    assert find_entities([paragraph], gazetteer) == (EntityCount("baghdad", "place", "بغداد", 1),)


def test_overlapping_names_count_once_for_the_longest(gazetteer: Gazetteer) -> None:
    paragraph = "أمين عام منظمة حلف شمال الأطلسي في الولايات المتحدة الأمريكية"
    found = {entity.id: entity.count for entity in find_entities([paragraph], gazetteer)}
    assert found == {"nato": 1, "usa": 1}


def test_entities_come_most_mentioned_first_then_by_id(gazetteer: Gazetteer) -> None:
    found = find_entities(["بغداد وبروكسل والعراق", "العراق"], gazetteer)
    assert [(entity.id, entity.count) for entity in found] == [
        ("iraq", 2), ("baghdad", 1), ("brussels", 1),
    ]  # fmt: skip


def test_title_counts_when_passed_as_a_paragraph(gazetteer: Gazetteer) -> None:
    assert find_entities([], gazetteer) == ()
    assert find_entities(["الناتو يرفع عدد قواته"], gazetteer)[0].id == "nato"


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000", ()),
        ("001", ()),
        ("002", ("البابا فرانسيس",)),
        ("003", ("آن ليندي",)),
        ("004", ()),
    ],
)
def test_candidate_names_on_seeds_are_the_unknown_people(
    seed: str, expected: tuple[str, ...], gazetteer: Gazetteer
) -> None:
    assert candidate_names(seed_paragraphs(seed), gazetteer) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("قال وزير الدفاع الفرنسي سيباستيان لوكورنو إن", ("سيباستيان لوكورنو",)),
        ("التقى الرئيس الأمريكي السابق دونالد ترامب", ()),
        ("وصرح المتحدث باسم الخارجية نيد برايس، أمس", ("نيد برايس",)),
        ("استقبل الملك عبدالله الثاني الوفد", ("الملك عبدالله الثاني",)),
        ("الأمين العام لحلف الناتو، أكد أن الحلف", ()),
        ("قائد القوات المشتركة لحلف شمال الأطلسي تأمين حدود بلاده من أجل الحدود", ()),
        ("وزيرة خارجيّة مملكة السويد آن ليندي وبحثا", ("آن ليندي",)),
        ("وقال وزير الدفاع البريطاني بن والاس", ()),  # «و…» after a name starts a clause
        ("met Annalena Baerbock and Jens Stoltenberg at NATO", ("Annalena Baerbock",)),
    ],
)
def test_candidate_names_follow_titles_and_skip_known_names(
    paragraph: str, expected: tuple[str, ...], gazetteer: Gazetteer
) -> None:
    assert candidate_names([paragraph], gazetteer) == expected


def test_candidate_names_are_listed_once_as_first_written(gazetteer: Gazetteer) -> None:
    paragraphs = ["قالت الوزيرة آن ليندي", "وأضافت الوزيرة آنْ ليندي"]
    assert candidate_names(paragraphs, gazetteer) == ("آن ليندي",)
