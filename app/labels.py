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
    "is_branch": _l("Branch without legal-person status"), "parent": _l("Parent employer"),
    "branch_names": _l("Branches"), "parent_credit_code": _l("Parent employer's credit code"),
    "declaration_receipt_number": _l("Declaration receipt number"),
    "declaration_receipt_on": _l("Declaration receipt date"),
}

USER_LABELS = {  # beside Flask-AppBuilder's own labels of a user's fields
    "name": _l("Full name"), "org_unit": _l("Org unit"), "password": _l("Password"),
}
USER_DESCRIPTIONS = {  # instead of FAB's, which speak of LDAP and OpenID sign-in the portal does not offer
    "name": _l("The user's name as people read it, family name first, e.g. 张三"),
    "username": _l("What the user signs in with"),
    "email": _l("The user's e-mail address; the user may also sign in with it"),
    "active": _l("Lock an account instead of deleting it"),
    "password": _l("At least 8 characters, three of: upper-case, lower-case, digits, symbols; "
                   "not the user name"),
    "org_unit": _l("What the user sees and edits is bounded by this unit and the units below it"),
}

DICTIONARY_LABELS = {  # the fields of the code dictionaries
    "code": _l("Code"), "name": _l("Name"), "sort_order": _l("Sort order"), "active": _l("In use"),
    "parent": _l("Section"), "category": _l("Category"), "cas_number": _l("CAS number"),
    "catalogue": _l("Catalogue"),
}

# Flask-AppBuilder's own texts that its Chinese catalog leaves in English, named here so that they are in
# ours, which overrides FAB's: the search panel's filters and the list's add button (for screen readers).
FAB_TEXTS = (_l("In"), _l("Not In"), _l("Add"))

AUDIT_LABELS = {  # the fields of audit entries that no page of their record names
    "failures": _l("Failed sign-ins in a row"), "idle_minutes": _l("Minutes without activity"),
    "field": _l("Field shown in full"), "password_must_change": _l("Must change the password at next sign-in"),
    "groups": _l("Groups"), "last_detected_on": _l("Last detection"), "last_screened_on": _l("Last screening"),
    "last_patrolled_on": _l("Last patrol"), "patrol_id": _l("Patrol"), "item_number": _l("No."),
    "item_text": _l("Checklist item"), "asks_description": _l("Asks for a description"),
    "problem_if_present": _l("有 is the finding"), "answer": _l("Answer"), "note": _l("Notes"),
}
