"""Dates as people type them — 2026-10-15, 2026/10/15, 2026.10.15, 20261015, 2026年10月15日, full-width
digits too — read alike by every write path: the forms (app/views/dates.py) and the Excel import."""
import re
import unicodedata
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

DATE_EXPECTED = _l("Enter the date as 2026-10-15 (2026/10/15 or 20261015 are accepted too)")
DATETIME_EXPECTED = _l("Enter the date and time as 2026-10-15 14:30 (the time may be left out)")

_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_RUN_TOGETHER = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})\s*秒?)?")


def _split(text: str, with_time: bool) -> tuple[re.Match, re.Match | None] | None:
    text = unicodedata.normalize("NFKC", text).strip()  # full-width digits and punctuation as ASCII
    for pattern in (_SEPARATED, _RUN_TOGETHER):
        day = pattern.match(text)
        if day is not None:
            rest = text[day.end():].strip(" T")
            if not rest:
                return day, None
            clock = _TIME.fullmatch(rest) if with_time else None
            return (day, clock) if clock is not None else None
    return None


def parse_date(text: str) -> date | None:
    """The date ``text`` names in one of the usual forms, or None when it names none."""
    found = _split(text, with_time=False)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found[0].groups()))
    except ValueError:  # 2026-02-30
        return None


def parse_datetime(text: str) -> datetime | None:
    """A date as ``parse_date`` reads it, optionally followed by a time (14:30 or 14:30:05)."""
    found = _split(text, with_time=True)
    if found is None:
        return None
    day, clock = found
    try:
        return datetime.combine(date(*(int(part) for part in day.groups())),
                                time(*(int(part) for part in clock.groups() if part is not None)) if clock
                                else time())
    except ValueError:
        return None
