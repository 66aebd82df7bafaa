"""The declaration-expansion database: candidates, their sources and verification."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from app.models import DeclarationCandidate
from app.roles import DECLARATION_CANDIDATE
from app.views.base import ScopedApi, scoped
from app.views.programme.base import TOWNSHIPS_ONLY, ProgrammeView


class DeclarationCandidateView(ProgrammeView):
    route_base = "/declarationcandidates"
    datamodel = scoped(DeclarationCandidate)
    class_permission_name = DECLARATION_CANDIDATE
    list_title = _l("Declaration expansion database")
    show_title = _l("Declaration-expansion candidate")
    add_title = _l("Add declaration-expansion candidate")
    edit_title = _l("Edit declaration-expansion candidate")
    label_columns = {
        "name": _l("Employer name"), "org_unit": _l("Township/street"),
        "credit_code": _l("Unified social credit code"), "address": _l("Address"), "industry": _l("Industry"),
        "contact_person": _l("Contact person"), "phone": _l("Telephone"), "source": _l("Source"),
        "source_detail": _l("Source details"), "found_on": _l("Found on"), "report_by": _l("Report by"),
        "reported_on": _l("Reported to the city CDC on"), "listed_on": _l("On the city's list on"),
        "verify_by": _l("Verify by"),
        "verified_on": _l("Verified on"), "outcome": _l("Verification outcome"),
        "employer": _l("Employer record"), "notes": _l("Notes"), "overdue": _l("Overdue"),
        "status": _l("Status"),
    }
    list_columns = ["name", "org_unit", "source", "found_on", "report_by", "verify_by", "status", "overdue",
                    "outcome", "employer"]
    search_columns = ["name", "org_unit", "credit_code", "industry", "source", "found_on", "report_by",
                      "reported_on", "listed_on", "verify_by", "verified_on", "outcome", "overdue", "employer"]
    order_columns = ["name", "found_on", "report_by", "verify_by", "verified_on"]
    base_order = ("found_on", "desc")
    add_fieldsets = edit_fieldsets = [
        (_l("Employer"), {"fields": ["name", "org_unit", "credit_code", "address", "industry",
                                     "contact_person", "phone"]}),
        (_l("Found"), {"fields": ["source", "source_detail", "found_on", "reported_on"]}),
        (_l("Verification"), {"fields": ["listed_on", "verified_on", "outcome", "employer", "notes"]}),
    ]
    show_fieldsets = [
        add_fieldsets[0],
        (_l("Found"), {"fields": ["source", "source_detail", "found_on", "report_by", "reported_on", "status"]}),
        (_l("Verification"), {"fields": ["listed_on", "verify_by", "verified_on", "outcome", "employer", "notes"]}),
    ]
    description_columns = {
        "found_on": _l("Chongqing Annex 2: report to the city CDC within one month of this date"),
        "listed_on": _l("The day the city's list naming the employer reached the district: verify within one "
                        "month of it"),
        "employer": _l("Once verified: the employer's record in the register"),
        "overdue": _l("Not reported a month after it was found, or not verified a month after the city's list"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"org_unit": TOWNSHIPS_ONLY}
    # ``overdue`` is computed in SQL (a column property): searchable as a flag, never a form field.
    search_form_extra_fields = {"overdue": BooleanField(_l("Overdue"))}


class DeclarationCandidateApi(ScopedApi):
    resource_name = "declarationcandidate"
    datamodel = scoped(DeclarationCandidate)
    class_permission_name = DECLARATION_CANDIDATE
    list_columns = ["id", "name", "org_unit.id", "org_unit.name", "source", "found_on", "report_by",
                    "reported_on", "listed_on", "verify_by", "verified_on", "outcome", "status", "employer.id"]
    show_columns = ["id", "name", "org_unit.id", "credit_code", "address", "industry.id", "contact_person",
                    "phone", "source", "source_detail", "found_on", "report_by", "reported_on", "listed_on",
                    "verify_by", "verified_on", "outcome", "status", "employer.id", "notes"]
    add_columns = edit_columns = ["name", "org_unit", "credit_code", "address", "industry", "contact_person",
                                  "phone", "source", "source_detail", "found_on", "reported_on", "listed_on",
                                  "verified_on", "outcome", "employer", "notes"]
    search_columns = ["name", "org_unit", "source", "found_on", "outcome", "overdue"]
