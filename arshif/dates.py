"""Arabic dates: reading an article's own date out of its text, and printing dates.

Reading is deliberately strict. A news story mentions many dates (the attack «في الثالث من
يناير 2020», the summit «في تموز يوليو 2018»); only a full date introduced by its weekday,
where the weekday matches the calendar («اليوم الاربعاء (10 آذار 2021)», «الثلاثاء 24 يناير
2023»), is the date the story was written. Anything else leaves the article undated and the
build says so; it never guesses.

Printing uses Babel's CLDR month names (ar_IQ for the Levantine family, ar_EG for the
Egyptian one) rather than the OS locale, so output is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from babel.dates import get_month_names

from .arabic import MONTHS, WEEKDAYS, normalize, to_arabic_digits, to_ascii_digits

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
# Matched against normalised text: digits are ASCII, hamza forms unified.
_OWN_DATE_RE = re.compile(
    rf"(?<!\w)(?P<weekday>{_WEEKDAY_ALT})\s*[،,]?\s*\(?\s*"
    rf"(?P<day>\d{{1,2}})\s+(?:من\s+)?(?P<month>{_MONTH_ALT})"
    rf"(?:\s*[/\-]?\s*(?:{_MONTH_ALT}))?\s*[،,]?\s*(?:عام\s+|سنه\s+)?(?P<year>\d{{4}})(?!\d)"
)
_ISO_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


def find_own_date(text: str) -> dt.date | None:
    """The article's own date: the first weekday-introduced full date whose weekday is right."""
    for match in _OWN_DATE_RE.finditer(normalize(text)):
        try:
            day = dt.date(int(match["year"]), MONTHS[match["month"]], int(match["day"]))
        except ValueError:
            continue
        if day.weekday() == WEEKDAYS[match["weekday"]]:
            return day
    return None


def parse_date_value(value: object) -> tuple[dt.date, dt.datetime | None]:
    """A front-matter or sidecar date: `2021-03-10`, or ISO 8601 with a time and offset.

    Returns the calendar date and, when a time was given, the full datetime. Raises
    ValueError with a message for the user.
    """
    if isinstance(value, dt.datetime):
        return value.date(), value
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str | int):
        raise ValueError(f"expected a date like 2021-03-10, got {value!r}")
    text = to_ascii_digits(str(value).strip()).upper()
    match = _ISO_RE.match(text)
    if not match:
        raise ValueError(f"expected a date like 2021-03-10, got {value!r}")
    try:
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            return day, None
        tz = _parse_offset(match["tz"])
        moment = dt.datetime(
            day.year, day.month, day.day, int(match["H"]), int(match["M"]), int(match["S"] or 0),
            tzinfo=tz,
        )  # fmt: skip
    except ValueError as err:
        raise ValueError(f"not a real date: {value!r} ({err})") from None
    return day, moment


def _parse_offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return dt.UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


_FILENAME_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_ .]|$)")


def date_from_filename(name: str) -> dt.date | None:
    """`2021-03-10-some-name.txt` → 2021-03-10; no prefix → None."""
    match = _FILENAME_DATE_RE.match(name)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# ---------------------------------------------------------------- printing
@cache
def _month_names(style: str) -> dict[int, str]:
    levantine = get_month_names("wide", locale="ar_IQ")
    egyptian = get_month_names("wide", locale="ar_EG")
    if style == "levantine":
        return dict(levantine)
    if style == "egyptian":
        return dict(egyptian)
    return {m: f"{levantine[m]}/{egyptian[m]}" for m in range(1, 13)}


def month_name(month: int, style: str = "both") -> str:
    return _month_names(style)[month]


def _digits(text: str, digits: str) -> str:
    return to_arabic_digits(text) if digits == "arabic-indic" else text


@lru_cache(maxsize=1 << 14)  # an article's date is printed on each list it is in
def format_date(day: dt.date, style: str = "both", digits: str = "western") -> str:
    """«10 آذار/مارس 2021», as Iraqi papers print dates."""
    return _digits(f"{day.day} {month_name(day.month, style)} {day.year}", digits)


def format_month(year: int, month: int, style: str = "both", digits: str = "western") -> str:
    """«آذار/مارس 2021»."""
    return _digits(f"{month_name(month, style)} {year}", digits)


def format_number(value: int, digits: str = "western") -> str:
    return _digits(str(value), digits)
