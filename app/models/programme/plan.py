"""The coordination service plan (协管服务计划, Annex 1 "制定协管服务计划"): per township and year, how
many employers to screen and to patrol in each half-year; progress is counted from the visit records.

The screenings and patrols are read as plain tables through the names below — ``screening`` and
``patrol`` with ``employer_id``, ``org_unit_id``, ``visit_date`` and ``state`` — which the Screening and
Patrol models (issue 3) provide. Until they exist in the database, progress reads as unknown.
"""
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Integer, Text, UniqueConstraint, case, distinct, extract, func, select

from app.models.audit import Audited
from app.models.base import Model, db
from app.models.fieldwork import Patrol, Screening
from app.models.org import TOWNSHIP, InOrgUnit
from app.models.programme.common import year_problem
from app.models.versioned import Versioned
from app.models.workflow import REPORTED_STATES


VISIT_TABLES = {"screen": Screening.__table__, "patrol": Patrol.__table__}
DONE_STATES = REPORTED_STATES  # a draft or returned record is not yet work done
HALVES = (1, 2)
TARGETS = tuple(f"{kind}_h{half}" for kind in VISIT_TABLES for half in HALVES)  # screen_h1 … patrol_h2


@dataclass(frozen=True)
class Progress:
    done: int
    planned: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.planned, 1) if self.planned else None

    def __str__(self):
        percent = self.percent
        return f"{self.done}/{self.planned}" + (f"（{percent:g}%）" if percent is not None else "")


class ServicePlan(InOrgUnit, Versioned, Audited, Model):
    __tablename__ = "service_plan"
    __table_args__ = (UniqueConstraint("org_unit_id", "year", name="uq_service_plan_unit_year"),)
    unit_level = TOWNSHIP

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, index=True)
    # Annex 6: every new employer screened within the year; every declared employer patrolled in each
    # half-year. The plan states how many employers that means for the township.
    screen_h1 = Column(Integer, nullable=False, default=0)
    screen_h2 = Column(Integer, nullable=False, default=0)
    patrol_h1 = Column(Integer, nullable=False, default=0)
    patrol_h2 = Column(Integer, nullable=False, default=0)
    notes = Column(Text)

    def __repr__(self):
        return f"{self.org_unit} {self.year}" if self.org_unit is not None else str(self.year or "")

    def progress(self) -> dict[str, Progress] | None:
        return plan_progress([self]).get(self.id)

    @cached_property
    def _shown_progress(self) -> dict[str, Progress] | None:
        """Progress read once per page for the four columns below."""
        return self.progress()

    def _shown(self, target: str) -> str:
        return str(self._shown_progress[target]) if self._shown_progress is not None else ""

    @property
    def screen_h1_progress(self) -> str:
        return self._shown("screen_h1")

    @property
    def screen_h2_progress(self) -> str:
        return self._shown("screen_h2")

    @property
    def patrol_h1_progress(self) -> str:
        return self._shown("patrol_h1")

    @property
    def patrol_h2_progress(self) -> str:
        return self._shown("patrol_h2")

    def _year_taken(self) -> bool:
        with db.session.no_autoflush:
            return db.session.scalar(select(func.count(ServicePlan.id)).where(
                ServicePlan.org_unit_id == self.org_unit.id, ServicePlan.year == self.year,
                ServicePlan.id != (self.id or 0))) > 0

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if message := year_problem(self.year):
            found["year"] = message
        elif self.org_unit is not None and self._year_taken():
            found["year"] = _l("This township already has a plan for this year")
        for target in TARGETS:
            if getattr(self, target) is None:
                setattr(self, target, 0)
            elif getattr(self, target) < 0:
                found[target] = _l("A number of employers cannot be negative")
        return found


def plan_progress(plans) -> dict[int, dict[str, Progress]]:
    """Progress of each plan: distinct employers screened/patrolled (submitted or accepted) in the
    plan's township in each half-year of its year, against the planned number. One grouped query per
    visit table for all the plans at once."""
    plans = [plan for plan in plans if plan.id is not None]
    if not plans:
        return {}
    units, years = {plan.org_unit_id for plan in plans}, {plan.year for plan in plans}
    done = {}
    for kind, visits in VISIT_TABLES.items():
        year = extract("year", visits.c.visit_date)
        half = case((extract("month", visits.c.visit_date) <= 6, 1), else_=2)
        rows = db.session.execute(
            select(visits.c.org_unit_id, year, half, func.count(distinct(visits.c.employer_id)))
            .where(visits.c.org_unit_id.in_(units), visits.c.state.in_(DONE_STATES),
                   visits.c.visit_date >= date(min(years), 1, 1),
                   visits.c.visit_date <= date(max(years), 12, 31))
            .group_by(visits.c.org_unit_id, year, half))
        for unit, row_year, row_half, count in rows:
            done[(kind, unit, int(row_year), int(row_half))] = count
    return {plan.id: {f"{kind}_h{half}": Progress(done.get((kind, plan.org_unit_id, plan.year, half), 0),
                                                  getattr(plan, f"{kind}_h{half}"))
                      for kind in VISIT_TABLES for half in HALVES}
            for plan in plans}
