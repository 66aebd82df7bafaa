"""Prevention institutions of a district, with their quality-control results and problems on the
institution's page."""
from flask_babel import lazy_gettext as _l

from app.models import InstitutionProblem, InstitutionQualityControl, PreventionInstitution
from app.models.programme.institution import RATINGS
from app.roles import INSTITUTION
from app.views.base import ScopedApi, scoped
from app.views.programme.base import DISTRICTS_ONLY, TOWNSHIPS_ONLY, ProgrammeView

CHILD_LABELS = {
    "institution": _l("Institution"), "year": _l("Year"), "score": _l("Quality score"),
    "lab_comparison": _l("Laboratory comparison"), "rating": _l("Risk colour"), "notes": _l("Notes"),
    "found_on": _l("Found on"), "source": _l("Found through"), "description": _l("Problem"),
    "deadline": _l("Rectify by"), "rectified_on": _l("Rectified on"), "rectification": _l("Rectification"),
    "status": _l("Status"),
}


class InstitutionQualityControlView(ProgrammeView):
    route_base = "/institutionqualitycontrols"
    datamodel = scoped(InstitutionQualityControl)
    class_permission_name = INSTITUTION
    list_title = show_title = _l("Quality control results")
    add_title = _l("Add quality control result")
    edit_title = _l("Edit quality control result")
    label_columns = CHILD_LABELS
    list_columns = ["institution", "year", "score", "lab_comparison", "rating"]
    add_columns = edit_columns = show_columns = ["institution", "year", "score", "lab_comparison", "rating",
                                                 "notes"]
    search_columns = ["institution", "year", "lab_comparison", "rating"]
    base_order = ("year", "desc")
    description_columns = {"score": _l("Quality indicators of the yearly performance assessment, 0–100")}


class InstitutionProblemView(ProgrammeView):
    route_base = "/institutionproblems"
    datamodel = scoped(InstitutionProblem)
    class_permission_name = INSTITUTION
    list_title = show_title = _l("Problems and rectification")
    add_title = _l("Add problem")
    edit_title = _l("Edit problem")
    label_columns = CHILD_LABELS
    list_columns = ["institution", "found_on", "source", "description", "deadline", "rectified_on", "status"]
    add_columns = edit_columns = ["institution", "found_on", "source", "description", "deadline",
                                  "rectified_on", "rectification"]
    show_columns = add_columns + ["status"]
    search_columns = ["institution", "found_on", "source", "description", "deadline", "rectified_on"]
    base_order = ("found_on", "desc")


class PreventionInstitutionView(ProgrammeView):
    route_base = "/institutions"
    datamodel = scoped(PreventionInstitution)
    class_permission_name = INSTITUTION
    list_title = _l("Prevention institutions")
    show_title = _l("Prevention institution")
    add_title = _l("Add prevention institution")
    edit_title = _l("Edit prevention institution")
    label_columns = {
        "name": _l("Name"), "org_unit": _l("District/county"), "kind": _l("Type"),
        "credit_code": _l("Unified social credit code"), "qualification": _l("Qualification or filed items"),
        "certificate_number": _l("Certificate number"), "valid_until": _l("Valid until"),
        "confirmation": _l("Capability confirmation"), "confirmed_on": _l("Confirmed on"),
        "served_township": _l("Township served"), "from_other_province": _l("From another province"),
        "quality_control_number": _l("Quality-control number"), "address": _l("Address"),
        "contact_person": _l("Contact person"), "phone": _l("Telephone"), "notes": _l("Notes"),
        "rating": _l("Risk colour"), "open_problems": _l("Problems not yet rectified"),
    }
    formatters_columns = {"rating": RATINGS.label}
    list_columns = ["name", "org_unit", "kind", "qualification", "valid_until", "rating", "open_problems"]
    list_loads = ("quality_controls", "problems_found")
    search_columns = ["name", "org_unit", "kind", "credit_code", "qualification", "valid_until",
                      "confirmation", "served_township", "from_other_province"]
    order_columns = ["name", "valid_until"]
    base_order = ("name", "asc")
    add_fieldsets = edit_fieldsets = [
        (_l("Institution"), {"fields": ["name", "org_unit", "kind", "credit_code", "address",
                                        "contact_person", "phone", "served_township"]}),
        (_l("Qualification"), {"fields": ["qualification", "certificate_number", "valid_until",
                                          "confirmation", "confirmed_on", "from_other_province",
                                          "quality_control_number", "notes"]}),
    ]
    show_fieldsets = [*add_fieldsets, (_l("Quality"), {"fields": ["rating", "open_problems"]})]
    description_columns = {
        "served_township": _l("For a pneumoconiosis rehabilitation station: the township it serves"),
        "quality_control_number": _l("Institutions from other provinces take one in the city's system"),
        "rating": _l("Of the latest quality-control year"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "org_unit": DISTRICTS_ONLY, "served_township": TOWNSHIPS_ONLY}
    related_views = [InstitutionQualityControlView, InstitutionProblemView]


class PreventionInstitutionApi(ScopedApi):
    resource_name = "institution"
    datamodel = scoped(PreventionInstitution)
    class_permission_name = INSTITUTION
    list_columns = ["id", "name", "org_unit.id", "org_unit.name", "kind", "rating", "open_problems"]
    show_columns = ["id", "name", "org_unit.id", "kind", "credit_code", "qualification", "certificate_number",
                    "valid_until", "confirmation", "confirmed_on", "served_township.id",
                    "from_other_province", "quality_control_number", "address", "contact_person", "phone",
                    "rating", "notes"]
    add_columns = edit_columns = ["name", "org_unit", "kind", "credit_code", "qualification",
                                  "certificate_number", "valid_until", "confirmation", "confirmed_on",
                                  "served_township", "from_other_province", "quality_control_number",
                                  "address", "contact_person", "phone", "notes"]
    search_columns = ["name", "org_unit", "kind"]
