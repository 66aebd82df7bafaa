"""What the reports' charts draw, as the JSON a page carries for static/js/report_charts.js: plain numbers
(a rate in per cent), the names, and where a bar leads (the unit's drill-down)."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.models import TOWNSHIP, OrgUnit
from app.models.indicator_target import RATE
from app.reports.engine import Indicator, UnitRow, Value
from app.reports.periods import Period
from app.reports.trend import Trend


def _scale(indicator: Indicator) -> dict:
    """How the indicator's numbers are drawn: a rate in per cent, a ratio with two decimals, a count whole."""
    if indicator.kind == RATE:
        return {"factor": 100, "decimals": 1, "suffix": "%", "max": 100}
    return {"factor": 1, "decimals": 2 if indicator.is_ratio else 0, "suffix": ""}


def _drawn(indicator: Indicator, number: float | None) -> float | None:
    scale = _scale(indicator)
    return None if number is None else round(number * scale["factor"], scale["decimals"])


def drill_down_url(indicator: Indicator, period: Period, unit: OrgUnit) -> str:
    """A district's (or city's) rollup, or the records behind a township's numerator."""
    if unit.level == TOWNSHIP:
        return url_for("ReportsView.members", unit=unit.id, period=period.key, indicator=indicator.code,
                       part="numerator")
    return url_for("ReportsView.rollup", unit=unit.id, period=period.key, indicator=indicator.code)


def bar_chart(indicator: Indicator, rows: list[UnitRow], period: Period) -> dict:
    """A bar per child unit, coloured met / unmet / not judged, with the target's line where the children
    are judged against it (a count is judged per district only)."""
    scale = _scale(indicator)
    values: list[Value] = [row.values[indicator.code] for row in rows]
    judged = not indicator.is_count or any(value.met is not None for value in values)
    return {"kind": "bars", **{key: scale[key] for key in ("decimals", "suffix", "max") if key in scale},
            "names": [row.unit.name for row in rows],
            "values": [_drawn(indicator, indicator.shown(value)) for value in values],
            "met": [value.met for value in values],
            "links": [drill_down_url(indicator, period, row.unit) for row in rows],
            "target": _drawn(indicator, indicator.target) if judged else None,
            "target_label": f"{_l('target')} {indicator.target_label}"}


def trend_chart(found: Trend) -> dict:
    """A line per unit (the chosen one first, drawn thicker) and the target of each period as a dashed step."""
    indicator = found.indicator
    scale = _scale(indicator)
    return {"kind": "lines", **{key: scale[key] for key in ("decimals", "suffix", "max") if key in scale},
            "periods": [period.label for period in found.periods],
            "lines": [{"name": line.unit.name,
                       "values": [_drawn(indicator, indicator.shown(value)) for value in line.values]}
                      for line in found.lines],
            "targets": [_drawn(indicator, target) for target in found.targets],
            "target_name": str(_l("Target"))}
