"""Tags and cited agencies: what an article is about, and whose reporting it repeats.

Extraction stage, after `entities.find_entities`. `derive_tags` applies the editor's
`tag_rules` (from the gazetteer file) to an article's paragraphs, title and entities and
hands on tags for tag pages and `related`. `cited_agencies` hands on the news agencies the
text quotes («بحسب ما نقلته رويترز»، «(أ ف ب)»); they are the sources of the reporting and
are kept apart from the outlet that published the article, which the parser knows.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from itertools import compress

from arshif.arabic import clitic_forms, normalize, words
from arshif.entities import EntityCount
from arshif.gazetteer import TagRule
from arshif.phrases import PhraseIndex
from arshif.tokens import Tokens, tokenize


def derive_tags(
    paragraphs: Iterable[str],
    title: str,
    entities: Iterable[EntityCount],
    rules: Sequence[TagRule],
) -> tuple[str, ...]:
    """Tags whose rule fires: any listed entity mentioned or any listed phrase present.

    In the order the rules are written, so the editor controls which tag shows first.
    Phrases match like gazetteer names (normalised, clitics on the first word).
    """
    mentioned = {entity.id for entity in entities}
    index = _phrase_index(tuple(rules))
    seen_phrases = set().union(*(index.labels(tokenize(text)) for text in (title, *paragraphs)))
    return tuple(
        rule.tag
        for rule in rules
        if rule.tag in seen_phrases or not mentioned.isdisjoint(rule.entities)
    )


@functools.lru_cache(maxsize=8)
def _phrase_index(rules: tuple[TagRule, ...]) -> PhraseIndex:
    # Rules are the same for every article of a build: compile them once.
    return PhraseIndex((phrase, rule.tag) for rule in rules for phrase in rule.phrases)


# ---------------------------------------------------------------- cited agencies
# Canonical name -> spellings. These names mean the agency wherever they appear.
_AGENCIES: dict[str, tuple[str, ...]] = {
    "رويترز": ("رويترز", "Reuters"),
    "فرانس برس": ("فرانس برس", "فرانس بريس", "أ ف ب", "AFP"),
    "أسوشيتد برس": ("أسوشيتد برس", "أسوشييتد برس", "أسوشيتدبرس", "Associated Press"),
    "د ب أ": ("د ب أ",),
    "شينخوا": ("شينخوا", "شينخوا الصينية"),
    "سبوتنيك": ("سبوتنيك",),
    "بلومبرغ": ("بلومبرغ", "بلومبيرغ", "Bloomberg"),
}
# These are also ordinary words or places («الأناضول» is Anatolia, «قنا» a canal, «بترا»
# Petra), so they count only after «وكالة» or alone in brackets: «(الأناضول)».
_AMBIGUOUS_AGENCIES: dict[str, tuple[str, ...]] = {
    "الأناضول": ("الأناضول",),
    "واع": ("واع",),  # Iraqi News Agency
    "وام": ("وام",),
    "واس": ("واس",),
    "قنا": ("قنا",),
    "كونا": ("كونا",),
    "سانا": ("سانا",),
    "بترا": ("بترا",),
    "إرنا": ("إرنا", "ارنا"),
}
_AGENCY_INDEX = PhraseIndex(
    (spelling, name)
    for table in (_AGENCIES, _AMBIGUOUS_AGENCIES)
    for name, spellings in table.items()
    for spelling in spellings
)
# Dotted abbreviations («أ.ف.ب», «د.ب.أ») reach us as three one-letter words with dots
# between them; a name in the index must be spaced, so these are looked for separately.
_DOTTED: dict[tuple[str, ...], str] = {("ا", "ف", "ب"): "فرانس برس", ("د", "ب", "ا"): "د ب أ"}
_DOTTED_HEADS = frozenset(letters[0] for letters in _DOTTED)
_AGENCY_WORD = normalize("وكالة")


def cited_agencies(paragraphs: Iterable[str], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """News agencies the text cites, canonical names in order of first citation.

    `exclude` names agencies not to report, typically the outlet that published the text
    (an article from Reuters' own Arabic service is not "citing" Reuters).
    """
    excluded = {tuple(words(name)) for name in exclude}
    found: dict[str, int] = {}  # name -> first position (paragraph, character)
    for p, paragraph in enumerate(paragraphs):
        tokens = tokenize(paragraph)
        for match in _AGENCY_INDEX.scan(tokens):
            if match.label in _AGENCIES or _cited_explicitly(tokens, match.start, match.end):
                found.setdefault(match.label, p * 1_000_000 + tokens.spans[match.start][0])
        found_words = tokens.words
        for i in compress(range(len(found_words)), map(_DOTTED_HEADS.__contains__, found_words)):
            name = _DOTTED.get(found_words[i : i + 3])
            if name is not None and all(
                gap.strip() in (".", "") for gap in tokens.gaps[i + 1 : i + 3]
            ):
                position = p * 1_000_000 + tokens.spans[i][0]
                found[name] = min(found.get(name, position), position)
    return tuple(
        name
        for name, _ in sorted(found.items(), key=lambda item: item[1])
        if tuple(words(name)) not in excluded
    )


def _cited_explicitly(tokens: Tokens, start: int, end: int) -> bool:
    """«وكالة الأناضول», «لوكالة واع» or «(الأناضول)» — not the region or the word."""
    if start > 0 and tokens.joined(start) and _AGENCY_WORD in clitic_forms(tokens.words[start - 1]):
        return True
    after = tokens.gaps[end] if end < len(tokens) else tokens.text[tokens.spans[-1][1] :]
    return tokens.gaps[start].rstrip().endswith("(") and after.lstrip().startswith(")")
