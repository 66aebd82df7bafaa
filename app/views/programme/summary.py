"""Work summaries: due, submitted, reviewed by the district."""
from flask_babel import lazy_gettext as _l

from app.models import WorkSummary
from app.roles import WORK_SUMMARY
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView


class WorkSummaryView(ProgrammeView):
    route_base = "/worksummaries"
    datamodel = scoped(WorkSummary)
    class_permission_name = WORK_SUMMARY
    list_title = _l("Work summaries")
    show_title = _l("Work summary")
    add_title = _l("Add work summary")
    edit_title = _l("Edit work summary")
    label_columns = {
        "org_unit": _l("Township/street"), "year": _l("Year"), "kind": _l("Kind"), "title": _l("Title"),
        "due_on": _l("Due on"), "submitted_on": _l("Submitted on"), "late": _l("Late"),
        "review": _l("Review"), "review_reason": _l("Why it does not conform"), "notes": _l("Notes"),
        "deduction": _l("Points deducted"),
    }
    list_columns = ["year", "org_unit", "kind", "title", "due_on", "submitted_on", "late", "review",
                    "deduction"]
    add_columns = edit_columns = ["org_unit", "year", "kind", "title", "due_on", "submitted_on", "review",
                                  "review_reason", "notes"]
    show_columns = ["org_unit", "year", "kind", "title", "due_on", "submitted_on", "late", "review",
                    "review_reason", "deduction", "notes"]
    search_columns = ["year", "org_unit", "kind", "title", "due_on", "submitted_on", "review"]
    order_columns = ["year", "due_on", "submitted_on"]
    base_order = ("due_on", "desc")
    description_columns = {
        "review": _l("Filled in by the district: does the content conform to the requirements?"),
        "deduction": _l("Annex 6: interim late −2, annual late −5, not conforming −2"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}


class WorkSummaryApi(ScopedApi):
    resource_name = "worksummary"
    datamodel = scoped(WorkSummary)
    class_permission_name = WORK_SUMMARY
    list_columns = show_columns = ["id", "org_unit.id", "org_unit.name", "year", "kind", "title", "due_on",
                                   "submitted_on", "late", "review", "review_reason", "deduction", "notes"]
    add_columns = edit_columns = ["org_unit", "year", "kind", "title", "due_on", "submitted_on", "review",
                                  "review_reason", "notes"]
    search_columns = ["year", "org_unit", "kind", "review"]
