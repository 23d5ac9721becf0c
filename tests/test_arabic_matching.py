"""How Arabic word forms match gazetteer names: normalisation, clitics and their traps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arshif.entities import find_entities
from arshif.gazetteer import Gazetteer
from arshif.tokens import tokenize

# (text, {entity id: mentions}). The shipped gazetteer is the dictionary.
MENTIONS: list[tuple[str, dict[str, int]]] = [
    # clitics on a one-word name
    ("بغداد", {"baghdad": 1}),
    ("وبغداد", {"baghdad": 1}),
    ("ببغداد", {"baghdad": 1}),
    ("لبغداد", {"baghdad": 1}),
    ("فبغداد", {"baghdad": 1}),
    ("كبغداد", {"baghdad": 1}),
    ("العراق", {"iraq": 1}),
    ("بالعراق", {"iraq": 1}),
    ("والعراق", {"iraq": 1}),
    ("للعراق", {"iraq": 1}),
    ("فالعراق", {"iraq": 1}),
    ("كالعراق", {"iraq": 1}),
    ("وبالعراق", {"iraq": 1}),
    ("للناتو", {"nato": 1}),
    ("والناتو", {"nato": 1}),
    ("لرويترز", {"reuters": 1}),
    # roots that merely start like a clitic: the whole word wins
    ("كندا", {"canada": 1}),
    ("وكندا", {"canada": 1}),
    ("فرنسا", {"france": 1}),
    ("وفرنسا", {"france": 1}),
    ("لبنان", {"lebanon": 1}),
    ("ولبنان", {"lebanon": 1}),
    ("للبنان", {"lebanon": 1}),
    ("غداد", {}),
    ("نسا", {}),
    # derived words are not the name
    ("البغدادي", {}),
    ("العراقي", {}),
    ("العراقية", {}),
    ("الإيراني", {}),
    ("السورية", {}),  # the adjective, though «سورية» is also Syria
    ("والسورية", {}),
    ("قطري", {}),
    ("سعودي", {}),
    # hamza, ta marbuta, alef maqsura
    ("الاردن", {"jordan": 1}),
    ("ايران", {"iran": 1}),
    ("افغانستان", {"afghanistan": 1}),
    ("الولايات المتحده", {"usa": 1}),
    ("حلف شمال الاطلسى", {"nato": 1}),
    ("سورية", {"syria": 1}),
    # tashkeel, tatweel, invisible marks, presentation forms
    ("الْعِرَاقُ", {"iraq": 1}),
    ("العـــراق", {"iraq": 1}),
    ("\u200fبغداد\u200f", {"baghdad": 1}),
    ("ﺑﻐﺪﺍﺩ", {"baghdad": 1}),
    ("بغدادَ", {"baghdad": 1}),
    # multi-word names: one mention, clitic on the first word only
    ("حلف شمال الأطلسي", {"nato": 1}),
    ("لحلف شمال الأطلسي", {"nato": 1}),
    ("بالولايات المتحدة", {"usa": 1}),
    ("الولايات", {}),
    ("بالبرلمان العراقي", {"iraqi-parliament": 1}),
    ("مجلس النواب", {"iraqi-parliament": 1}),
    ("وزارة الدفاع الأمريكية", {"pentagon": 1}),
    ("وزارة الدفاع الأميركية", {"pentagon": 1}),
    ("تنظيم الدولة الإسلامية", {"isis": 1}),
    ("مملكة السويد", {"sweden": 1}),
    ("مصطفى الكاظمي", {"al-kadhimi": 1}),
    ("والكاظمي", {"al-kadhimi": 1}),
    ("ينس ستولتنبرغ", {"stoltenberg": 1}),
    ("يانس ستولتنبرغ", {"stoltenberg": 1}),
    ("ستولتنبيرغ", {"stoltenberg": 1}),
    ("ستولتنبرج", {"stoltenberg": 1}),
    # generic words are nobody
    ("الحلف", {}),
    ("حلف", {}),
    ("حلف بغداد", {"baghdad": 1}),
    ("الحلف الأطلسي", {"nato": 1}),
    ("الأطلسي", {}),
    # punctuation ends a multi-word name; glued words are not split
    ("حلف، شمال الأطلسي", {}),
    ("تنظيم الدولةمؤكدا", {}),
    ('حلف شمال الأطلسي "الناتو"', {"nato": 2}),
    # Latin script
    ("Jens Stoltenberg", {"stoltenberg": 1}),
    ("NATO", {"nato": 1}),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS, ids=[text for text, _ in MENTIONS])
def test_word_form_matches_expected_entities(
    text: str, expected: dict[str, int], gazetteer: Gazetteer
) -> None:
    found = {entity.id: entity.count for entity in find_entities([text], gazetteer)}
    assert found == expected


# Pairs that must be the same word once normalised.
SAME_WORD = [
    ("أحمد", "احمد"),
    ("إسلام", "اسلام"),
    ("آلاف", "الاف"),
    ("مدرسة", "مدرسه"),
    ("مستشفى", "مستشفي"),
    ("مسؤول", "مسوول"),
    ("رئيس", "رييس"),
    ("عَرَبِيٌّ", "عربي"),
    ("كـــتاب", "كتاب"),
    ("٤٥", "45"),
    ("۴۵", "45"),
    ("٢٠٢٠", "2020"),
]


@pytest.mark.parametrize(("written", "plain"), SAME_WORD)
def test_spellings_tokenise_to_the_same_word(written: str, plain: str) -> None:
    assert tokenize(written).words == tokenize(plain).words


def test_tokens_remember_how_words_were_written() -> None:
    tokens = tokenize("وصل سُبُلَ التعاون، إلى ٤٬٠٠٠")
    assert tokens.words == ("وصل", "سبل", "التعاون", "الي", "4٬000")
    assert tokens.written(1, 3) == "سُبُلَ التعاون"
    assert tokens.joined(2) and not tokens.joined(3) and tokens.soft_break(3)


def test_ligature_opened_by_nfkc_gives_words_that_share_its_span() -> None:
    tokens = tokenize("قال ﷺ ثم")
    assert tokens.words == ("قال", "صلي", "الله", "عليه", "وسلم", "ثم")
    assert [tokens.written(i, i + 1) for i in (1, 4)] == ["ﷺ", "ﷺ"]
    assert tokens.written(0, 6) == "قال ﷺ ثم"


def test_stray_marks_neither_join_nor_separate_words() -> None:
    tokens = tokenize("ثم، ً بغداد َ وبغداد")
    assert tokens.words == ("ثم", "بغداد", "وبغداد")
    assert tokens.soft_break(1) and not tokens.joined(1)
    assert tokens.joined(2)
    assert tokens.written(1, 3) == "بغداد َ وبغداد"


def test_words_joined_by_underscore_or_digits_are_split() -> None:
    assert tokenize("كلمة_أخرى و13 G20").words == ("كلمه", "اخري", "و", "13", "g", "20")


def test_long_runs_of_punctuation_tokenise() -> None:
    # A trailing gap once made the tokeniser's regex backtrack exponentially.
    assert tokenize("بغداد" + "، " * 5000).words == ("بغداد",)
    assert tokenize("_" * 5000 + "ً" * 5000).words == ()


# Spaces (often doubled), letters, tashkeel, tatweel, ZWNJ, digits of both scripts and their
# separators, punctuation, NBSP, a newline, "_", Latin and a ligature NFKC opens.
_TEXT = st.text(alphabet=list("  بغداد وال،.:()-_\n\u00a0\u064e\u0651\u0640\u200c12,٣٬٫Gx\ufdfa"))


@given(_TEXT)
def test_splitting_by_spaces_first_tiles_text_as_the_token_regex_does(text: str) -> None:
    # The tokeniser splits on spaces and looks each piece up (tokens._split); no token holds
    # a space, so that must give exactly the regex's split of the whole text.
    from arshif.tokens import _TOKEN_RE, _split

    assert _split(text) == _TOKEN_RE.split(text)
    assert "".join(_split(text)) == text


def test_word_caches_start_afresh_past_their_limit() -> None:
    from arshif.tokens import WordCache

    calls: list[str] = []
    cache = WordCache(lambda word: calls.append(word) or len(calls), limit=2)
    assert cache["أ"] == 1
    assert cache["أ"] == 1  # remembered, not computed again
    assert cache["ب"] == 2
    assert cache["ج"] == 3  # a third word: the table is emptied first
    assert dict(cache) == {"ج": 3}
    assert calls == ["أ", "ب", "ج"]


def test_word_caches_do_not_keep_keys_past_their_longest() -> None:
    from arshif.tokens import WordCache

    cache = WordCache(len, longest=3)
    assert cache["ابجد"] == 4  # computed, not kept: a paragraph with no spaces is one key
    assert cache["اب"] == 2
    assert dict(cache) == {"اب": 2}
