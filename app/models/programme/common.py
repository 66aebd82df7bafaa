"""What the programme records share: code lists and the small rules several of them apply.

A code list is a fixed set of stable codes (stored) with translated labels (the wording of the seed
documents lives in the Chinese catalog). A column names its list with ``coded(LIST)``; forms offer the
list, pages show the label (app/views/programme/base.py), and ``CodedColumns`` refuses any other value on
every write path, the REST API included.
"""
import calendar
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, String

from app.models.base import Validated, db
from app.models.org import InParent
from app.models.versioned import Versioned

FIRST_YEAR = 2002  # the Law on Prevention and Control of Occupational Diseases took effect in 2002


class CodeList(dict):
    """Ordered code → label; ``label`` reads a stored code, ``choices`` feeds a select field."""

    def label(self, code: str | None):
        return self.get(code, code) if code else ""

    def choices(self) -> list[tuple[str, object]]:
        return list(self.items())


def coded(codes: CodeList, nullable: bool = True, **kwargs) -> Column:
    return Column(String(20), nullable=nullable, info={"codes": codes}, **kwargs)


def coded_columns(model) -> dict[str, CodeList]:
    return {column.key: column.info["codes"] for column in model.__table__.columns if "codes" in column.info}


class CodedColumns(Validated):
    """A model with code-list columns: a required one must be chosen, none may hold an unknown code."""

    def clean(self) -> None:
        """A code left unset takes the column's default now, so the rules see what will be stored."""
        super().clean()
        for field in coded_columns(type(self)):
            default = self.__table__.columns[field].default
            if getattr(self, field) is None and default is not None:
                setattr(self, field, default.arg)

    def problems(self) -> dict[str, str]:
        found = super().problems()
        for field, codes in coded_columns(type(self)).items():
            value = getattr(self, field) or None  # a form's blank choice is no value
            if value is None and not self.__table__.columns[field].nullable:
                found[field] = _l("Choose one of the listed values")
            elif value is not None and value not in codes:
                found[field] = _l("'%(value)s' is not one of the listed values", value=value)
        return found


class ChildRow(InParent, Versioned):
    """A child row edited on its parent's page, in its own form (so with its own version). While a form
    checks a row, the row already sits in its parent's collection (the back-reference) without being in
    the session: the checks must not autoflush (reading the parent's unit would, and SQLAlchemy would
    warn about the row)."""

    def problems(self) -> dict[str, str]:
        with db.session.no_autoflush:
            return super().problems()


def future_dates(record, *fields: str) -> dict[str, str]:
    """A message for each of these dates that lies after today: they record what has happened."""
    today = date.today()
    return {field: _l("The date cannot be in the future") for field in fields
            if getattr(record, field) is not None and getattr(record, field) > today}


def year_problem(year: int | None) -> str | None:
    if year is None:
        return _l("Enter the year")
    if not FIRST_YEAR <= year <= date.today().year + 1:
        return _l("Enter a year from %(first)d to %(last)d", first=FIRST_YEAR, last=date.today().year + 1)
    return None


def add_month(day: date) -> date:
    """The same day one calendar month later; the last day of that month when it has no such day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
