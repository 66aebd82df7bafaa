"""Coordinators, with their training records and yearly assessments on the coordinator's page."""
from flask_babel import lazy_gettext as _l

from app.models import Coordinator, CoordinatorAssessment, CoordinatorTraining
from app.roles import COORDINATOR
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView

CHILD_LABELS = {
    "coordinator": _l("Coordinator"), "kind": _l("Kind"), "course": _l("Course"),
    "organiser": _l("Organised by"), "held_on": _l("Date"), "attended": _l("Attended"),
    "passed": _l("Passed"), "notes": _l("Notes"), "year": _l("Year"), "result": _l("Result"),
    "commendation": _l("Commendation"),
}


class CoordinatorTrainingView(ProgrammeView):
    route_base = "/coordinatortrainings"
    datamodel = scoped(CoordinatorTraining)
    class_permission_name = COORDINATOR
    list_title = show_title = _l("Training records")
    add_title = _l("Add training record")
    edit_title = _l("Edit training record")
    label_columns = CHILD_LABELS
    list_columns = ["coordinator", "held_on", "kind", "course", "organiser", "attended", "passed"]
    add_columns = edit_columns = show_columns = ["coordinator", "kind", "course", "organiser", "held_on",
                                                 "attended", "passed", "notes"]
    search_columns = ["coordinator", "kind", "course", "organiser", "held_on", "attended", "passed"]
    base_order = ("held_on", "desc")


class CoordinatorAssessmentView(ProgrammeView):
    route_base = "/coordinatorassessments"
    datamodel = scoped(CoordinatorAssessment)
    class_permission_name = COORDINATOR
    list_title = show_title = _l("Yearly assessments")
    add_title = _l("Add yearly assessment")
    edit_title = _l("Edit yearly assessment")
    label_columns = CHILD_LABELS
    list_columns = ["coordinator", "year", "result", "commendation", "notes"]
    add_columns = edit_columns = show_columns = ["coordinator", "year", "result", "commendation", "notes"]
    search_columns = ["coordinator", "year", "result", "commendation"]
    base_order = ("year", "desc")
    description_columns = {"commendation": _l("Guizhou art. 11: the ground for commendation, if any")}


COORDINATOR_LABELS = {
    "name": _l("Full name"), "org_unit": _l("Township/street"), "phone": _l("Telephone"),
    "workplace": _l("Workplace"), "education": _l("Education"), "background": _l("Background"),
    "appointed_on": _l("Appointed on"), "term_ends_on": _l("Term ends on"), "status": _l("Status"),
    "dismissed_on": _l("Dismissed on"), "dismissal_reason": _l("Ground for dismissal"),
    "user": _l("User account"), "notes": _l("Notes"), "latest_assessment": _l("Latest assessment"),
}
COORDINATOR_FIELDSETS = [
    (_l("Person"), {"fields": ["name", "org_unit", "phone", "workplace", "education", "background", "user"]}),
    (_l("Appointment"), {"fields": ["appointed_on", "term_ends_on", "status", "dismissed_on",
                                    "dismissal_reason", "notes"]}),
]


class CoordinatorView(ProgrammeView):
    route_base = "/coordinators"
    datamodel = scoped(Coordinator)
    class_permission_name = COORDINATOR
    list_title = _l("Coordinators")
    show_title = _l("Coordinator")
    add_title = _l("Add coordinator")
    edit_title = _l("Edit coordinator")
    label_columns = COORDINATOR_LABELS
    list_columns = ["name", "org_unit", "phone", "background", "appointed_on", "term_ends_on", "status",
                    "latest_assessment"]
    list_loads = ("assessments",)
    search_columns = ["name", "org_unit", "phone", "workplace", "education", "background", "appointed_on",
                      "term_ends_on", "status", "dismissal_reason", "user"]
    order_columns = ["name", "appointed_on", "term_ends_on"]
    base_order = ("name", "asc")
    add_fieldsets = edit_fieldsets = show_fieldsets = COORDINATOR_FIELDSETS
    description_columns = {
        "user": _l("The coordinator's own login, if they have one (a user of the same township)"),
        "dismissal_reason": _l("Guizhou art. 12: the ground on which the coordinator was dismissed"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}
    related_views = [CoordinatorTrainingView, CoordinatorAssessmentView]


class CoordinatorApi(ScopedApi):
    resource_name = "coordinator"
    datamodel = scoped(Coordinator)
    class_permission_name = COORDINATOR
    list_columns = ["id", "name", "org_unit.id", "org_unit.name", "phone", "appointed_on", "term_ends_on",
                    "status"]
    show_columns = ["id", "name", "org_unit.id", "phone", "workplace", "education", "background",
                    "appointed_on", "term_ends_on", "status", "dismissed_on", "dismissal_reason", "user.id",
                    "notes"]
    add_columns = edit_columns = ["name", "org_unit", "phone", "workplace", "education", "background",
                                  "appointed_on", "term_ends_on", "status", "dismissed_on",
                                  "dismissal_reason", "user", "notes"]
    search_columns = ["name", "org_unit", "status"]
