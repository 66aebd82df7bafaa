"""What a screening and a patrol share: one visit by a coordinator to one employer, in its township."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.models.org import TOWNSHIP, InOrgUnit
from app.models.workflow import WorkflowRecord
from app.scoping import current_user_or_none


def in_future(value) -> bool:
    if isinstance(value, datetime):
        return value > datetime.now()
    return value is not None and value > date.today()


def fill_defaults(record) -> None:
    """Rules see a column's scalar default before the INSERT would apply it (a script may omit a status)."""
    for column in record.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar and not column.nullable and getattr(record, column.key) is None:
            setattr(record, column.key, default.arg)


def follow_employer(record) -> None:
    """A record lies in its employer's township: taken from the employer when the record is new or its
    employer changes (not when the employer moves later: the visit happened where it happened)."""
    employer = record.employer
    if employer is not None and (record.org_unit is None or employer.id != record.employer_id):
        record.org_unit = employer.org_unit


def employer_elsewhere(record):
    """Why the record's employer does not belong to the record's township, or None."""
    employer, unit = record.employer, record.org_unit
    if employer is not None and unit is not None and employer.org_unit_id != unit.id:
        return _l("The employer is registered in %(unit)s, not in this township", unit=employer.org_unit)
    return None


class FieldVisit(InOrgUnit, WorkflowRecord):
    """What a screening and a patrol share: one visit by a coordinator to one employer, on a date, in the
    employer's township (kept on the record so scoping and reports use one indexed column)."""

    unit_level = TOWNSHIP
    year_field = "visit_date"

    def clean(self) -> None:
        super().clean()
        fill_defaults(self)
        follow_employer(self)
        if self.id is None and self.coordinator is None and self.coordinator_id is None:
            self.coordinator = current_user_or_none()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.employer is None:
            found["employer"] = _l("Choose the employer")
            if self.org_unit is None:
                found.pop("org_unit", None)  # it follows the employer: told once, on the employer
        elif employer_elsewhere(self):
            found["employer"] = employer_elsewhere(self)
        if self.visit_date is None:
            found.setdefault("visit_date", _l("Enter the date of the visit"))
        elif in_future(self.visit_date):
            found.setdefault("visit_date", _l("The date cannot be in the future"))
        coordinator = self.coordinator
        if coordinator is not None and self.org_unit is not None and not (
                coordinator.org_unit is not None and self.org_unit.path.startswith(coordinator.org_unit.path)):
            found["coordinator"] = _l("The coordinator must work in this township or above it")
        return found
