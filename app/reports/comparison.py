"""同比 and 环比, as every government statistical report carries them: the rollup beside the same period
last year and, for a quarter or a half-year, beside the period before it. All periods' grouped queries run
side by side in one go (``rollups``), so a comparison costs the slowest query, not the sum of them."""
from dataclasses import dataclass

from app.models import OrgUnit
from app.models.indicator_target import RATE
from app.reports.engine import Indicator, UnitRow, Value, rollups
from app.reports.periods import Period

LAST_YEAR, PREVIOUS = "last_year", "previous"


@dataclass(frozen=True)
class Change:
    """A value against an earlier period's: the earlier value as its cell shows it, and the change — in
    percentage points for a rate (百分点), per head for a ratio, in number and per cent for a count."""

    earlier: float | None
    difference: float | None
    percent: float | None = None  # a count's change over its earlier count


def change(indicator: Indicator, now: Value, earlier: Value) -> Change:
    before, after = indicator.shown(earlier), indicator.shown(now)
    if before is None or after is None:
        return Change(before, None)
    if indicator.is_count:
        return Change(before, after - before, (after - before) / before if before else None)
    return Change(before, (after - before) * 100 if indicator.kind == RATE else after - before)


@dataclass(frozen=True)
class ComparedRollup:
    """The rollup of a period (``total`` and a row per child unit) and the same units' values in the
    earlier periods it is compared with: ``earlier[LAST_YEAR]`` and, for a quarter or half-year,
    ``earlier[PREVIOUS]``, each unit id → indicator code → value."""

    period: Period
    periods: dict[str, Period]  # LAST_YEAR (and PREVIOUS) → the earlier period
    total: UnitRow
    rows: list[UnitRow]
    earlier: dict[str, dict[int, dict[str, Value]]]

    def change(self, kind: str, indicator: Indicator, row: UnitRow) -> Change:
        return change(indicator, row.values[indicator.code], self.earlier[kind][row.unit.id][indicator.code])


def compared_rollup(indicators: list[Indicator], period: Period, root: OrgUnit) -> ComparedRollup:
    periods = {LAST_YEAR: period.same_period_last_year()}
    if period.previous() is not None:
        periods[PREVIOUS] = period.previous()
    (total, rows), *earlier = rollups(indicators, [period, *periods.values()], root)
    return ComparedRollup(period, periods, total, rows, {
        kind: {row.unit.id: row.values for row in [*earlier_rows, earlier_total]}
        for kind, (earlier_total, earlier_rows) in zip(periods, earlier)})
