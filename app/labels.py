"""Field labels that views, exports and imports share: declared once, below every layer that shows them
(imports never import views)."""
from flask_babel import lazy_gettext as _l

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
