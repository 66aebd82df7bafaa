"""An indicator's trend: the chosen unit and each of its children over the last 5 years or 8 quarters,
each period against its year's target, from the rollup's engine — one grouped query per period, run side
by side (``rollups``)."""
from dataclasses import dataclass

from app.models import OrgUnit
from app.reports.engine import Indicator, Value, judge, rollups
from app.reports.periods import Period, parse_period
from app.reports.targets import indicator_set


@dataclass(frozen=True)
class TrendLine:
    unit: OrgUnit
    values: list[Value]  # one per period


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    periods: list[Period]
    targets: list[float | None]  # each period's target in its year's set; None: the city did not use it then
    lines: list[TrendLine]  # the unit first, then each of its children


def trend(indicator: Indicator, unit: OrgUnit, periods: list[Period]) -> Trend:
    # The indicator as each year's set has it (its target then), or None where the city did not use it.
    used = {year: indicator_set(unit, parse_period(str(year))).find(indicator.code)
            for year in {period.year for period in periods}}
    answers = rollups([indicator], periods, unit)
    for period, (total, rows) in zip(periods, answers):
        if used[period.year] is not None:
            judge(used[period.year], total, rows)
            continue
        for row in [total, *rows]:
            row.values[indicator.code].met = None
    code = indicator.code
    lines = [TrendLine(unit, [total.values[code] for total, _ in answers])]
    lines += [TrendLine(row.unit, [rows[number].values[code] for _, rows in answers])
              for number, row in enumerate(answers[0][1])]
    return Trend(indicator, periods, [None if used[period.year] is None else used[period.year].target
                                      for period in periods], lines)
