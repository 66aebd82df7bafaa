"""The indicators of DOMAIN.md §4, declared as data for the engine: who is counted (denominator), who
counts (numerator), and the target. Each population is one SELECT over a township column."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_, select

from app.models import Employer
from app.reports.engine import Indicator
from app.reports.periods import Period


def _flag(condition):
    return case((condition, 1), else_=0)


def _active_hazardous(period: Period):
    """Employers with occupational hazards, registered by the end of the period and in production."""
    return and_(Employer.has_hazard.is_(True), Employer.registered_on <= period.end,
                Employer.active_condition())


def declaration(period: Period):
    declared = and_(Employer.hazard_declared.is_(True),
                    or_(Employer.declared_on.is_(None), Employer.declared_on <= period.end))
    return select(Employer.org_unit_id.label("org_unit_id"), Employer.id.label("subject_id"),
                  _flag(declared).label("numerator"), literal(1).label("denominator")
                  ).where(_active_hazardous(period))


INDICATORS = [
    Indicator("declaration", _l("Hazard declaration rate"), declaration, 0.95,
              note=_l("Active hazardous employers that have declared / active hazardous employers (Annex 6)")),
]
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
