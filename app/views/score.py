"""The assessment score (Shanghai Annex 6): a township's table, rankings, their xlsx, and the deductions
the district enters (ScoreAdjustment)."""
from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.models import TOWNSHIP, ScoreAdjustment
from app.reports.score import computed_items, ranking, township_scores
from app.reports.score_xlsx import ranking_sheet, score_sheet
from app.roles import REPORTS, SCORE_ADJUSTMENT
from app.scoping import in_scope
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView
from app.views.register import chosen_township, chosen_year, scoped_townships, year_choices
from app.views.reports import _unit_in_scope
from app.xlsx import send_workbook

# Where each kind of record behind a deduction is shown.
RECORD_ENDPOINTS = {
    "employer": "EmployerView.show", "patient": "PatientView.show", "plan": "ServicePlanView.show",
    "screening": "ScreeningView.show", "patrol": "PatrolView.show", "hazard_report": "HazardReportView.show",
    "work_summary": "WorkSummaryView.show", "adjustment": "ScoreAdjustmentView.show",
    "coordinator_training": "CoordinatorTrainingView.show",
}
SCORE_HEADERS = (_l("Item"), _l("Points"), _l("Deducted"), _l("Score"), _l("Reasons and records"))
RANKING_HEADERS = (_l("Rank"), _l("Org unit"), _l("Score"), _l("Townships"))
SHOWN_ON_PAGE = 20  # deductions per item, and records per deduction, shown on the page; the xlsx has them all


class ScoreView(BaseView):
    route_base = "/score"
    class_permission_name = REPORTS
    method_permission_name = {"score": "read", "score_xlsx": "read", "ranking": "read", "ranking_xlsx": "read"}
    default_view = "score"

    @expose("/")
    @has_access
    def score(self):
        unit, year = chosen_township(), chosen_year()
        score = township_scores(year, unit, with_records=True)[0]
        return self.render_template(
            "reports/score.html", unit=unit, year=year, score=score, townships=scoped_townships(),
            ranking_unit=unit.parent if in_scope(unit.parent.path) else None,
            years=year_choices(), endpoints=RECORD_ENDPOINTS, computed=computed_items(),
            headers=SCORE_HEADERS, shown=SHOWN_ON_PAGE, title=_l("Assessment score"))

    @expose("/score.xlsx")
    @has_access
    def score_xlsx(self):
        unit, year = chosen_township(), chosen_year()
        score = township_scores(year, unit, with_records=True)[0]
        return send_workbook(lambda book: score_sheet(
            book, str(_l("Assessment score · %(unit)s · %(year)s", unit=unit.name, year=year)), score,
            [str(h) for h in SCORE_HEADERS], str(_l("Total"))), f"score-{unit.id}-{year}.xlsx",
            url_for(".score", **request.args))

    @expose("/ranking")
    @has_access
    def ranking(self):
        unit, year = _unit_in_scope(request.args.get("unit")), chosen_year()
        if unit.level == TOWNSHIP:
            abort(404)
        return self.render_template("reports/ranking.html", unit=unit, year=year, rows=ranking(year, unit),
                                    years=year_choices(), headers=RANKING_HEADERS, title=_l("Score ranking"))

    @expose("/ranking.xlsx")
    @has_access
    def ranking_xlsx(self):
        unit, year = _unit_in_scope(request.args.get("unit")), chosen_year()
        if unit.level == TOWNSHIP:
            abort(404)
        return send_workbook(lambda book: ranking_sheet(
            book, str(_l("Score ranking · %(unit)s · %(year)s", unit=unit.name, year=year)), ranking(year, unit),
            [str(h) for h in RANKING_HEADERS]), f"ranking-{unit.id}-{year}.xlsx",
            url_for(".ranking", **request.args))


class ScoreAdjustmentView(ProgrammeView):
    route_base = "/scoreadjustments"
    datamodel = scoped(ScoreAdjustment)
    class_permission_name = SCORE_ADJUSTMENT
    list_title = _l("Score deductions entered by the district")
    show_title = _l("Score deduction")
    add_title = _l("Add score deduction")
    edit_title = _l("Edit score deduction")
    label_columns = {"org_unit": _l("Township/street"), "year": _l("Year"), "item": _l("Item"),
                     "points": _l("Points deducted"), "reason": _l("Reason"), "entered_by": _l("Entered by")}
    list_columns = ["year", "org_unit", "item", "points", "reason", "entered_by"]
    add_columns = edit_columns = ["org_unit", "year", "item", "points", "reason"]
    show_columns = ["org_unit", "year", "item", "points", "reason", "entered_by"]
    search_columns = ["year", "org_unit", "item"]
    order_columns = ["year", "points"]
    base_order = ("year", "desc")
    description_columns = {"points": _l("Annex 6: the item never loses more than it is worth")}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}


class ScoreAdjustmentApi(ScopedApi):
    resource_name = "scoreadjustment"
    datamodel = scoped(ScoreAdjustment)
    class_permission_name = SCORE_ADJUSTMENT
    list_columns = show_columns = ["id", "org_unit.id", "org_unit.name", "year", "item", "points", "reason",
                                   "entered_by.username"]
    add_columns = edit_columns = ["org_unit", "year", "item", "points", "reason"]
    search_columns = ["year", "org_unit", "item"]


__all__ = ["ScoreView", "ScoreAdjustmentView", "ScoreAdjustmentApi"]
