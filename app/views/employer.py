"""The employer register."""
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.labels import EMPLOYER_LABELS
from app.models import Employer
from app.roles import EMPLOYER
from app.views.base import ScopedApi, ScopedModelView, scoped

DICTIONARY_FIELDS = ("development_zone", "industry", "economic_type", "enterprise_size",
                     "registration_type", "risk_class", "production_status")
EMPLOYER_FIELDSETS = [
    (_l("Identification"), {"fields": ["name", "is_branch", "parent", "credit_code", "credit_code_pending",
                                       "organization_code", "development_zone"]}),
    (_l("Addresses"), {"fields": ["org_unit", "workplace_address", "registered_district",
                                  "registered_township", "registered_address", "postcode", "phone"]}),
    (_l("Enterprise"), {"fields": ["start_date", "registered_on", "industry", "legal_representative",
                                   "contact_person", "contact_phone", "economic_type", "registration_type",
                                   "enterprise_size", "annual_revenue", "products", "raw_materials"]}),
    (_l("Workers"), {"fields": ["total_workers", "female_workers", "outsourced_workers"]}),
    (_l("Occupational hazards"), {"fields": ["has_hazard", "risk_class", "hazard_declared", "declared_on",
                                             "declaration_receipt_number", "declaration_receipt_on",
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
    list_columns = ["archive_number", "name", "credit_code", "parent", "org_unit", "industry", "has_hazard",
                    "risk_class", "hazard_declared", "production_status"]
    search_columns = ["name", "credit_code", "archive_number", "is_branch", "org_unit", "industry", "has_hazard",
                      "risk_class", "hazard_declared", "production_status", "development_zone",
                      "enterprise_size"]
    order_columns = ["archive_number", "name", "credit_code"]
    base_order = ("archive_number", "asc")
    add_fieldsets = edit_fieldsets = EMPLOYER_FIELDSETS
    show_fieldsets = [
        (_l("Identification"), {"fields": ["archive_number", "name", "is_branch", "parent", "branch_names",
                                           "credit_code", "credit_code_pending", "organization_code",
                                           "development_zone"]}),
        (_l("Addresses"), {"fields": ["district", "org_unit", "workplace_address", "registered_district",
                                      "registered_township", "registered_address", "postcode", "phone"]}),
        (_l("Enterprise"), {"fields": ["start_date", "registered_on", "industry", "legal_representative",
                                       "contact_person", "contact_phone", "economic_type",
                                       "registration_type", "enterprise_size", "suggested_size",
                                       "annual_revenue", "products", "raw_materials"]}),
        EMPLOYER_FIELDSETS[3], EMPLOYER_FIELDSETS[4],
    ]
    description_columns = {
        "credit_code": _l("18 characters (GB 32100); tick 'not yet obtained' if the employer has none; "
                          "a branch left empty takes its parent's"),
        "organization_code": _l("9 characters, for an employer without a credit code"),
        "enterprise_size": _l("Left empty, the size given by the statistics rule is used"),
        "is_branch": _l("A unit without legal-person status whose parent has it (Annex 4 cover, note 3)"),
        "parent": _l("The branch's parent employer, not itself a branch; the branch gives its credit code"),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "org_unit": [["level", FilterEqual, "township"]],
        "parent": [["is_branch", FilterEqual, False]],
        **{field: [["active", FilterEqual, True]] for field in DICTIONARY_FIELDS},
    }


class EmployerApi(ScopedApi):
    resource_name = "employer"
    datamodel = scoped(Employer)
    class_permission_name = EMPLOYER
    list_columns = ["id", "archive_number", "name", "credit_code", "is_branch", "parent.id", "org_unit.id",
                    "org_unit.name", "has_hazard", "hazard_declared"]
    show_columns = ["id", "archive_number", "name", "is_branch", "parent.id", "credit_code", "credit_code_pending",
                    "organization_code", "org_unit.id", "workplace_address", "total_workers",
                    "female_workers", "outsourced_workers", "has_hazard", "hazard_declared", "declared_on",
                    "declaration_receipt_number", "declaration_receipt_on"]
    add_columns = edit_columns = ["name", "is_branch", "parent", "credit_code", "credit_code_pending",
                                  "organization_code", "org_unit", "workplace_address", "total_workers",
                                  "female_workers", "outsourced_workers", "has_hazard", "risk_class", "hazard_declared",
                                  "declared_on", "declaration_receipt_number", "declaration_receipt_on",
                                  "industry", "enterprise_size", "production_status"]
    search_columns = ["name", "credit_code", "archive_number", "org_unit"]
