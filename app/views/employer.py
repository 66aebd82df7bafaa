"""The employer register."""
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.models import Employer
from app.roles import EMPLOYER
from app.views.base import ScopedApi, ScopedModelView, scoped

DICTIONARY_FIELDS = ("development_zone", "industry", "economic_type", "enterprise_size",
                     "registration_type", "risk_class", "production_status")
EMPLOYER_LABELS = {
    "name": _l("Employer name"), "credit_code": _l("Unified social credit code"),
    "credit_code_pending": _l("Credit code not yet obtained"), "organization_code": _l("Organisation code"),
    "archive_number": _l("Archive number"), "development_zone": _l("Development zone/park"),
    "org_unit": _l("Township/street (workplace)"), "district": _l("District/county"),
    "workplace_address": _l("Workplace address (road and number)"),
    "registered_district": _l("Registered address: district"),
    "registered_township": _l("Registered address: township/street"),
    "registered_address": _l("Registered address: road and number"),
    "postcode": _l("Postcode"), "phone": _l("Telephone"), "start_date": _l("Start of production"),
    "registered_on": _l("Registered in the portal on"), "industry": _l("Industry"),
    "legal_representative": _l("Legal representative"), "contact_person": _l("Contact person"),
    "contact_phone": _l("Contact phone"), "total_workers": _l("Workers on duty: total"),
    "female_workers": _l("Of whom female"), "outsourced_workers": _l("Of whom outsourced (dispatched)"),
    "annual_revenue": _l("Operating revenue (10,000 yuan)"), "economic_type": _l("Economic type"),
    "enterprise_size": _l("Enterprise size"), "suggested_size": _l("Size by the statistics rule"),
    "registration_type": _l("Registration type"), "products": _l("Products"),
    "raw_materials": _l("Main raw and auxiliary materials"), "has_hazard": _l("Has occupational hazards"),
    "risk_class": _l("Hazard risk class"), "hazard_declared": _l("Hazard project declared"),
    "declared_on": _l("Declared on"), "production_status": _l("Production status"),
}
EMPLOYER_FIELDSETS = [
    (_l("Identification"), {"fields": ["name", "credit_code", "credit_code_pending", "organization_code",
                                       "development_zone"]}),
    (_l("Addresses"), {"fields": ["org_unit", "workplace_address", "registered_district",
                                  "registered_township", "registered_address", "postcode", "phone"]}),
    (_l("Enterprise"), {"fields": ["start_date", "registered_on", "industry", "legal_representative",
                                   "contact_person", "contact_phone", "economic_type", "registration_type",
                                   "enterprise_size", "annual_revenue", "products", "raw_materials"]}),
    (_l("Workers"), {"fields": ["total_workers", "female_workers", "outsourced_workers"]}),
    (_l("Occupational hazards"), {"fields": ["has_hazard", "risk_class", "hazard_declared", "declared_on",
                                             "production_status"]}),
]


class EmployerView(ScopedModelView):
    route_base = "/employers"
    datamodel = scoped(Employer)
    class_permission_name = EMPLOYER
    list_title = _l("Employers")
    show_title = _l("Employer")
    add_title = _l("Add employer")
    edit_title = _l("Edit employer")
    label_columns = EMPLOYER_LABELS
    list_columns = ["archive_number", "name", "credit_code", "org_unit", "industry", "has_hazard",
                    "risk_class", "hazard_declared", "production_status"]
    search_columns = ["name", "credit_code", "archive_number", "org_unit", "industry", "has_hazard",
                      "risk_class", "hazard_declared", "production_status", "development_zone",
                      "enterprise_size"]
    order_columns = ["archive_number", "name", "credit_code"]
    base_order = ("archive_number", "asc")
    add_fieldsets = edit_fieldsets = EMPLOYER_FIELDSETS
    show_fieldsets = [
        (_l("Identification"), {"fields": ["archive_number", "name", "credit_code", "credit_code_pending",
                                           "organization_code", "development_zone"]}),
        (_l("Addresses"), {"fields": ["district", "org_unit", "workplace_address", "registered_district",
                                      "registered_township", "registered_address", "postcode", "phone"]}),
        (_l("Enterprise"), {"fields": ["start_date", "registered_on", "industry", "legal_representative",
                                       "contact_person", "contact_phone", "economic_type",
                                       "registration_type", "enterprise_size", "suggested_size",
                                       "annual_revenue", "products", "raw_materials"]}),
        EMPLOYER_FIELDSETS[3], EMPLOYER_FIELDSETS[4],
    ]
    description_columns = {
        "credit_code": _l("18 characters (GB 32100); tick 'not yet obtained' if the employer has none"),
        "organization_code": _l("9 characters, for an employer without a credit code"),
        "enterprise_size": _l("Left empty, the size given by the statistics rule is used"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "org_unit": [["level", FilterEqual, "township"]],
        **{field: [["active", FilterEqual, True]] for field in DICTIONARY_FIELDS},
    }


class EmployerApi(ScopedApi):
    resource_name = "employer"
    datamodel = scoped(Employer)
    class_permission_name = EMPLOYER
    list_columns = ["id", "archive_number", "name", "credit_code", "org_unit.id", "org_unit.name",
                    "has_hazard", "hazard_declared"]
    show_columns = ["id", "archive_number", "name", "credit_code", "credit_code_pending",
                    "organization_code", "org_unit.id", "workplace_address", "total_workers",
                    "female_workers", "outsourced_workers", "has_hazard", "hazard_declared"]
    add_columns = edit_columns = ["name", "credit_code", "credit_code_pending", "organization_code",
                                  "org_unit", "workplace_address", "total_workers", "female_workers",
                                  "outsourced_workers", "has_hazard", "risk_class", "hazard_declared",
                                  "industry", "enterprise_size", "production_status"]
    search_columns = ["name", "credit_code", "archive_number", "org_unit"]
