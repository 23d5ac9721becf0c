"""Key figures: the numbers an article reports, with what they count.

Extraction stage, called by the pipeline once per article with its body paragraphs. Reads
digits in any script («500», «٤», «4,000») and Arabic number words («أربعة آلاف»,
«بثمانية»), joins them to the noun they count («2500 جندي», «ثمانية أضعاف») and to the
other end of a range («من 500 حتى أربعة آلاف شخصا») or alternative («4000 أو 5000»).
Years, day numbers and numbers inside names («كوفيد-19») are dates and labels, not figures,
and are skipped. Hands on `Figure`s for the article page and the build report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from typing import NamedTuple

from arshif.arabic import CLITIC_PREFIXES, MONTHS, WEEKDAYS, clitic_forms, normalize, words
from arshif.tokens import Tokens, WordCache, tokenize


class Figure(NamedTuple):
    # A NamedTuple, not a dataclass: an archive's records hold hundreds of thousands of
    # these, and every build unpickles them from the cache three times faster this way.
    value: int | float
    unit: str | None  # the counted noun as written: «جندي», «شخصا», «أضعاف», or "%"
    phrase: str  # the figure as written, range and noun included
    paragraph: int  # index into the paragraphs given
    value_to: int | float | None = None  # the other end of a range, or the alternative


# ---------------------------------------------------------------- number words
def _table(pairs: Iterable[tuple[int, str]]) -> dict[str, int]:
    return {
        normalize(spelling): value for value, spellings in pairs for spelling in spellings.split()
    }


_SMALL = _table([
    (1, "واحد واحدة"), (2, "اثنان اثنين اثنتان اثنتين"), (3, "ثلاث ثلاثة"), (4, "أربع أربعة"),
    (5, "خمس خمسة"), (6, "ست ستة"), (7, "سبع سبعة"), (8, "ثمان ثماني ثمانية"), (9, "تسع تسعة"),
    (10, "عشر عشرة"), (20, "عشرون عشرين"), (30, "ثلاثون ثلاثين"), (40, "أربعون أربعين"),
    (50, "خمسون خمسين"), (60, "ستون ستين"), (70, "سبعون سبعين"), (80, "ثمانون ثمانين"),
    (90, "تسعون تسعين"), (100, "مئة مائة"),
    (200, "مئتان مئتين مائتان مائتين مئتا مائتا مئتي مائتي"),
])  # fmt: skip
_HUNDREDS_STEMS = ((3, "ثلاث"), (4, "أربع"), (5, "خمس"), (6, "ست"), (7, "سبع"), (8, "ثمان"),
                   (8, "ثماني"), (9, "تسع"))  # fmt: skip
_SMALL.update(_table((unit * 100, f"{stem}مئة {stem}مائة") for unit, stem in _HUNDREDS_STEMS))
# «أحد» and «اثنا» are numbers only in «أحد عشر», «اثنا عشر»; alone «أحد» is "someone".
_TEEN_HEADS = _table([(1, "أحد إحدى"), (2, "اثنا اثني اثنتا اثنتي")])
_TEN = frozenset(words("عشر عشرة"))
_HUNDRED = frozenset(words("مئة مائة"))
_SCALES = _table([(1000, "ألف ألفا"), (10**6, "مليون مليونا"), (10**9, "مليار مليارا")])
_PLURAL_SCALES = _table([(1000, "آلاف ألوف"), (10**6, "ملايين"), (10**9, "مليارات")])
_DUALS = _table([
    (2000, "ألفان ألفين"), (2 * 10**6, "مليونان مليونين"), (2 * 10**9, "ملياران مليارين"),
])  # fmt: skip
_NUMBER_WORDS = frozenset((*_SMALL, *_TEEN_HEADS, *_SCALES, *_PLURAL_SCALES, *_DUALS))
# Every spelling a number word can take with clitics attached («بثمانية», «للألف»): a
# superset used only to pass over the other words of a paragraph quickly.
_NUMBERISH = frozenset(
    {prefix + word for word in _NUMBER_WORDS for prefix in ("", *CLITIC_PREFIXES)}
    | {"لل" + word[2:] for word in _NUMBER_WORDS if word.startswith("ال")}
)

_Part = tuple[str, float]  # (kind, value)
# word -> whether a number can start at it
_may_start_number = WordCache(lambda word: word in _NUMBERISH or word[:1].isdigit())


@functools.lru_cache(maxsize=1 << 16)
def _word_part(word: str) -> _Part | None:
    """The number a single normalised word stands for, clitics allowed («بثمانية»)."""
    if any(form in WEEKDAYS for form in clitic_forms(word)):
        return None  # «الاثنين» is Monday before it is "two"
    for form in clitic_forms(word):  # whole word first
        if form in _NUMBER_WORDS:
            break
    else:
        return None
    if form in _HUNDRED:
        return ("hundred", 100)
    if form in _TEN:
        return ("ten", 10)
    if form in _SMALL:
        return ("small", _SMALL[form])
    if form in _TEEN_HEADS:
        return ("teen-head", _TEEN_HEADS[form])
    if form in _SCALES:
        return ("scale", _SCALES[form])
    if form in _PLURAL_SCALES:
        return ("plural", _PLURAL_SCALES[form])
    return ("dual", _DUALS[form])


def _digits_value(token: str) -> float | None:
    text = token.replace("\u066b", ".")  # Arabic decimal separator
    if re.fullmatch(r"\d{1,3}(?:[,\u066c]\d{3})+", text):
        return float(re.sub(r"[,\u066c]", "", text))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", text):  # 1.000.000
        return float(text.replace(".", ""))
    text = text.replace(",", ".")  # «4,5» is four and a half where commas are decimal marks
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


def _evaluate(parts: list[_Part]) -> float | None:
    """The value of number parts in reading order, or None when they do not form a number."""
    total, current, last = 0.0, 0.0, ""
    for kind, value in parts:
        if kind == "small" or kind == "digits":
            if last == "small" and not (current < 10 <= value < 100 or current >= 100 > value):
                return None  # «ثلاثة وأربعة» is two numbers, «خمسة وعشرون» one
            current += value
        elif kind == "teen-head":
            current += value
        elif kind == "ten":
            current += 10  # «عشرة» alone, or the teen of «ثلاثة عشر»
        elif last == "teen-head":
            return None  # «أحد» not followed by «عشر»
        elif kind == "hundred":
            if current >= 10:
                return None
            current = (current or 1) * 100
        elif kind in ("scale", "plural"):
            if kind == "plural" and not current:
                return None  # «آلاف» alone is "thousands", not a figure
            # «3000 آلاف» restates the unit of a number already in thousands.
            total += current if current >= value else (current or 1) * value
            current = 0
        else:  # dual
            total += value
        last = kind
    if last == "teen-head" or not parts:
        return None
    return total + current


def parse_number_words(text: str) -> int | None:
    """The whole number `text` spells («أربعة آلاف» → 4000, «بثمانية» → 8), else None.

    Digits may stand for any part («٤ آلاف»); the whole text must be one number.
    """
    parts: list[_Part] = []
    for i, word in enumerate(tokenize(text).words):
        if i and word == "و":
            continue
        part: _Part | None
        if word[:1].isdigit():
            digits = _digits_value(word)
            part = None if digits is None else ("digits", digits)
        else:
            part = _word_part(word)
        if part is None:
            return None
        parts.append(part)
    value = _evaluate(parts)
    return int(value) if value is not None and value == int(value) else None


# ---------------------------------------------------------------- figures in text
# Words after a number that are not what it counts.
_NOT_NOUNS = frozenset(
    words(
        "في من إلى الى حتى أو و على عن مع ثم منذ خلال بعد قبل عبر حول بين كحد نحو حوالي قرابة "
        "زهاء فقط تقريبا أن إن ما لا لم لن قد كما هذا هذه ذلك الذي التي هو هي إلا أي "
        "قال قالت أكد أكدت أعلن أعلنت أشار أوضح أضاف ذكر ذكرت"
    )
)
_APPROXIMATE = frozenset(words("نحو حوالي قرابة زهاء"))
_RANGE_TO = frozenset(words("إلى الى حتى"))
_ALTERNATIVE = frozenset(words("أو او"))
_YEAR_WORDS = frozenset(words("عام العام لعام سنة السنة لسنة منذ مطلع أواخر أوائل في"))
_PERCENT_WORDS = frozenset(words("بالمئة بالمائة"))


@dataclass(frozen=True, slots=True)
class _Number:
    start: int
    end: int  # one past the last word of the number
    value: float
    digits: bool  # written in digits


def _number_at(tokens: Tokens, i: int) -> _Number | None:
    found = tokens.words
    if found[i][:1].isdigit():
        value = _digits_value(found[i])
        if value is None:
            return None
        parts: list[_Part] = [("digits", value)]
        end = i + 1
        # Only scale words follow digits: «4 آلاف»; «12 و13» is two numbers.
        while end < len(found) and tokens.joined(end) and (part := _word_part(found[end])):
            if part[0] not in ("scale", "plural") or _evaluate([*parts, part]) is None:
                break
            parts.append(part)
            end += 1
        total = _evaluate(parts)
        return None if total is None else _Number(i, end, total, digits=True)
    first = _word_part(found[i])
    if first is None:
        return None
    parts, end, good_end, good = [first], i + 1, i + 1, _evaluate([first])
    while end < len(found) and tokens.joined(end):
        following = end + 1 if found[end] == "و" else end  # «خمسة و عشرون»
        if following >= len(found) or not tokens.joined(following):
            break
        part = _word_part(found[following])
        if part is None:
            break
        value = _evaluate([*parts, part])
        if value is None and part[0] != "teen-head":
            break
        parts.append(part)
        end = following + 1
        if value is not None:
            good_end, good = end, value
    return None if good is None else _Number(i, good_end, good, digits=False)


def _is_month_at(tokens: Tokens, i: int) -> bool:
    found = tokens.words
    if i >= len(found):
        return False
    if any(form in MONTHS for form in clitic_forms(found[i])):
        return True
    return i + 1 < len(found) and f"{found[i]} {found[i + 1]}" in MONTHS


def _month_ends_at(tokens: Tokens, i: int) -> bool:
    """True when a month name («مايو», «تشرين الأول») ends at word i."""
    if i < 0:
        return False
    found = tokens.words
    if any(form in MONTHS for form in clitic_forms(found[i])):
        return True
    return i >= 1 and f"{found[i - 1]} {found[i]}" in MONTHS


def _is_date_or_label(tokens: Tokens, number: _Number) -> bool:
    i, found = number.start, tokens.words
    if not number.digits:
        return False
    before = tokens.gaps[i]
    glued_to_word = i > 0 and found[i - 1].isalpha() and len(found[i - 1]) > 1
    if glued_to_word and (not before or before.strip() in ("-", "–")):
        return True  # «كوفيد-19», «G20»: part of a name
    if before.strip() in ("/", "-", ".") and i > 0 and found[i - 1][:1].isdigit():
        return True  # the month or year of 12/3/2021
    if (
        number.end < len(found)
        and tokens.gaps[number.end].strip() in ("/", "-", ".")
        and found[number.end][:1].isdigit()
    ):
        return True  # 12/3/2021
    # Day numbers: «21 شباط», «12 و13 فبراير».
    j = number.end
    while j < len(found) and (found[j] == "و" or found[j][:1].isdigit()) and j - number.end < 4:
        j += 1
    if number.value <= 31 and _is_month_at(tokens, j):
        return True
    if number.end - number.start == 1 and 1900 <= number.value <= 2100:
        previous = found[i - 1] if i > 0 else ""
        return (
            _month_ends_at(tokens, i - 1)
            or previous in _YEAR_WORDS
            or not _noun_at(tokens, number.end)
        )
    return _month_ends_at(tokens, i - 1) and number.value <= 31


def _noun_at(tokens: Tokens, j: int) -> str | None:
    """The counted noun written at word j, if word j can be one."""
    if j >= len(tokens) or not tokens.joined(j):
        return None
    word = tokens.words[j]
    if (
        not word.isalpha()
        or len(word) < 2
        or word in _NOT_NOUNS
        or word.startswith("ال")  # a counted noun is indefinite; «تسع القاعة» is a verb
        or _word_part(word) is not None
        or _is_month_at(tokens, j)
    ):
        return None
    start, end = tokens.spans[j]
    return tokens.text[start:end]


def key_figures(paragraphs: Iterable[str]) -> tuple[Figure, ...]:
    """Numbers that count something, in reading order, dates and labels left out.

    A number is kept when it has a counted noun or unit («500 عنصر», «8%») or is one end
    of a range or alternative («4000 أو 5000»); a bare number says too little to show.
    """
    figures: list[Figure] = []
    for p, paragraph in enumerate(paragraphs):
        tokens = tokenize(paragraph)
        found = tokens.words
        # Most words are not numbers: rule them out in one pass at C speed, asking a dict
        # that remembers the answer for each word of the vocabulary.
        starts = compress(range(len(found)), map(_may_start_number.__getitem__, found))
        resume = 0
        for i in starts:
            number = _number_at(tokens, i) if i >= resume else None
            if number is None:
                continue
            if _is_date_or_label(tokens, number):
                resume = number.end
            else:
                figure, resume = _figure_from(tokens, number, p)
                if figure is not None:
                    figures.append(figure)
    return tuple(figures)


def _unit_after(tokens: Tokens, number: _Number) -> tuple[str | None, int]:
    """What `number` counts and where that ends: a noun, a percent sign, or nothing."""
    j, found = number.end, tokens.words
    after = tokens.gaps[j] if j < len(found) else tokens.text[tokens.spans[number.end - 1][1] :]
    if after.lstrip()[:1] in ("%", "٪"):
        return "%", j
    if j < len(found) and tokens.joined(j) and found[j] in _PERCENT_WORDS:
        return "%", j + 1
    noun = _noun_at(tokens, j)
    return (noun, j + 1) if noun is not None else (None, j)


def _figure_from(tokens: Tokens, number: _Number, p: int) -> tuple[Figure | None, int]:
    """The figure starting with `number`, and the word index to continue scanning from."""
    found = tokens.words
    unit, end = _unit_after(tokens, number)
    start = number.start
    before = start - 1
    while before >= 0 and found[before] in _APPROXIMATE:
        before -= 1
    opens_range = before >= 0 and found[before] == "من"
    if (
        end < len(found)
        and tokens.joined(end)
        and (found[end] in _ALTERNATIVE or (opens_range and found[end] in _RANGE_TO))
    ):
        k = end + 1
        while k < len(found) and found[k] in _APPROXIMATE:
            k += 1
        other = _number_at(tokens, k) if k < len(found) and tokens.joined(k) else None
        if other is not None and not _is_date_or_label(tokens, other):
            other_unit, other_end = _unit_after(tokens, other)
            if found[end] in _RANGE_TO:
                start = before
            figure = Figure(
                _plain(number.value), unit or other_unit, tokens.written(start, other_end), p,
                _plain(other.value),
            )  # fmt: skip
            return figure, other_end
    if unit is None:
        return None, number.end
    return Figure(_plain(number.value), unit, tokens.written(start, end), p), end


def _plain(value: float) -> int | float:
    return int(value) if value == int(value) else value
