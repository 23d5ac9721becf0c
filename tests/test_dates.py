"""Arabic date reading and printing, as tables."""

from __future__ import annotations

import datetime as dt

import pytest

from arshif.dates import (
    date_from_filename,
    find_own_date,
    format_date,
    format_month,
    parse_date_value,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وفقاً لبيان الخارجية العراقية اليوم الاربعاء (10 آذار 2021)، حيث", D(2021, 3, 10)),
        ("يبحث في بغداد الثلاثاء 24 يناير 2023 ع قائد القوات", D(2023, 1, 24)),
        ("اليوم الأربعاء ١٠ آذار ٢٠٢١", D(2021, 3, 10)),
        ("الثلاثاء، 24 كانون الثاني 2023", D(2023, 1, 24)),
        ("الثلاثاء 24 كانون الثاني/يناير 2023", D(2023, 1, 24)),
        ("الخميس 18 شباط 2021", D(2021, 2, 18)),
        ("الخميس 18 فبراير 2021", D(2021, 2, 18)),
        ("الإثنين 15 فبراير 2021", D(2021, 2, 15)),
        ("الاثنين 15 شباط 2021", D(2021, 2, 15)),
        ("الجمعة 1 تشرين الأول 2021", D(2021, 10, 1)),
        ("السبت 2 تشرين الثاني 2019", D(2019, 11, 2)),
        ("الأحد 14 تموز 2019", D(2019, 7, 14)),
        ("الأحد 3 أيار 2020", D(2020, 5, 3)),
        ("الأربعاء 12 أغسطس 2020", D(2020, 8, 12)),
        ("الخميس ٣١ ديسمبر ٢٠٢٠", D(2020, 12, 31)),
        ("الجمعة 10 أبريل 2020", D(2020, 4, 10)),
        ("الجمعة 10 ابريل 2020", D(2020, 4, 10)),
        ("الثلاثاء 9 جوان 2020", D(2020, 6, 9)),
        ("الأربعاء 10 يونيه 2020", D(2020, 6, 10)),
        # Not the article's own date: no weekday, wrong weekday, no year, no day.
        ("في الثالث من يناير 2020 في هجوم", None),
        ("في مايو 2020", None),
        ("بمكتبه في 21 شباط الماضي", None),
        ("في قمة بروكسل في تموز يوليو 2018", None),
        ("الخميس 10 آذار 2021", None),
        ("الثلاثاء 31 شباط 2021", None),
        ("منذ أكتوبر /تشرين الأول 2018", None),
        ("", None),
    ],
)
def test_find_own_date(text: str, expected: dt.date | None) -> None:
    assert find_own_date(text) == expected


@pytest.mark.parametrize(
    ("value", "day", "has_time"),
    [
        ("2021-03-10", D(2021, 3, 10), False),
        ("2021-3-9", D(2021, 3, 9), False),
        ("٢٠٢١-٠٣-١٠", D(2021, 3, 10), False),
        ("2019-08-13T20:54:00+03:00", D(2019, 8, 13), True),
        ("2019-08-13 20:54", D(2019, 8, 13), True),
        ("2019-08-13T20:54:00Z", D(2019, 8, 13), True),
        (D(2020, 1, 2), D(2020, 1, 2), False),
    ],
)
def test_parse_date_value(value: object, day: dt.date, has_time: bool) -> None:
    got_day, moment = parse_date_value(value)
    assert got_day == day
    assert (moment is not None) == has_time


@pytest.mark.parametrize("value", ["10/03/2021", "2021-02-30", "yesterday", 2021, ["2021"]])
def test_parse_date_value_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date_value(value)


def test_offset_is_kept() -> None:
    _, moment = parse_date_value("2019-08-13T20:54:00+03:00")
    assert moment is not None and moment.utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("2021-03-10-bayan.txt", D(2021, 3, 10)), ("2021-03-10.txt", D(2021, 3, 10)),
     ("000_437a.txt", None), ("2021-13-01-x.txt", None), ("20210310.txt", None)],
)  # fmt: skip
def test_date_from_filename(name: str, expected: dt.date | None) -> None:
    assert date_from_filename(name) == expected


@pytest.mark.parametrize(
    ("style", "digits", "expected"),
    [
        ("both", "western", "10 آذار/مارس 2021"),
        ("levantine", "western", "10 آذار 2021"),
        ("egyptian", "western", "10 مارس 2021"),
        ("both", "arabic-indic", "١٠ آذار/مارس ٢٠٢١"),
    ],
)
def test_format_date_as_iraqi_papers_print_it(style: str, digits: str, expected: str) -> None:
    assert format_date(D(2021, 3, 10), style, digits) == expected


def test_format_month() -> None:
    assert format_month(2023, 1) == "كانون الثاني/يناير 2023"
    assert format_month(2020, 10, "levantine") == "تشرين الأول 2020"
