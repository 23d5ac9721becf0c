"""The gazetteer: the people, places and organisations the archive knows, and its tag rules.

Loaded once per build from the YAML file the site config names (`gazetteer.yaml` at the
top of the site) and validated in full before any article is read: every problem is
reported as `path:line: key: message`, all of them together. Hands on a frozen `Gazetteer`
whose `index` (names compiled for `phrases.PhraseIndex`) the entity and tag stages share.

File shape:

    entities:
      - id: stoltenberg            # stable slug: lower-case ASCII or Arabic, hyphens
        name: ينس ستولتنبرغ         # canonical Arabic name
        kind: person               # person | place | organisation
        variants: [ستولتنبيرغ, ستولتنبرج]
        latin: Jens Stoltenberg    # optional
    tag_rules:
      - tag: مهمة التدريب
        when: [مهمة التدريب, مهمة الحلف]   # entity ids or Arabic phrases; any one suffices
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from arshif.arabic import words
from arshif.errors import BuildErrors, SourceError, did_you_mean
from arshif.phrases import PhraseIndex

KINDS = ("person", "place", "organisation")
_ENTITY_KEYS = ("id", "name", "kind", "variants", "latin")
_RULE_KEYS = ("tag", "when")
_TOP_KEYS = ("entities", "tag_rules")
_ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ARABIC_SLUG = re.compile(r"[\u0621-\u064a0-9]+(?:-[\u0621-\u064a0-9]+)*")
# Words that name too much to stand for one entity: «الحلف» may be any alliance, so it must
# never become a name of NATO by accident. Normalised.
_TOO_GENERIC = frozenset(words("الحلف حلف التحالف الحكومة الرئيس الوزارة المنظمة الدولة"))
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Entity:
    id: str
    name: str  # canonical Arabic name
    kind: str  # one of KINDS
    variants: tuple[str, ...] = ()
    latin: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that counts as a mention, canonical name first."""
        return (self.name, *self.variants, *((self.latin,) if self.latin else ()))


@dataclass(frozen=True)
class TagRule:
    """`tag` applies to an article mentioning any of `entities` or containing any of `phrases`."""

    tag: str
    entities: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    entities: tuple[Entity, ...]
    tag_rules: tuple[TagRule, ...] = ()

    @functools.cached_property
    def by_id(self) -> Mapping[str, Entity]:
        return MappingProxyType({entity.id: entity for entity in self.entities})

    @functools.cached_property
    def index(self) -> PhraseIndex:
        """Every name of every entity, labelled with the entity id; compiled once."""
        return PhraseIndex((name, entity.id) for entity in self.entities for name in entity.names)

    @functools.cached_property
    def person_words(self) -> frozenset[str]:
        """Normalised words of people's names: a lone «فؤاد» is a known person, not news."""
        return frozenset(
            word
            for entity in self.entities
            if entity.kind == "person"
            for name in entity.names
            for word in words(name)
        )


def load_gazetteer(path: Path | str) -> Gazetteer:
    """Read and validate the gazetteer; raise SourceError (or BuildErrors for several)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise SourceError(path, f"cannot read the gazetteer: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise SourceError(path, f"not UTF-8 text (byte {err.start})") from None
    try:
        # libyaml when PyYAML has it: the gazetteer is read on every build, no-ops included,
        # and the pure-Python composer took a third of a no-op's time.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SourceError(path, f"not valid YAML: {err.problem}", line) from None
    reader = _Reader(path)
    gazetteer = reader.read(root)
    if len(reader.errors) == 1:
        raise reader.errors[0]
    if reader.errors:
        raise BuildErrors(reader.errors)
    return gazetteer


class _Reader:
    """Walks the YAML node tree (not plain data) so every error can carry its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[SourceError] = []

    def error(self, node: yaml.Node, key: str, message: str, hint: str | None = None) -> None:
        line = node.start_mark.line + 1
        self.errors.append(SourceError(self.path, f"{key}: {message}", line, hint))

    def read(self, root: yaml.Node | None) -> Gazetteer:
        if root is None:
            return Gazetteer(())  # an empty file is an empty gazetteer
        top = self.mapping(root, "gazetteer", _TOP_KEYS)
        entities = self.entities(top["entities"]) if "entities" in top else ()
        rules = self.rules(top["tag_rules"], entities) if "tag_rules" in top else ()
        return Gazetteer(entities, rules)

    # -------------------------------------------------------------- entities
    def entities(self, node: yaml.Node) -> tuple[Entity, ...]:
        found: list[Entity] = []
        first_line: dict[str, int] = {}
        owner: dict[tuple[str, ...], tuple[str, int]] = {}  # normalised name -> (id, line)
        for i, item in self.sequence(node, "entities"):
            key = f"entities[{i}]"
            fields = self.mapping(item, key, _ENTITY_KEYS)
            entity = self.entity(item, key, fields)
            if entity is None:
                continue
            line = item.start_mark.line + 1
            if entity.id in first_line:
                self.error(
                    fields["id"],
                    f"{key}.id",
                    f"'{entity.id}' is already used on line {first_line[entity.id]}",
                )
                continue
            first_line[entity.id] = line
            for name in entity.names:
                normal = tuple(words(name))
                other = owner.setdefault(normal, (entity.id, line))
                if other[0] != entity.id:
                    self.error(
                        item, key, f"«{name}» is already a name of '{other[0]}' (line {other[1]})"
                    )
            found.append(entity)
        return tuple(found)

    def entity(self, node: yaml.Node, key: str, fields: dict[str, yaml.Node]) -> Entity | None:
        for required in ("id", "name", "kind"):
            if required not in fields:
                self.error(node, key, f"missing '{required}'")
        if any(required not in fields for required in ("id", "name", "kind")):
            return None
        entity_id = self.text(fields["id"], f"{key}.id")
        name = self.name(fields["name"], f"{key}.name")
        kind = self.text(fields["kind"], f"{key}.kind")
        if entity_id is not None and not (
            _ASCII_SLUG.fullmatch(entity_id) or _ARABIC_SLUG.fullmatch(entity_id)
        ):
            self.error(
                fields["id"], f"{key}.id", f"'{entity_id}' is not a slug",
                "use lower-case ASCII letters, digits and hyphens, e.g. 'al-kadhimi'",
            )  # fmt: skip
            entity_id = None
        if kind is not None and kind not in KINDS:
            self.error(
                fields["kind"], f"{key}.kind", f"'{kind}' is not one of {', '.join(KINDS)}",
                did_you_mean(kind, KINDS),
            )  # fmt: skip
            kind = None
        variants: list[str] = []
        if "variants" in fields:
            for j, variant in self.sequence(fields["variants"], f"{key}.variants"):
                spelled = self.name(variant, f"{key}.variants[{j}]")
                if spelled is not None:
                    variants.append(spelled)
        latin = self.name(fields["latin"], f"{key}.latin") if "latin" in fields else None
        if entity_id is None or name is None or kind is None:
            return None
        return Entity(entity_id, name, kind, tuple(variants), latin)

    def name(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        normal = words(value)
        if not normal:
            self.error(node, key, "has no letters")
            return None
        if len(normal) == 1 and normal[0] in _TOO_GENERIC:
            self.error(node, key, f"«{value}» alone is too generic to name one entity")
            return None
        return value.strip()

    # -------------------------------------------------------------- tag rules
    def rules(self, node: yaml.Node, entities: tuple[Entity, ...]) -> tuple[TagRule, ...]:
        ids = {entity.id for entity in entities}
        found: list[TagRule] = []
        seen: set[str] = set()
        for i, item in self.sequence(node, "tag_rules"):
            key = f"tag_rules[{i}]"
            fields = self.mapping(item, key, _RULE_KEYS)
            for required in _RULE_KEYS:
                if required not in fields:
                    self.error(item, key, f"missing '{required}'")
            if any(required not in fields for required in _RULE_KEYS):
                continue
            tag = self.text(fields["tag"], f"{key}.tag")
            if tag is not None and tag in seen:
                self.error(fields["tag"], f"{key}.tag", f"'{tag}' has a rule already")
            when_entities: list[str] = []
            phrases: list[str] = []
            when = fields["when"]
            if isinstance(when, yaml.SequenceNode) and not when.value:
                self.error(when, f"{key}.when", "is empty", "list entity ids or phrases")
            for j, condition in self.sequence(when, f"{key}.when"):
                value = self.text(condition, f"{key}.when[{j}]")
                if value is None:
                    continue
                if value in ids:
                    when_entities.append(value)
                elif _ASCII_SLUG.fullmatch(value):
                    # ASCII slugs are entity ids; a typo must not silently become a phrase.
                    self.error(
                        condition, f"{key}.when[{j}]", f"no entity has the id '{value}'",
                        did_you_mean(value, ids),
                    )  # fmt: skip
                elif words(value):
                    phrases.append(value.strip())
                else:
                    self.error(condition, f"{key}.when[{j}]", "has no letters")
            if tag is not None and tag not in seen:
                seen.add(tag)
                found.append(TagRule(tag, tuple(when_entities), tuple(phrases)))
        return tuple(found)

    # -------------------------------------------------------------- YAML shapes
    def mapping(self, node: yaml.Node, key: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, key, "must be a mapping of keys to values")
            return {}
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            if name not in allowed:
                self.error(
                    key_node, f"{key}.{name}", "unknown key", did_you_mean(name, allowed)
                    or f"expected one of: {', '.join(allowed)}",
                )  # fmt: skip
            elif name in fields:
                self.error(key_node, f"{key}.{name}", "appears twice")
            else:
                fields[name] = value_node
        return fields

    def sequence(self, node: yaml.Node, key: str) -> Iterator[tuple[int, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, key, "must be a list")
            return
        yield from enumerate(node.value)

    def text(self, node: yaml.Node, key: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG or not node.value:
            self.error(node, key, "must be non-empty text")
            return None
        return str(node.value)
