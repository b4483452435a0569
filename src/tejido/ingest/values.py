"""Parsing the dates and numbers that real export files write, with the row's location on error."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from tejido.ingest.files import Row

__all__ = [
    "month_year",
    "parse_day_month_year",
    "parse_utc_timestamp",
    "utc_timestamp_text",
    "year",
]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "ene", "janv", "jän"),
            ("feb", "fev", "fév", "févr"),
            ("mar", "mär", "mars"),
            ("apr", "abr", "avr"),
            ("may", "mai"),
            ("jun", "juin"),
            ("jul", "juil"),
            ("aug", "ago", "aoû", "août"),
            ("sep", "sept", "set"),
            ("oct", "okt"),
            ("nov",),
            ("dec", "dic", "déc", "dez"),
        ],
        start=1,
    )
    for name in names
}
_DMY = re.compile(r"^(\d{1,2})[ -]([^\W\d_]{3,5})\.?[ -](\d{4})$")
_MY = re.compile(r"^([^\W\d_]{3,5})\.?[ -](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_STAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(UTC|Z)?$"
)


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower()) or _MONTHS.get(name.lower()[:3])


@lru_cache(maxsize=1 << 14)
def parse_day_month_year(value: str | None) -> dt.date | None:
    """``14 Feb 2024`` (LinkedIn's Connected On), also ISO ``2024-02-14``; ValueError if not.

    >>> parse_day_month_year("03 Oct 2019"), parse_day_month_year("14 feb. 2024")
    (datetime.date(2019, 10, 3), datetime.date(2024, 2, 14))
    """
    if not value:
        return None
    try:
        if m := _DMY.match(value):
            month = _month(m.group(2))
            if month is not None:
                return dt.date(int(m.group(3)), month, int(m.group(1)))
        elif m := _ISO_DAY.match(value):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date like '14 Feb 2024'")


def month_year(row: Row, field: str) -> dt.date | None:
    """``Mar 2021`` (Positions.csv), also ``2021``, ``2021-03`` and ``3/1/21``; first day."""
    value = row.text(field, 40)
    if value is None:
        return None
    try:
        if m := _MY.match(value):
            month = _month(m.group(1))
            if month is not None:
                return dt.date(int(m.group(2)), month, 1)
        elif re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
        elif m := re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", value):
            return dt.date(int(m.group(1)), int(m.group(2)), 1)
        elif m := _SLASH.match(value):
            year = int(m.group(3))
            return dt.date(year + 2000 if year < 100 else year, int(m.group(1)), 1)
    except ValueError:
        pass
    raise row.error(field, f"{value!r} is not a month like 'Mar 2021'")


def year(row: Row, field: str) -> int | None:
    """A year (Education.csv), also the year of a month or a date."""
    value = row.text(field, 40)
    if value is None:
        return None
    if m := re.search(r"\b(1[89]\d\d|2[01]\d\d)\b", value):
        return int(m.group(1))
    raise row.error(field, f"{value!r} is not a year")


def utc_timestamp_text(value: str | None) -> str | None:
    """A time as ``parse_utc_timestamp`` reads it, as ISO text: ``2026-03-13 09:18:54``.

    >>> utc_timestamp_text("2026-03-13 09:18:54 UTC"), utc_timestamp_text("2026-03-13T09:18Z")
    ('2026-03-13 09:18:54', '2026-03-13 09:18:00')
    """
    if not value:
        return None
    # messages.csv writes every time alike: checked by the C date parser, no regex.
    if len(value) == 23 and value.endswith(" UTC") and value[10] in " T":
        try:
            dt.datetime.fromisoformat(value[:19])
            return f"{value[:10]} {value[11:19]}"
        except ValueError:
            pass
    parsed = parse_utc_timestamp(value)
    return parsed.isoformat(" ") if parsed else None


def parse_utc_timestamp(value: str | None) -> dt.datetime | None:
    """``2026-03-13 09:18:54 UTC`` (messages.csv) as a naive UTC datetime; ValueError if not."""
    if not value:
        return None
    if m := _STAMP.match(value):
        try:
            y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups()[:6])
            return dt.datetime(y, mo, d, h, mi, s)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a time like '2026-03-13 09:18:54 UTC'")
