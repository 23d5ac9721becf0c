"""Loading and validating the gazetteer: every error names file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshif.errors import BuildErrors, SourceError
from arshif.gazetteer import Gazetteer, load_gazetteer


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        load_gazetteer(path)
    return str(caught.value)


def test_shipped_gazetteer_covers_the_archive(gazetteer: Gazetteer) -> None:
    for entity_id in (
        "stoltenberg", "al-kadhimi", "fuad-hussein", "al-araji", "stuart-munsch", "al-sudani",
        "per-olsen", "soleimani", "trump", "iraq", "baghdad", "brussels", "afghanistan", "iran",
        "turkey", "syria", "jordan", "london", "canada", "france", "germany", "australia",
        "britain", "denmark", "sweden", "finland", "usa", "saudi-arabia", "uae", "bahrain",
        "qatar", "yemen", "nato", "isis", "global-coalition", "un", "eu", "iraqi-parliament",
        "pentagon", "taliban", "reuters",
    ):  # fmt: skip
        assert entity_id in gazetteer.by_id
    assert gazetteer.by_id["reuters"].kind == "organisation"
    assert "ستولتنبيرغ" in gazetteer.by_id["stoltenberg"].variants
    assert {"حلف شمال الأطلسي", "حلف الأطلسي", "حلف الناتو", "الحلف الأطلسي"} <= set(
        gazetteer.by_id["nato"].variants
    )
    assert gazetteer.tag_rules[0].tag == "مهمة التدريب"


def test_empty_file_is_an_empty_gazetteer(tmp_path: Path) -> None:
    assert load_gazetteer(write(tmp_path, "")) == Gazetteer(())


def test_errors_on_unknown_kind_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - id: x\n    name: بغداد\n    kind: plase\n")
    assert error_of(path) == (
        f"{path}:4: entities[0].kind: 'plase' is not one of person, place, organisation "
        "(did you mean 'place'?)"
    )


def test_errors_on_missing_name(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - {id: x, kind: place}\n")
    assert error_of(path) == f"{path}:2: entities[0]: missing 'name'"


def test_errors_on_misspelt_key(tmp_path: Path) -> None:
    path = write(
        tmp_path, "entities:\n  - id: x\n    name: بغداد\n    kind: place\n    varients: [a]\n"
    )
    assert error_of(path) == (
        f"{path}:5: entities[0].varients: unknown key (did you mean 'variants'?)"
    )


def test_errors_on_id_that_is_not_a_slug(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - {id: Baghdad City, name: بغداد, kind: place}\n")
    assert error_of(path).startswith(f"{path}:2: entities[0].id: 'Baghdad City' is not a slug")


def test_errors_on_duplicate_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entities:\n"
        "  - {id: x, name: بغداد, kind: place}\n"
        "  - {id: x, name: بروكسل, kind: place}\n",
    )
    assert error_of(path) == f"{path}:3: entities[1].id: 'x' is already used on line 2"


def test_errors_on_name_shared_by_two_entities(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entities:\n"
        "  - {id: a, name: بغداد, kind: place}\n"
        "  - {id: b, name: بروكسل, kind: place, variants: [بَغداد]}\n",
    )
    assert error_of(path) == f"{path}:3: entities[1]: «بَغداد» is already a name of 'a' (line 2)"


def test_errors_on_generic_word_as_a_name(tmp_path: Path) -> None:
    path = write(
        tmp_path, "entities:\n  - id: nato\n    name: الناتو\n    kind: organisation\n"
        "    variants:\n      - الحلف\n",
    )  # fmt: skip
    assert error_of(path) == (
        f"{path}:6: entities[0].variants[0]: «الحلف» alone is too generic to name one entity"
    )


def test_errors_on_tag_rule_naming_unknown_entity(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entities:\n  - {id: nato, name: الناتو, kind: organisation}\n"
        "tag_rules:\n  - tag: الحلف\n    when: [natto, مهمة التدريب]\n",
    )
    assert error_of(path) == (
        f"{path}:5: tag_rules[0].when[0]: no entity has the id 'natto' (did you mean 'nato'?)"
    )


def test_errors_on_invalid_yaml_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - id: x\n    name: [unclosed\n")
    assert error_of(path).startswith(f"{path}:4: not valid YAML")


def test_reports_every_error_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entities:\n  - {id: a, name: بغداد, kind: town}\n  - {id: b, kind: place}\nextra: 1\n",
    )
    with pytest.raises(BuildErrors) as caught:
        load_gazetteer(path)
    assert [str(error) for error in caught.value.errors] == [
        f"{path}:2: entities[0].kind: 'town' is not one of person, place, organisation",
        f"{path}:3: entities[1]: missing 'name'",
        f"{path}:4: gazetteer.extra: unknown key (expected one of: entities, tag_rules)",
    ]


def test_tag_rules_separate_entity_ids_from_phrases(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entities:\n  - {id: nato, name: الناتو, kind: organisation}\n"
        "tag_rules:\n  - {tag: التدريب, when: [nato, مهمة التدريب]}\n",
    )
    (rule,) = load_gazetteer(path).tag_rules
    assert (rule.tag, rule.entities, rule.phrases) == ("التدريب", ("nato",), ("مهمة التدريب",))
