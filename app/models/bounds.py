"""One bound for every value, read from the column that stores it, so forms, the REST API, imports and
scripts all refuse the same values (``Validated.all_problems``) before a model's own rules see them.

- Integers: a key (primary or foreign, the version counter) within its column type; any other integer —
  a count, a score, a year — within ±``COUNT_MAX`` unless the column says ``info={"min": …, "max": …}``.
- Decimals: finite (no NaN or infinity) and within the column's precision: ``Numeric(14, 2)`` holds less
  than 10^12; ``info={"max": …}`` narrows it.
- Text: within the column's length (``LONG_TEXT_MAX`` for ``Text``), without control, zero-width or
  text-direction characters (a ``Text`` keeps its line breaks and tabs); ``info={"phone": True}`` holds a
  phone number: digits and "-" only.
- Dates and times: after 1900-01-01 (a spreadsheet's placeholder, not a date anyone meant) and at most a
  year from today, unless the column says ``info={"earliest": date(…)}`` or ``info={"years_ahead": n}``.
"""
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from app.codes import EARLIEST_DATE
from sqlalchemy import BigInteger, Date, DateTime, Float, Integer, Numeric, SmallInteger, String, Text

COUNT_MAX = 1_000_000  # no count a township records reaches a million
LONG_TEXT_MAX = 2000  # a Text column (products, descriptions): a paragraph, not a document
TYPE_MAX = ((BigInteger, 2 ** 63 - 1), (SmallInteger, 2 ** 15 - 1), (Integer, 2 ** 31 - 1))
ALLOWED_IN_TEXT = "\t\n\r"
PHONE = re.compile(r"^[0-9][0-9-]{5,18}[0-9]$")
PHONE_MESSAGE = _l("A telephone number is 7–20 digits (area code and extension may be joined by '-')")


def max_length(column) -> int:
    """The longest text a column takes: its declared length, or ``LONG_TEXT_MAX`` for a ``Text``."""
    return getattr(column.type, "length", None) or LONG_TEXT_MAX


def _is_key(column) -> bool:
    return column.primary_key or bool(column.foreign_keys) or column.key == "version"


def _integer_range(column) -> tuple[int, int]:
    type_max = next(limit for kind, limit in TYPE_MAX if isinstance(column.type, kind))
    if _is_key(column):
        return -type_max - 1, type_max
    return column.info.get("min", -COUNT_MAX), column.info.get("max", COUNT_MAX)


def _number_problem(value, low, high):
    if value < low:
        return _l("The number cannot be less than %(min)s", min=low)
    if value > high:
        return _l("The number cannot be greater than %(max)s", max=high)
    return None


def _integer_problem(column, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return _l("Enter a whole number")
    if isinstance(value, (float, Decimal)) and not (_finite(value) and value == int(value)):
        return _l("Enter a whole number")
    return _number_problem(value, *_integer_range(column))


def _finite(value) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _decimal_problem(column, value):
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool) or not _finite(value):
        return _l("Enter a finite number")
    if isinstance(column.type, Float):
        return None
    precision, scale = column.type.precision or 18, column.type.scale or 0
    limit = Decimal(10) ** (precision - scale) - Decimal(10) ** -scale
    high = min(limit, Decimal(column.info["max"])) if "max" in column.info else limit
    return _number_problem(value, -high if "min" not in column.info else column.info["min"], high)


def _text_problem(column, value: str):
    if len(value) > max_length(column):
        return _l("At most %(n)d characters", n=max_length(column))
    allowed = ALLOWED_IN_TEXT if isinstance(column.type, Text) else ""
    if any(unicodedata.category(char) in ("Cc", "Cf") and char not in allowed for char in value):
        return _l("Control, zero-width and text-direction characters are not allowed")
    if column.info.get("phone") and not PHONE.match(value):
        return PHONE_MESSAGE
    return None


def _date_problem(column, value):
    day = value.date() if isinstance(value, datetime) else value
    earliest, years = column.info.get("earliest", EARLIEST_DATE), column.info.get("years_ahead", 1)
    if not earliest < day <= date.today() + timedelta(days=366 * years):
        return _l("Enter a date after %(earliest)s and at most %(years)d years from today",
                  earliest=earliest.isoformat(), years=years)
    return None


def bound_problems(record) -> dict[str, str]:
    """{field: message} for each stored value of ``record`` outside its column's bound."""
    found = {}
    for column in record.__table__.columns:
        if column.key not in record.__mapper__.c:
            continue
        value = getattr(record, column.key, None)
        if value is None:
            continue
        kind = column.type
        if isinstance(kind, Integer):
            problem = _integer_problem(column, value)
        elif isinstance(kind, (Numeric, Float)):
            problem = _decimal_problem(column, value)
        elif isinstance(kind, String) and isinstance(value, str):
            problem = _text_problem(column, value)
        elif isinstance(kind, (Date, DateTime)) and isinstance(value, date):
            problem = _date_problem(column, value)
        else:
            problem = None
        if problem is not None:
            found[column.key] = problem
    return found
