"""Key figures: numbers with what they count, from digits and Arabic number words."""

from __future__ import annotations

import pytest

from arshif.figures import Figure, key_figures, parse_number_words

from support import SEEDS, seed_paragraphs


def figures_of(seed: str) -> list[tuple[int | float, int | float | None, str | None]]:
    return [(f.value, f.value_to, f.unit) for f in key_figures(seed_paragraphs(seed))]


@pytest.mark.parametrize(
    ("seed", "figure"),
    [
        ("000", (4000, None, "شخص")),  # «٤ آلاف شخص»
        ("000", (8, None, "أضعاف")),  # «بثمانية أضعاف»
        ("000", (500, 4000, "شخصا")),  # «من 500 حتى أربعة آلاف شخصا»
        ("001", (500, None, "عنصر")),
        ("001", (82, None, "دولة")),
        ("002", (4000, None, "عسكري")),  # «أربعة آلاف عسكري»
        ("002", (500, 4000, "شخص")),  # «من 500 إلى أربعة آلاف شخص»
        ("003", (500, None, "جندي")),
        ("003", (4000, 5000, None)),  # «4000 أو 5000»
        ("003", (2500, None, "جندي")),
        ("003", (5200, 3000, "جندي")),  # «من 5200 جندي إلى 3000 آلاف»
        ("004", (500, None, "عسكرياً")),
    ],
)
def test_seed_figure_is_found(seed: str, figure: tuple[int, int | None, str | None]) -> None:
    assert figure in figures_of(seed)


def test_figures_keep_the_phrase_as_written_and_the_paragraph() -> None:
    paragraphs = ["تمهيد", "زيادة أفراد بعثته بثمانية أضعاف في خطوة", "من 500 حتى أربعة آلاف شخصا."]
    assert key_figures(paragraphs) == (
        Figure(8, "أضعاف", "بثمانية أضعاف", 1),
        Figure(500, "شخصا", "من 500 حتى أربعة آلاف شخصا", 2, value_to=4000),
    )


def test_years_dates_and_day_numbers_are_not_figures() -> None:
    values = {value for seed in SEEDS for value, _, _ in figures_of(seed)}
    assert values.isdisjoint({2014, 2018, 2020, 2021, 2023, 10, 12, 13, 19, 21, 24})


@pytest.mark.parametrize(
    "paragraph",
    [
        "منذ أكتوبر 2018، لكن",
        "منذ أكتوبر /تشرين الأول 2018، لكن",
        "في الثالث من يناير/كانون الثاني 2020 في هجوم",
        "وتشكلت بقيادة كندا عام 2018 وتقوم",
        "يومي 12 و13 فبراير/شباط الجاري",
        "اليوم الاربعاء (10 آذار 2021)، حيث",
        "بسبب جائحة كوفيد-19 وكذلك",
        "في 12/3/2021 أعلن",
        "أمس الاثنين إنه يتوقع",
        "مقتل 2020 شخصا",  # a count that happens to look like a year keeps its noun
    ],
)
def test_dates_and_labels_are_skipped(paragraph: str) -> None:
    figures = key_figures([paragraph])
    assert all(figure.unit == "شخصا" for figure in figures)


@pytest.mark.parametrize(
    ("paragraph", "value", "unit"),
    [
        ("نشر ٤٬٠٠٠ جندي", 4000, "جندي"),
        ("نشر 4,000 جندي", 4000, "جندي"),
        ("بكلفة ٢٫٥ مليون دولار", 2500000, "دولار"),
        ("ارتفع بنسبة 15% عن", 15, "%"),
        ("ارتفع بنسبة 15 بالمئة عن", 15, "%"),
        ("قتل خمسة وعشرون مدنيا", 25, "مدنيا"),
        ("وصل ثلاثة عشر لاجئا", 13, "لاجئا"),
        ("نحو مئتي عنصر", 200, "عنصر"),
    ],
)
def test_number_forms_with_their_nouns(paragraph: str, value: float, unit: str) -> None:
    (figure,) = key_figures([paragraph])
    assert (figure.value, figure.unit) == (value, unit)


def test_bare_numbers_and_vague_thousands_are_not_key_figures() -> None:
    assert key_figures(["تجمع آلاف المتظاهرين", "القاعة تسع القادمين", "الرقم 42."]) == ()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("واحد", 1), ("واحدة", 1), ("اثنان", 2), ("اثنتين", 2), ("ثلاث", 3), ("ثلاثة", 3),
        ("أربع", 4), ("اربعة", 4), ("خمسة", 5), ("ستة", 6), ("سبع", 7), ("ثماني", 8),
        ("ثمانية", 8), ("تسعة", 9), ("عشر", 10), ("عشرة", 10), ("أحد عشر", 11),
        ("إحدى عشرة", 11), ("اثنا عشر", 12), ("ثلاثة عشر", 13), ("تسع عشرة", 19),
        ("عشرون", 20), ("عشرين", 20), ("خمسة وعشرون", 25), ("تسعون", 90), ("مئة", 100),
        ("مائة", 100), ("مئتان", 200), ("مائتين", 200), ("ثلاثمئة", 300), ("ثلاث مئة", 300),
        ("خمسمائة", 500), ("ألف", 1000), ("ألفان", 2000), ("ألفين", 2000),
        ("أربعة آلاف", 4000), ("٤ آلاف", 4000), ("أربعة آلاف وخمسمئة", 4500),
        ("عشرة آلاف", 10000), ("خمسمئة ألف", 500000), ("مليون", 1000000),
        ("ثلاثة ملايين", 3000000), ("مليار", 10**9), ("2.5 مليون", 2500000),
        ("بثمانية", 8), ("وأربعة", 4), ("لأربعة", 4), ("ثَمانِيَة", 8), ("ثمانيـــة", 8),
    ],
)  # fmt: skip
def test_number_words_parse(text: str, value: int) -> None:
    assert parse_number_words(text) == value


@pytest.mark.parametrize(
    "text", ["", "آلاف", "أحد", "الأحد", "الاثنين", "ثلاثة وأربعة", "ثالث", "جندي", "مئة جندي"]
)
def test_non_numbers_parse_to_none(text: str) -> None:
    assert parse_number_words(text) is None
