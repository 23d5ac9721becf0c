"""Tags from the editor's rules, and the news agencies an article cites."""

from __future__ import annotations

import pytest

from arshif.entities import find_entities
from arshif.gazetteer import Gazetteer, TagRule
from arshif.tags import cited_agencies, derive_tags

from support import SEEDS, seed_paragraphs

RULES = (
    TagRule("مهمة التدريب", phrases=("مهمة التدريب", "مهمة الحلف")),
    TagRule("أفغانستان", entities=("afghanistan", "taliban")),
)


def tags_for(paragraphs: list[str], gazetteer: Gazetteer, title: str = "") -> tuple[str, ...]:
    entities = find_entities([title, *paragraphs], gazetteer)
    return derive_tags(paragraphs, title, entities, RULES)


@pytest.mark.parametrize(
    "paragraph",
    [
        "توسيع نطاق مهمة التدريب التي يضطلع بها",
        "ولفت دبلوماسيون إلى أن مهمة الحلف، التي تشارك فيها بريطانيا",
        "وأشاد بمهمة الحلف في العراق",
        "ضمن مُهِمَّة التدريب",
    ],
)
def test_phrase_implies_its_tag(paragraph: str, gazetteer: Gazetteer) -> None:
    assert tags_for([paragraph], gazetteer) == ("مهمة التدريب",)


def test_entity_implies_its_tag(gazetteer: Gazetteer) -> None:
    assert tags_for(["على طالبان أن توقف العنف"], gazetteer) == ("أفغانستان",)


def test_title_alone_can_imply_a_tag(gazetteer: Gazetteer) -> None:
    assert tags_for(["نص لا يذكر شيئا"], gazetteer, title="مهمة الحلف تتوسع") == ("مهمة التدريب",)


def test_tags_come_in_rule_order_each_once(gazetteer: Gazetteer) -> None:
    paragraphs = ["الوضع في أفغانستان", "مهمة التدريب", "مهمة الحلف"]
    assert tags_for(paragraphs, gazetteer) == ("مهمة التدريب", "أفغانستان")


def test_overlapping_phrases_of_two_rules_both_fire(gazetteer: Gazetteer) -> None:
    rules = (
        TagRule("مهمة التدريب", phrases=("مهمة التدريب",)),
        TagRule("تدريب", phrases=("التدريب",)),
    )
    paragraphs = ["توسيع مهمة التدريب في العراق"]
    assert derive_tags(paragraphs, "", (), rules) == ("مهمة التدريب", "تدريب")


def test_words_of_a_phrase_apart_do_not_imply_it(gazetteer: Gazetteer) -> None:
    assert tags_for(["مهمة صعبة تنتظر فريق التدريب", "مهمة، التدريب"], gazetteer) == ()


def test_shipped_rules_tag_every_seed_with_the_training_mission(gazetteer: Gazetteer) -> None:
    for seed in SEEDS:
        paragraphs = seed_paragraphs(seed)
        entities = find_entities(paragraphs, gazetteer)
        assert "مهمة التدريب" in derive_tags(paragraphs, "", entities, gazetteer.tag_rules)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("ترسيخ دور أكبر، بحسب ما نقلته رويترز عن المسؤولين", ("رويترز",)),
        ("بحسب ما ذكرت لوكالة رويترز للأنباء", ("رويترز",)),
        ("بغداد (رويترز) - قال مسؤولون", ("رويترز",)),
        ("قال مسؤول لوكالة فرانس برس، ونقلت أسوشيتد برس", ("فرانس برس", "أسوشيتد برس")),
        ("(أ ف ب) أعلنت", ("فرانس برس",)),
        ("نقلا عن (أ.ف.ب)", ("فرانس برس",)),
        ("قالت وكالة الأناضول", ("الأناضول",)),
        ("أنقرة (الأناضول) -", ("الأناضول",)),
        ("في هضبة الأناضول الوسطى", ()),
        ("أفادت وكالة الأنباء العراقية (واع)", ("واع",)),
        ("زار مدينة بترا الأثرية", ()),
        ("لا مصدر هنا", ()),
    ],
)
def test_cited_agencies_are_found_in_citation_forms(
    paragraph: str, expected: tuple[str, ...]
) -> None:
    assert cited_agencies([paragraph]) == expected


def test_cited_agencies_on_seeds(gazetteer: Gazetteer) -> None:
    found = {seed: cited_agencies(seed_paragraphs(seed)) for seed in SEEDS}
    assert found == {"000": (), "001": (), "002": (), "003": ("رويترز",), "004": ()}


def test_publishing_outlet_is_not_a_cited_agency() -> None:
    paragraphs = ["لندن (رويترز) - قال مسؤول لوكالة الأناضول"]
    assert cited_agencies(paragraphs, exclude=["رويترز"]) == ("الأناضول",)
