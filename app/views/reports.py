"""Reports: the three-tier indicator rollup with drill-down, chart and xlsx export."""
import io

from flask import abort, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.models import Employer, OrgUnit, db
from app.reports.engine import members, rollup
from app.reports.indicators import INDICATORS, INDICATORS_BY_CODE
from app.reports.periods import parse_period, period_choices
from app.reports.xlsx import rollup_workbook
from app.roles import REPORTS
from app.scoping import apply_scope, current_user_or_none

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_in_scope(unit_id: str | None) -> OrgUnit:
    """The unit a report is about: the user's own by default, never one outside their subtree (404)."""
    if not unit_id:
        unit = current_user_or_none().org_unit
        if unit is None:
            abort(404)
        return unit
    if not unit_id.isdigit():
        abort(404)
    unit = apply_scope(db.session.query(OrgUnit), OrgUnit).filter(OrgUnit.id == int(unit_id)).one_or_none()
    if unit is None:
        abort(404)
    return unit


def _period():
    try:
        return parse_period(request.args.get("period"))
    except ValueError:
        abort(400)


class ReportsView(BaseView):
    route_base = "/reports"
    class_permission_name = REPORTS
    method_permission_name = {"rollup": "read", "rollup_xlsx": "read", "members": "read"}
    default_view = "rollup"

    @expose("/rollup")
    @has_access
    def rollup(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        total, rows = rollup(INDICATORS, period, unit)
        chosen = INDICATORS_BY_CODE.get(request.args.get("indicator"), INDICATORS[0])
        return self.render_template(
            "reports/rollup.html", unit=unit, period=period, periods=period_choices(), total=total,
            rows=rows, indicators=INDICATORS, chosen=chosen, title=_l("Indicator rollup"),
            ancestors=_ancestors(unit))

    @expose("/rollup.xlsx")
    @has_access
    def rollup_xlsx(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        total, rows = rollup(INDICATORS, period, unit)
        labels = {"unit": str(_l("Org unit")), "target": str(_l("target")), "numerator": str(_l("Numerator")),
                  "denominator": str(_l("Denominator")), "rate": str(_l("Rate")), "total": str(_l("Total"))}
        content = rollup_workbook(f"{_l('Indicator rollup')} · {unit.name}", period.label, INDICATORS,
                                  total, rows, labels)
        return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"rollup-{unit.code}-{period.key}.xlsx")

    @expose("/members")
    @has_access
    def members(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        indicator = INDICATORS_BY_CODE.get(request.args.get("indicator")) or abort(404)
        gap = request.args.get("part") == "gap"
        ids = members(indicator, period, unit, gap)
        employers = db.session.scalars(apply_scope(select(Employer), Employer)
                                       .where(Employer.id.in_(ids)).order_by(Employer.archive_number)).all()
        return self.render_template("reports/members.html", unit=unit, period=period, indicator=indicator,
                                    gap=gap, employers=employers, title=indicator.name)


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The units above ``unit`` that the user may open, for the breadcrumb."""
    user_unit = current_user_or_none().org_unit
    chain, current = [], unit
    while current is not None and current.path.startswith(user_unit.path) and current.id != user_unit.id:
        current = current.parent
        if current is not None and current.path.startswith(user_unit.path):
            chain.insert(0, current)
    return chain


__all__ = ["ReportsView"]
