"""The indicator engine (DHIS2's model): an indicator is data — a population query, a target — and one
engine evaluates any indicator for a period over every org unit at once.

Each indicator's ``population(period)`` returns a SELECT with the columns ``org_unit_id`` (a township),
``subject_id`` (the employer, record or person counted), ``numerator`` and ``denominator`` (numbers per
row: 0/1 for a count, headcounts for a sum). The engine runs ONE grouped query per indicator over that
select, then rolls the township sums up the tree in Python along the units' code paths.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Select, func, select

from app.models import OrgUnit, db
from app.reports.periods import Period


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # a lazy string
    population: Callable[[Period], Select]
    target: float  # a rate (0–1) the value must reach
    subject: str = "employer"  # what drill-down lists: the view that shows one subject
    note: object = ""
    unit: str = "%"


@dataclass
class Value:
    numerator: float = 0
    denominator: float = 0

    @property
    def rate(self) -> float | None:
        """None when there is nothing to measure: shown as "—", never as 0 % or 100 %."""
        return self.numerator / self.denominator if self.denominator else None

    def met(self, target: float) -> bool | None:
        rate = self.rate
        return None if rate is None else rate >= target - 1e-9


@dataclass
class UnitRow:
    unit: OrgUnit
    values: dict[str, Value] = field(default_factory=dict)


def township_values(indicator: Indicator, period: Period) -> dict[int, Value]:
    """Numerator and denominator per township: one grouped query."""
    population = indicator.population(period).subquery()
    query = (select(population.c.org_unit_id, func.sum(population.c.numerator),
                    func.sum(population.c.denominator))
             .group_by(population.c.org_unit_id))
    return {unit_id: Value(float(num or 0), float(den or 0))
            for unit_id, num, den in db.session.execute(query)}


def rollup(indicators: list[Indicator], period: Period, root: OrgUnit) -> tuple[UnitRow, list[UnitRow]]:
    """The root's total and a row per child unit, each with every indicator's value summed over its
    subtree. Units outside ``root``'s subtree never enter the sums."""
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(root.path))).all()
    children = sorted((u for u in units if u.parent_id == root.id), key=lambda u: u.code)
    total, rows = UnitRow(root), [UnitRow(child) for child in children]
    path_of = {u.id: u.path for u in units}
    for indicator in indicators:
        sums = defaultdict(Value)
        for unit_id, value in township_values(indicator, period).items():
            path = path_of.get(unit_id)
            if path is None:
                continue
            for row in [total, *rows]:
                if path.startswith(row.unit.path):
                    sums[row.unit.id].numerator += value.numerator
                    sums[row.unit.id].denominator += value.denominator
        for row in [total, *rows]:
            row.values[indicator.code] = sums.get(row.unit.id, Value())
    return total, rows


def members(indicator: Indicator, period: Period, unit: OrgUnit, gap: bool) -> Select:
    """The subjects behind a township's numerator (or behind the gap to its denominator)."""
    population = indicator.population(period).subquery()
    units = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    condition = (population.c.numerator < population.c.denominator if gap
                 else population.c.numerator > 0)
    return select(population.c.subject_id).where(population.c.org_unit_id.in_(units), condition)
