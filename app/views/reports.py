"""Reports: the three-tier indicator rollup with 同比 / 环比, drill-down, charts and xlsx export, and an
indicator's trend over 5 years or 8 quarters."""
from dataclasses import dataclass

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.models import (Coordinator, Employer, HazardReport, OrgUnit, Patient, Patrol, Screening, SmeAssistance,
                        TrainingActivity, db)
from app.reports.comparison import LAST_YEAR, PREVIOUS, compared_rollup
from app.reports.engine import members
from app.reports.periods import TREND_SPANS, parse_period, period_choices, trend_periods
from app.reports.targets import indicator_set
from app.reports.trend import trend
from app.reports.xlsx import rollup_sheet
from app.roles import REPORTS
from app.scoping import apply_scope, current_user_or_none, in_scope
from app.views.report_charts import bar_chart, trend_chart
from app.xlsx import send_workbook

MEMBERS_PAGE_SIZE = 50


@dataclass(frozen=True)
class Subject:
    """What a drill-down lists for one kind of subject: the model, the view whose show page opens one, and
    the columns (attribute, label); the first column links to the show page."""

    model: type
    endpoint: str
    columns: tuple[tuple[str, object], ...]
    title: object


_VISIT_COLUMNS = (("visit_date", _l("Visit date")), ("employer", _l("Employer")), ("org_unit", _l("Township")),
                  ("state_label", _l("State")))
SUBJECTS = {
    "employer": Subject(Employer, "EmployerView.show", (
        ("name", _l("Employer name")), ("archive_number", _l("Archive number")), ("org_unit", _l("Township")),
        ("credit_code", _l("Unified social credit code"))), _l("Employers")),
    "patient": Subject(Patient, "PatientView.show", (
        ("name", _l("Name")), ("org_unit", _l("Township")), ("diagnosis", _l("Diagnosis")),
        ("last_visited_on", _l("Last follow-up visit"))), _l("Patients")),
    "screening": Subject(Screening, "ScreeningView.show", _VISIT_COLUMNS, _l("Screenings")),
    "patrol": Subject(Patrol, "PatrolView.show", _VISIT_COLUMNS, _l("Patrols")),
    "hazard_report": Subject(HazardReport, "HazardReportView.show", (
        ("category_label", _l("What was found")), ("employer", _l("Employer")), ("found_at", _l("Found at")),
        ("reported_at", _l("Reported at"))), _l("Hazard reports")),
    "coordinator": Subject(Coordinator, "CoordinatorView.show", (
        ("name", _l("Name")), ("org_unit", _l("Township")), ("phone", _l("Phone")),
        ("appointed_on", _l("Appointed on"))), _l("Coordinators")),
    "sme_assistance": Subject(SmeAssistance, "SmeAssistanceView.show", (
        ("employer", _l("Employer")), ("year", _l("Year")), ("org_unit", _l("Township")),
        ("items_progress", _l("Items done"))), _l("SME assistance")),
    "training_activity": Subject(TrainingActivity, "TrainingActivityView.show", (
        ("topic", _l("Topic")), ("held_on", _l("Held on")), ("org_unit", _l("Township")),
        ("audience_count", _l("Audience"))), _l("Training and promotion")),
}


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
    method_permission_name = {"rollup": "read", "rollup_xlsx": "read", "members": "read", "trend": "read"}
    default_view = "rollup"

    @expose("/rollup")
    @has_access
    def rollup(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        shown = indicator_set(unit, period)
        compared = compared_rollup(shown.indicators, period, unit)
        chosen = shown.find(request.args.get("indicator")) or shown.indicators[0]
        return self.render_template(
            "reports/rollup.html", unit=unit, period=period, periods=period_choices(), compared=compared,
            total=compared.total, rows=compared.rows, indicators=shown.indicators, chosen=chosen,
            trend_code=chosen.code.split("@")[0], chart=bar_chart(chosen, compared.rows, period),
            set_year=shown.year, sources=shown.sources, title=_l("Indicator rollup"), ancestors=_ancestors(unit),
            change_names={LAST_YEAR: _l("YoY"), PREVIOUS: _l("MoM")},
            earlier_names={LAST_YEAR: _l("last year"), PREVIOUS: _l("previous period")})

    @expose("/rollup.xlsx")
    @has_access
    def rollup_xlsx(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        indicators = indicator_set(unit, period).indicators
        compared = compared_rollup(indicators, period, unit)
        return send_workbook(lambda book: rollup_sheet(book, f"{_l('Indicator rollup')} · {unit.name}",
                                                       period.label, indicators, compared, _xlsx_labels()),
                             f"rollup-{unit.code}-{period.key}.xlsx", url_for(".rollup", **request.args))

    @expose("/trend")
    @has_access
    def trend(self):
        """The chosen unit and each of its children over the last 5 years (``span=years``) or 8 quarters
        (``span=quarters``) up to the period, against each year's target."""
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        span = request.args.get("span", TREND_SPANS[0])
        if span not in TREND_SPANS:
            abort(400)
        indicator = indicator_set(unit, period).find(request.args.get("indicator")) or abort(404)
        found = trend(indicator, unit, trend_periods(period, span))
        return self.render_template("reports/trend.html", unit=unit, period=period, span=span, trend=found,
                                    chart=trend_chart(found), ancestors=_ancestors(unit),
                                    title=f"{indicator.name} · {_l('Trend')}")

    @expose("/members")
    @has_access
    def members(self):
        unit, period = _unit_in_scope(request.args.get("unit")), _period()
        indicator = indicator_set(unit, period).find(request.args.get("indicator")) or abort(404)
        gap = request.args.get("part") == "gap"
        pages = {kind: request.args.get(f"page_{kind}", 1, type=int) for kind in SUBJECTS}
        parent = unit.parent if unit.parent is not None and in_scope(unit.parent.path) else unit
        return self.render_template("reports/members.html", unit=unit, period=period, indicator=indicator,
                                    gap=gap, rollup_unit=parent, tables=member_tables(indicator, period, unit, gap, pages),
                                    args=request.args.to_dict(), title=indicator.name)


@dataclass(frozen=True)
class MemberTable:
    """One page of the subjects of one kind behind a drill-down, and how many there are in all."""

    kind: str
    subject: Subject
    items: list
    count: int
    number: int
    pages: int


def member_tables(indicator, period, unit, gap, pages: dict[str, int]) -> list[MemberTable]:
    """The subjects behind a unit's numerator or gap, a table per kind of subject, within the user's scope,
    each a page of ``MEMBERS_PAGE_SIZE`` (a city's drill-down may hold a hundred thousand employers)."""
    found = members(indicator, period, unit, gap).subquery()
    counts = dict(db.session.execute(select(found.c.subject_type, func.count()).group_by(found.c.subject_type)).all())
    tables = []
    for kind, subject in SUBJECTS.items():
        if not counts.get(kind):
            continue
        last = -(-counts[kind] // MEMBERS_PAGE_SIZE)
        number = min(max(pages.get(kind) or 1, 1), last)
        ids = (select(found.c.subject_id).where(found.c.subject_type == kind).order_by(found.c.subject_id)
               .limit(MEMBERS_PAGE_SIZE).offset((number - 1) * MEMBERS_PAGE_SIZE))
        model = subject.model
        query = apply_scope(select(model), model).where(model.id.in_(ids)).order_by(model.id)
        tables.append(MemberTable(kind, subject, db.session.scalars(query).all(), counts[kind], number, last))
    return tables


def _xlsx_labels() -> dict[str, str]:
    labels = {"unit": _l("Org unit"), "target": _l("target"), "numerator": _l("Numerator"),
              "denominator": _l("Denominator"), "rate": _l("Rate"), "total": _l("Total"), "count": _l("Count"),
              "per_district": _l("per district"),
              "last_year:earlier": _l("Same period last year"), "last_year:points": _l("YoY (percentage points)"),
              "last_year:change": _l("YoY change"), "last_year:percent": _l("YoY (%)"),
              "previous:earlier": _l("Previous period"), "previous:points": _l("MoM (percentage points)"),
              "previous:change": _l("MoM change"), "previous:percent": _l("MoM (%)")}
    return {key: str(label) for key, label in labels.items()}


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
