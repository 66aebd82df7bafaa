"""Reporting periods: a year, a half-year, a quarter or a date range, written the way URLs carry them:
``2026``, ``2026H1``, ``2026Q3``, ``2026-03-01..2026-05-31``."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.models.archive import one_year_before

_PATTERN = re.compile(r"^(\d{4})(?:([HQ])([1-4]))?$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    key: str

    @property
    def label(self) -> str:
        match = _PATTERN.match(self.key)
        if match is None:
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        year, kind, number = match.groups()
        if kind == "H":
            return str(_l("%(year)s, %(half)s half-year", year=year,
                          half=_l("first") if number == "1" else _l("second")))
        if kind == "Q":
            return str(_l("%(year)s, quarter %(q)s", year=year, q=number))
        return str(_l("Year %(year)s", year=year))

    @property
    def is_calendar(self) -> bool:
        """A year, a half-year or a quarter (not a range of dates): the periods whose sums are kept."""
        return _PATTERN.match(self.key) is not None

    @property
    def year(self) -> int:
        return self.start.year

    def same_period_last_year(self) -> "Period":
        """同比's period: the same year part, or the same dates, a year earlier."""
        match = _PATTERN.match(self.key)
        if match is None:
            start, end = one_year_before(self.start), one_year_before(self.end)
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        return parse_period(f"{int(match.group(1)) - 1}{match.group(2) or ''}{match.group(3) or ''}")

    def previous(self) -> "Period | None":
        """环比's period: the quarter or half-year before a quarter or half-year; None for a year or a range."""
        match = _PATTERN.match(self.key)
        if match is None or match.group(2) is None:
            return None
        year, kind, number = int(match.group(1)), match.group(2), int(match.group(3))
        if number > 1:
            return parse_period(f"{year}{kind}{number - 1}")
        return parse_period(f"{year - 1}{kind}{2 if kind == 'H' else 4}")

    def half_years(self) -> list["Period"]:
        """The half-years the period overlaps, each cut to the period: a year's two halves, a half-year
        or a quarter itself (Annex 6 asks for a patrol of each declared employer in each half-year)."""
        parts, year, half = [], self.start.year, 1 if self.start.month <= 6 else 2
        while True:
            whole = parse_period(f"{year}H{half}")
            if whole.start > self.end:
                return parts
            start, end = max(whole.start, self.start), min(whole.end, self.end)
            key = whole.key if (start, end) == (whole.start, whole.end) else \
                self.key if (start, end) == (self.start, self.end) else f"{start.isoformat()}..{end.isoformat()}"
            parts.append(Period(start, end, key))
            year, half = (year, 2) if half == 1 else (year + 1, 1)


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def parse_period(text: str | None, today: date | None = None) -> Period:
    """The period a URL names; the current year when it names none. Raises ValueError on nonsense."""
    today = today or date.today()
    text = (text or str(today.year)).strip()
    if ".." in text:
        first, last = (date.fromisoformat(part) for part in text.split("..", 1))
        if last < first:
            raise ValueError("period ends before it starts")
        return Period(first, last, text)
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(f"not a period: {text}")
    year, kind, number = int(match.group(1)), match.group(2), int(match.group(3) or 0)
    if kind == "H":
        if number not in (1, 2):
            raise ValueError("a half-year is H1 or H2")
        first_month = 1 if number == 1 else 7
        return Period(date(year, first_month, 1), _month_end(year, first_month + 5), text)
    if kind == "Q":
        first_month = 3 * number - 2
        return Period(date(year, first_month, 1), _month_end(year, first_month + 2), text)
    return Period(date(year, 1, 1), date(year, 12, 31), text)


def period_choices(today: date | None = None) -> list[str]:
    """The periods offered in the report's picker: this and the two previous years with their parts."""
    year = (today or date.today()).year
    return [key for y in (year, year - 1, year - 2)
            for key in (str(y), f"{y}H1", f"{y}H2", f"{y}Q1", f"{y}Q2", f"{y}Q3", f"{y}Q4")]


def trend_periods(period: Period, span: str, today: date | None = None) -> list[Period]:
    """The periods a trend shows: the 5 years up to the period's year (``span`` "years"), or the 8
    quarters up to the one the period ends in, or today's if that is earlier (``span`` "quarters")."""
    if span == "years":
        return [parse_period(str(year)) for year in range(period.year - 4, period.year + 1)]
    last = min(period.end, today or date.today())
    number = last.year * 4 + (last.month - 1) // 3
    return [parse_period(f"{n // 4}Q{n % 4 + 1}") for n in range(number - 7, number + 1)]


TREND_SPANS = ("years", "quarters")
