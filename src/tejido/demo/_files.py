"""Byte-stable file helpers: fixed-time zips, CSV rows with a chosen line ending, dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "MONTHS",
    "csv_text",
    "day_text",
    "month_text",
    "quote",
    "timestamp_text",
    "write_zip",
]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ZIP_TIME = (2026, 11, 20, 0, 0, 0)
_EPOCH = dt.date(1970, 1, 1)


def write_zip(path: Path, members: Sequence[tuple[str, bytes]]) -> None:
    """Write ``members`` (name, bytes) in order, deflated, with a fixed timestamp."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o600 << 16
            zf.writestr(info, data)


def csv_text(rows: Iterable[Sequence[str]], eol: str, *, quote_all: bool = False) -> str:
    """``rows`` as CSV text, each row ended by ``eol``."""
    buf = io.StringIO()
    writer = csv.writer(
        buf, lineterminator=eol, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return buf.getvalue()


def quote(text: str) -> str:
    """``text`` in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def day_text(day: int) -> str:
    """Days since 1970 as LinkedIn's ``DD Mon YYYY``.

    >>> day_text(0)
    '01 Jan 1970'
    """
    d = _EPOCH + dt.timedelta(days=day)
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def month_text(month: int) -> str:
    """A month count (``year * 12 + month - 1``) as ``Mon YYYY``.

    >>> month_text(2026 * 12 + 10)
    'Nov 2026'
    """
    return f"{MONTHS[month % 12]} {month // 12}"


def timestamp_text(seconds: int) -> str:
    """Seconds since 1970 as ``YYYY-MM-DD HH:MM:SS UTC``.

    >>> timestamp_text(86400 + 3661)
    '1970-01-02 01:01:01 UTC'
    """
    t = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")
