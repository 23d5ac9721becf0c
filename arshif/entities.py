"""Entities: who and what an article mentions, and the names the gazetteer does not know yet.

Extraction stage, called by the pipeline once per article with the article's body as plain
paragraphs (furniture already removed; pass the title as one more paragraph to count it).
`find_entities` hands on counted gazetteer entities for the article model, entity pages and
`related`; `candidate_names` hands on unknown names for the build report, so an editor can
grow the gazetteer. All matching goes through `phrases.PhraseIndex` (see its rules).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from arshif.arabic import words
from arshif.gazetteer import Gazetteer
from arshif.phrases import PhraseIndex
from arshif.tokens import Tokens, tokenize


class EntityCount(NamedTuple):
    # A NamedTuple, not a dataclass: an archive's records hold hundreds of thousands of
    # these, and every build unpickles them from the cache three times faster this way.
    id: str
    kind: str
    name: str  # canonical Arabic name, for display
    # Mentions in the paragraphs given. The field hides tuple.count, which nothing calls on
    # an entity; templates and code read `entity.count` as this number.
    count: int  # type: ignore[assignment]


def find_entities(paragraphs: Iterable[str], gazetteer: Gazetteer) -> tuple[EntityCount, ...]:
    """Gazetteer entities mentioned in `paragraphs`, most mentioned first, then by id."""
    index = gazetteer.index
    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        counts.update(match.label for match in index.scan(tokenize(paragraph)))
    by_id = gazetteer.by_id
    return tuple(
        EntityCount(entity_id, by_id[entity_id].kind, by_id[entity_id].name, count)
        for entity_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


# ---------------------------------------------------------------- candidate names
# A person's name usually follows a title or role: «وزيرة خارجية مملكة السويد آن ليندي».
# Roles are dropped from the candidate; honorifics are part of how the person is named.
_ROLES = (
    "الأمين العام", "أمين عام", "رئيس الوزراء", "رئيس الحكومة", "رئيس الجمهورية", "الرئيس",
    "رئيس", "نائب الرئيس", "وزير", "وزيرة", "الوزير", "الوزيرة", "مستشار الأمن القومي",
    "مستشار", "المستشار", "المتحدث باسم", "المتحدثة باسم", "الناطق باسم", "السفير",
    "السفيرة", "قائد", "القائد", "الأدميرال", "الجنرال", "الفريق الركن", "الفريق أول",
    "الفريق", "اللواء", "العميد", "العقيد", "المشير", "المبعوث", "المبعوثة", "الممثل الخاص",
    "المدير العام", "مدير", "المدير", "زعيم", "الزعيم", "النائب", "ولي العهد",
)  # fmt: skip
_HONORIFICS = (
    "البابا", "الملك", "الملكة", "الأمير", "الأميرة", "الشيخ", "السيد", "السيدة", "الإمام",
)  # fmt: skip
_TRIGGERS = PhraseIndex(
    [(role, "role") for role in _ROLES] + [(title, "title") for title in _HONORIFICS]
)
# Words between a role and the name that belong to the role: «وزير خارجية العراق»,
# «قائد قيادة القوات المشتركة». Definite words (ال…) and gazetteer names are skipped too.
_ROLE_WORDS = frozenset(
    words(
        "العام السابق الحالي الأسبق الجديد المقبل البارز الركن الأعلى المساعد أول خارجية دفاع "
        "داخلية مالية عدل نفط صحة تخطيط بعثة قيادة هيئة أركان مملكة جمهورية دولة أمانة مجلس "
        "لجنة مكتب جهاز حلف منظمة وكالة وزارة حكومة قوات قوة فيلق شرطة جيش عام"
    )
)
# Words that end a name: particles, pronouns and the verbs that follow names in news prose.
_STOP_WORDS = frozenset(
    words(
        "في من إلى الى على عن مع أن إن أنه أنها أي الذي التي الذين هو هي هم كان كانت قد لقد ثم "
        "أو أما لكن بل حتى منذ خلال بعد قبل عبر حول ضد بين لدى عند أمس اليوم غدا أيضا كما لا "
        "لم لن ما هذا هذه ذلك تلك هناك هنا قال قالت أكد أكدت أعلن أعلنت أشار أشارت أوضح أوضحت "
        "أضاف أضافت ذكر ذكرت دعا دعت بحث بحثت شدد شددت لفت نوه كشف كشفت تابع يبحث يؤكد يقول "
        "أعرب استقبل استقبلت التقى زار وصل غادر تلقى تلقت أجرى أبلغ صرح يتوقع بدوره نفسه إنه"
    )
)
_MAX_ROLE_WORDS = 8
_MAX_NAME_WORDS = 4
_LATIN_CAPITAL = re.compile(r"[A-Z]").search  # a quick look before the slower pattern
_LATIN_NAME_RE = re.compile(r"\b[A-Z][A-Za-z'’-]*(?: +[A-Z][A-Za-z'’-]*)*")


def candidate_names(paragraphs: Iterable[str], gazetteer: Gazetteer) -> tuple[str, ...]:
    """Names after titles and roles, and Latin-script names, that the gazetteer lacks.

    As written, in order of first appearance, each once. A heuristic for the build report:
    it prefers missing a name to inventing one (single words need an honorific, and a word
    the article also uses with «ال» is taken for a common noun, not a name).
    """
    tokenised = [tokenize(paragraph) for paragraph in paragraphs]
    vocabulary = set().union(*(tokens.words for tokens in tokenised))
    found: dict[tuple[str, ...], str] = {}
    for tokens in tokenised:
        for name in _names_after_roles(tokens, gazetteer, vocabulary):
            found.setdefault(tuple(words(name)), name)
        latin_names = _LATIN_NAME_RE.finditer(tokens.text) if _LATIN_CAPITAL(tokens.text) else ()
        for match in latin_names:
            written = match.group().rstrip("'’-")
            latin = tokenize(written)
            known = gazetteer.index.match_at(latin, 0) if latin.words else None
            if latin.words and (known is None or known.end < len(latin)):
                found.setdefault(latin.words, written)
    return tuple(found.values())


def _names_after_roles(tokens: Tokens, gazetteer: Gazetteer, vocabulary: set[str]) -> list[str]:
    names: list[str] = []
    resume = 0  # a role inside the previous role's name is part of that name
    for trigger in _TRIGGERS.scan(tokens):
        if trigger.start < resume:
            continue
        start = _skip_role_words(tokens, trigger.end, gazetteer)
        end = _name_end(tokens, start, gazetteer, vocabulary)
        name_words = tokens.words[start:end]
        long_enough = len(name_words) >= 2 or (bool(name_words) and trigger.label == "title")
        if long_enough and not set(name_words) <= gazetteer.person_words:
            first = trigger.start if trigger.label == "title" else start
            names.append(tokens.written(first, end))
        resume = max(end, trigger.end)
    return names


def _skip_role_words(tokens: Tokens, i: int, gazetteer: Gazetteer) -> int:
    """The first word after the role's own words («العراقي»، «لحلف الناتو»، «خارجية …»)."""
    skipped = 0
    while i < len(tokens) and skipped < _MAX_ROLE_WORDS:
        if not (tokens.joined(i) or tokens.soft_break(i)):
            return len(tokens)  # a full stop or quote between role and name: no name here
        if _is_stop_word(tokens, i):
            break
        known = gazetteer.index.match_at(tokens, i)
        if known is not None and gazetteer.by_id[known.label].kind != "person":
            skipped += known.end - i
            i = known.end
        elif tokens.words[i] in _ROLE_WORDS or tokens.words[i].startswith("ال"):
            skipped += 1
            i += 1
        else:
            break
    return i


def _is_stop_word(tokens: Tokens, i: int) -> bool:
    word = tokens.words[i]
    if tokens.raws[i].startswith("آ"):
        return False  # «آن ليندي»: normalising madda away makes the name look like «أن»
    # One attached letter («بأن», «وقبل») still makes a particle or a verb, not a name.
    return word in _STOP_WORDS or (word[:1] in "وفبكل" and word[1:] in _STOP_WORDS)


def _name_end(tokens: Tokens, start: int, gazetteer: Gazetteer, vocabulary: set[str]) -> int:
    end = start
    while end < len(tokens) and end - start < _MAX_NAME_WORDS:
        word = tokens.words[end]
        if end > start and not tokens.joined(end):
            break
        if end == start and not (tokens.joined(end) or tokens.soft_break(end)):
            break
        if (
            _is_stop_word(tokens, end)
            or not word.isalpha()
            or gazetteer.index.match_at(tokens, end) is not None
            or _TRIGGERS.match_at(tokens, end) is not None
            or (end > start and word.startswith("و"))  # «آن ليندي وبحثا»: a new clause
            or ("ال" + word) in vocabulary  # «حدود» beside «الحدود»: a common noun
        ):
            break
        end += 1
        if word.startswith("ال"):
            break  # a family name «ال…» comes last: «مصطفى الكاظمي», not «… الوفد»
    return end
