"""The code lists printed on the Annex 4 archive and Annex 5 visit-card forms, and the small checks
their tables share (counts, part ≤ whole, dates that must not lie ahead).

A code list is fixed by the paper form (e.g. table 4-2 note 4: equipment state 1 全密闭, 2 半密闭,
3 敞开式), so it lives in code, not in an admin-editable dictionary; the column stores the code.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.models.base import db

# Annex 4, table 4.1 note 2: production status of the archive (not Annex 3's 正常/停产/搬迁/关闭).
PRODUCTION_MODES = {"1": _l("Continuous production"), "2": _l("Intermittent production"),
                    "3": _l("Production stopped"), "4": _l("Closed")}
PRODUCTION_CLOSED = "4"
# Table 4.3 notes 2–4.
CHEMICAL_SOURCES = {"1": _l("Raw material"), "2": _l("Auxiliary material"), "3": _l("Intermediate product"),
                    "4": _l("Final product")}
CHEMICAL_UNITS = {"1": _l("t/year"), "2": _l("L/year"), "3": _l("m³"), "4": _l("pieces/year"),
                  "5": _l("10,000 kWh")}
PHYSICAL_STATES = {"1": _l("Solid"), "2": _l("Solid (dust)"), "3": _l("Liquid"), "4": _l("Gas")}
# Table 4-2 notes 4 and 5.
EQUIPMENT_STATES = {"1": _l("Fully enclosed"), "2": _l("Semi-enclosed"), "3": _l("Open")}
OPERATION_MODES = {"1": _l("Automated"), "2": _l("Mechanised"), "3": _l("Manual"), "4": _l("Other")}
# Tables 4.5-1 and 4.5-2: 上岗前, 在岗期间, 离岗时.
EXAM_TYPES = {"pre": _l("Pre-duty"), "on": _l("On duty"), "post": _l("Post-duty")}
# Annex 5: the card (5.1 pneumoconiosis, 5.2 other diseases), visit method, reason lost to follow-up.
PNEUMOCONIOSIS_CARD, OTHER_CARD = "pneumoconiosis", "other"
CARD_TYPES = {PNEUMOCONIOSIS_CARD: _l("5.1 Pneumoconiosis"), OTHER_CARD: _l("5.2 Other occupational disease")}
VISIT_METHODS = {"1": _l("Telephone"), "2": _l("Face to face"), "3": _l("Other")}
LOST_DEATH, LOST_OTHER = "1", "4"
LOST_REASONS = {LOST_DEATH: _l("Death"), "2": _l("Returned to home town"), "3": _l("Moved away"),
                LOST_OTHER: _l("Other")}
SEXES = {"male": _l("Male"), "female": _l("Female")}


def linked(record, relation: str):
    """The related record, also when only its id is set (as imports and scripts do)."""
    value = getattr(record, relation)
    key = getattr(record, f"{relation}_id", None)
    if value is None and key is not None:
        model = inspect(type(record)).relationships[relation].mapper.class_
        with db.session.no_autoflush:
            value = db.session.get(model, key)
    return value


def label(codes: dict, value):
    """How a stored code reads: its label, or nothing."""
    return codes.get(value, value) if value is not None else ""


def check_code(record, field: str, codes: dict, found: dict, required: bool = False) -> None:
    value = getattr(record, field)
    if value is None:
        if required:
            found[field] = _l("Choose a value")
    elif value not in codes:
        found[field] = _l("Choose one of the form's codes")


def check_counts(record, fields, found: dict) -> None:
    """Headcounts: blank is 0, negative is refused."""
    for field in fields:
        value = getattr(record, field)
        if value is None:
            setattr(record, field, 0)
        elif value < 0:
            found[field] = _l("A number of people cannot be negative")


def check_at_most(record, part: str, whole: str, found: dict, message) -> None:
    """``part`` ≤ ``whole`` (two fields of the record), reported on ``part`` unless it already has a
    problem."""
    check_within(record, part, getattr(record, whole), found, message)


def check_within(record, field: str, limit: int | None, found: dict, message) -> None:
    """``field`` ≤ a limit read elsewhere (e.g. the archive's table 4.1)."""
    value = getattr(record, field)
    if field not in found and value is not None and limit is not None and value > limit:
        found[field] = message


def check_past(record, fields, found: dict, today: date | None = None) -> None:
    """Dates of things that happened cannot lie in the future."""
    today = today or date.today()
    for field in fields:
        value = getattr(record, field)
        if value is not None and value > today:
            found[field] = _l("The date cannot be in the future")


def check_order(record, earlier: str, later: str, found: dict, message) -> None:
    first, second = getattr(record, earlier), getattr(record, later)
    if later not in found and first is not None and second is not None and second < first:
        found[later] = message


def check_year(record, field: str, found: dict, required: bool = True) -> None:
    value = getattr(record, field)
    if value is None:
        if required:
            found[field] = _l("Enter the year")
    elif not 1950 <= value <= date.today().year:
        found[field] = _l("Enter a year from 1950 to this year")
