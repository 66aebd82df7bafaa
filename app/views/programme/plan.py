"""Coordination service plans, with progress counted from the screenings and patrols."""
from flask_babel import lazy_gettext as _l

from app.models import ServicePlan
from app.roles import SERVICE_PLAN
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView


class ServicePlanView(ProgrammeView):
    route_base = "/serviceplans"
    datamodel = scoped(ServicePlan)
    class_permission_name = SERVICE_PLAN
    list_title = _l("Service plans")
    show_title = _l("Service plan")
    add_title = _l("Add service plan")
    edit_title = _l("Edit service plan")
    label_columns = {
        "org_unit": _l("Township/street"), "year": _l("Year"),
        "screen_h1": _l("Employers to screen, first half"),
        "screen_h2": _l("Employers to screen, second half"),
        "patrol_h1": _l("Employers to patrol, first half"),
        "patrol_h2": _l("Employers to patrol, second half"),
        "screen_h1_progress": _l("Screened, first half"), "screen_h2_progress": _l("Screened, second half"),
        "patrol_h1_progress": _l("Patrolled, first half"), "patrol_h2_progress": _l("Patrolled, second half"),
        "notes": _l("Notes"),
    }
    list_columns = ["year", "org_unit", "screen_h1_progress", "screen_h2_progress", "patrol_h1_progress",
                    "patrol_h2_progress"]
    add_columns = edit_columns = ["org_unit", "year", "screen_h1", "screen_h2", "patrol_h1", "patrol_h2",
                                  "notes"]
    show_fieldsets = [
        (_l("Plan"), {"fields": ["org_unit", "year", "screen_h1", "screen_h2", "patrol_h1", "patrol_h2",
                                 "notes"]}),
        (_l("Progress (employers done / planned)"), {"fields": [
            "screen_h1_progress", "screen_h2_progress", "patrol_h1_progress", "patrol_h2_progress"]}),
    ]
    search_columns = ["year", "org_unit"]
    order_columns = ["year"]
    base_order = ("year", "desc")
    description_columns = {
        "screen_h1": _l("Annex 6: every new employer of the township is screened within the year"),
        "patrol_h1": _l("Annex 6: every declared employer is patrolled in each half-year"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}


class ServicePlanApi(ScopedApi):
    resource_name = "serviceplan"
    datamodel = scoped(ServicePlan)
    class_permission_name = SERVICE_PLAN
    list_columns = show_columns = ["id", "org_unit.id", "org_unit.name", "year", "screen_h1", "screen_h2",
                                   "patrol_h1", "patrol_h2", "screen_h1_progress", "screen_h2_progress",
                                   "patrol_h1_progress", "patrol_h2_progress", "notes"]
    add_columns = edit_columns = ["org_unit", "year", "screen_h1", "screen_h2", "patrol_h1", "patrol_h2",
                                  "notes"]
    search_columns = ["year", "org_unit"]
