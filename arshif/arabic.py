"""Pure Arabic text helpers shared by every stage: normalisation, digits, clitics, calendar words.

Nothing here knows about articles or files. The parser, the entity matcher and the search
index all compare words through `normalize` and `clitic_forms`, so the three agree on what
counts as "the same word"; `static/search.js` implements the same specification and
`tests/data/arabic_cases.json` keeps the two in step.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, honorific signs and Quranic annotation
# marks (basic block and Extended-A): marks that split or disguise a word when left in.
_TASHKEEL = "".join(
    chr(c)
    for c in (
        *range(0x0610, 0x061B),
        *range(0x064B, 0x0660),
        0x0670,
        *range(0x06D6, 0x06EE),
        *range(0x08D3, 0x0900),
    )
)
_TATWEEL = "\u0640"
# Zero-width and bidi controls that editors paste in from web pages; they break word matching.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/joiners, LRM/RLM
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"  # embeddings, isolates, BOM
)

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # Persian/Urdu forms, seen in copy-pasted wire text

_DIGITS_TO_ASCII = str.maketrans(ARABIC_INDIC_DIGITS + EXTENDED_DIGITS, "0123456789" * 2)
_DIGITS_TO_ARABIC = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)

_NORMALIZE = str.maketrans(
    {
        **{ch: None for ch in _TASHKEEL + _TATWEEL + _INVISIBLE},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian keheh and yeh, common in text pasted from Persian keyboards
        "ی": "ي",
        **{d: str(i) for i, d in enumerate(ARABIC_INDIC_DIGITS)},
        **{d: str(i) for i, d in enumerate(EXTENDED_DIGITS)},
    }
)

# Longest first: "وبالعراق" must lose "وبال", not just "و".
CLITIC_PREFIXES: tuple[str, ...] = (
    "وبال", "وكال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
    "و", "ف", "ب", "ك", "ل",
)  # fmt: skip
MIN_STEM = 3  # a clitic is only stripped when at least three letters remain
# Conjunction/preposition + article: the stem also stands with its article.
_ARTICLE_PREFIXES = frozenset(("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال"))
# ل + ال writes «لل», with the article's alef dropped.
_ELIDED_ARTICLE_PREFIXES = ("ولل", "فلل", "لل")

_WORD_RE = re.compile(r"[^\W_]+")


def strip_tashkeel(text: str) -> str:
    """Remove diacritics and tatweel but keep letter shapes (for display-safe comparisons)."""
    return text.translate({ord(ch): None for ch in _TASHKEEL + _TATWEEL})


def normalize(text: str) -> str:
    """The one matching form of Arabic text: NFKC, no tashkeel, unified letters, ASCII digits.

    Presentation forms (ﻻ, ﺍ …) become ordinary letters through NFKC before the letter
    unification, so text copied from old PDFs compares equal to typed text.
    """
    return unicodedata.normalize("NFKC", text).translate(_NORMALIZE).lower()


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS_TO_ASCII)


def to_arabic_digits(text: str) -> str:
    return text.translate(_DIGITS_TO_ARABIC)


def words(text: str) -> list[str]:
    """Normalised words of `text`, punctuation dropped."""
    return _WORD_RE.findall(normalize(text))


# Cached: each phrase index, the figures and the search index ask for the forms of every new
# word, and computing them was a third of what an article's first extraction cost.
@functools.lru_cache(maxsize=1 << 18)
def clitic_forms(word: str) -> tuple[str, ...]:
    """`word` (already normalised) and the forms left by removing each attached prefix.

    Only one prefix sequence is removed at a time and at least MIN_STEM letters must remain,
    so "بغداد" also yields "غداد" but never anything shorter. Callers that look words up in a
    dictionary must try the whole word first: a whole-word hit always wins over a stripped one.
    """
    forms = [word]
    for prefix in CLITIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            stem = word[len(prefix) :]
            if stem not in forms:
                forms.append(stem)
            # "وبالعراق" is و + ب + العراق: the word with its article is a form too.
            if prefix in _ARTICLE_PREFIXES and "ال" + stem not in forms:
                forms.append("ال" + stem)
    # "للناتو" is ل + الناتو with the alef of the article elided: restore it as well.
    for prefix in _ELIDED_ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM - 1:
            restored = "ال" + word[len(prefix) :]
            if restored not in forms:
                forms.append(restored)
            break
    return tuple(forms)


# ---------------------------------------------------------------- calendar words
# Month names as newsrooms print them. Keys are normalised so that any spelling with or
# without hamza, tashkeel or ة/ه finds its month.
_MONTH_SPELLINGS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي"),
    2: ("فبراير", "شباط", "فيفري"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "ابريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية"),
    8: ("أغسطس", "آب", "أوت"),
    9: ("سبتمبر", "أيلول"),
    10: ("أكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "تشرين الثاني"),
    12: ("ديسمبر", "كانون الأول"),
}
MONTHS: dict[str, int] = {
    normalize(name): number for number, names in _MONTH_SPELLINGS.items() for name in names
}

# Python's weekday(): Monday is 0.
_WEEKDAY_SPELLINGS: dict[int, tuple[str, ...]] = {
    0: ("الإثنين", "الاثنين", "الأثنين"),
    1: ("الثلاثاء",),
    2: ("الأربعاء", "الاربعاء"),
    3: ("الخميس",),
    4: ("الجمعة",),
    5: ("السبت",),
    6: ("الأحد", "الاحد"),
}
WEEKDAYS: dict[str, int] = {
    normalize(name): number for number, names in _WEEKDAY_SPELLINGS.items() for name in names
}


# ---------------------------------------------------------------- transliteration
# For `slugs.policy: latin`: a readable, reversible-enough Latin spelling for URLs. Arabic
# script leaves short vowels unwritten, so this spells the letters (و and ي as vowels inside
# a word) rather than guessing a pronunciation; the article «ال» is kept as «al-».
_LATIN: dict[str, str] = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
    "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "ى": "a",
    "ء": "", "ؤ": "u", "ئ": "i", "پ": "p", "چ": "ch", "گ": "g", "ڤ": "v", "ک": "k",
    "ی": "y", "،": ",", "؛": ";", "؟": "?",
}  # fmt: skip
_INITIAL = {"و": "w", "ي": "y"}
_MEDIAL = {"و": "u", "ي": "i"}


def transliterate(text: str) -> str:
    """«الناتو يرفع عدد قواته» → "al-natu yrfa add quath": Arabic letters spelt in Latin."""
    text = to_ascii_digits(strip_tashkeel(text))
    out: list[str] = []
    for word in re.split(r"(\s+)", text):
        if word.startswith("ال") and len(word) > 3:
            out.append("al-")
            word = word[2:]
        for i, ch in enumerate(word):
            if ch in _INITIAL:
                out.append(_INITIAL[ch] if i == 0 else _MEDIAL[ch])
            else:
                out.append(_LATIN.get(ch, ch))
    return "".join(out)
