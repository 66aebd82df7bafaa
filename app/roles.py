"""The roles of DOMAIN.md §1 (and the province tier's two), declared in code with least privilege.

Rights are given per permission name (a view's ``class_permission_name``) as a string of letters:
r = read (list, show, export), w = write (add, edit), d = delete, v = review (accept or return a
submitted record), a = account care (lock, unlock, reset another user's password), c = create (accounts:
the security admin edits them to give roles but never creates one). Menus follow read
rights (see ``menu_permissions``). System, security and audit admins are separate (三员分立): the system admin never
reads business data, the security admin only manages accounts, the audit admin only reads the audit log.
"""
from flask_babel import lazy_gettext as _l

from app.scoping import current_user_or_none

SYSTEM_ADMIN = "System admin"
SECURITY_ADMIN = "Security admin"
AUDIT_ADMIN = "Audit admin"
PROVINCE_ADMIN = "Province admin"
CITY_ADMIN = "City admin"
DISTRICT_ADMIN = "District admin"
TOWNSHIP_CLERK = "Township clerk"
LEADER = "Leader"
PROVINCIAL_LEADER = "Provincial leader"

ROLE_LABELS = {
    SYSTEM_ADMIN: _l("System admin"), SECURITY_ADMIN: _l("Security admin"), AUDIT_ADMIN: _l("Audit admin"),
    PROVINCE_ADMIN: _l("Province admin"), CITY_ADMIN: _l("City admin"), DISTRICT_ADMIN: _l("District admin"),
    TOWNSHIP_CLERK: _l("Township clerk"), LEADER: _l("Leader"), PROVINCIAL_LEADER: _l("Provincial leader"),
}
# Below a province: a municipality's or a prefecture-level city's roles.
CITY_ROLES = (CITY_ADMIN, DISTRICT_ADMIN, TOWNSHIP_CLERK, LEADER)
BUSINESS_ROLES = (PROVINCE_ADMIN, PROVINCIAL_LEADER, *CITY_ROLES)
# 三员分立: each of these is held alone, never with another role.
ADMIN_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)

# Permission names of the views (one per entity, shared by its UI view and its REST API).
ORG_UNIT, EMPLOYER, DICTIONARY, AUDIT_LOG = "OrgUnit", "Employer", "Dictionary", "AuditLog"
REPORTS, USERS = "Reports", "Users"
SCREENING, PATROL, HAZARD_REPORT = "Screening", "Patrol", "HazardReport"
CHECKLIST_TEMPLATE, CLOSED_YEAR = "ChecklistTemplate", "ClosedYear"
ARCHIVE, PATIENT = "HealthArchive", "Patient"
COORDINATOR, TRAINING_ACTIVITY, SERVICE_PLAN = "Coordinator", "TrainingActivity", "ServicePlan"
DECLARATION_CANDIDATE, SME_ASSISTANCE, WORK_SUMMARY = "DeclarationCandidate", "SmeAssistance", "WorkSummary"
INSTITUTION = "PreventionInstitution"  # belongs to a district, not a township
SCORE_ADJUSTMENT = "ScoreAdjustment"  # Annex 6 deductions the district enters for its townships
DUPLICATE_NOTICE = "DuplicateNotice"  # registrations refused because another township holds the record
INDICATOR_TARGET = "IndicatorTarget"  # the city's indicator set and targets per year

# A township's records: clerks keep them, district and city admins oversee them, leaders read them.
TOWNSHIP_RECORDS = (EMPLOYER, ARCHIVE, PATIENT, COORDINATOR, TRAINING_ACTIVITY, SERVICE_PLAN,
                    DECLARATION_CANDIDATE, SME_ASSISTANCE, WORK_SUMMARY)
# Field work follows the submit/review workflow (v = review: accept, return, correct after submission).
FIELD_WORK = (SCREENING, PATROL)


def _each(names, letters: str) -> dict[str, str]:
    return {name: letters for name in names}


RIGHTS = {
    SYSTEM_ADMIN: {ORG_UNIT: "rwd", DICTIONARY: "rwd", USERS: "rcw", CHECKLIST_TEMPLATE: "rwd"},
    SECURITY_ADMIN: {USERS: "rwa"},
    AUDIT_ADMIN: {AUDIT_LOG: "r"},
    CITY_ADMIN: {ORG_UNIT: "rwd", DICTIONARY: "r", USERS: "rcw", **_each(TOWNSHIP_RECORDS, "rwd"),
                 **_each(FIELD_WORK, "r"), HAZARD_REPORT: "r", CHECKLIST_TEMPLATE: "r", CLOSED_YEAR: "rwd",
                 INSTITUTION: "rwd", REPORTS: "r", SCORE_ADJUSTMENT: "r", DUPLICATE_NOTICE: "r",
                 INDICATOR_TARGET: "rwd"},
    DISTRICT_ADMIN: {ORG_UNIT: "r", DICTIONARY: "r", USERS: "rcw", **_each(TOWNSHIP_RECORDS, "rwd"),
                     **_each(FIELD_WORK, "rwv"), HAZARD_REPORT: "rw", CHECKLIST_TEMPLATE: "r",
                     CLOSED_YEAR: "r", INSTITUTION: "rwd", REPORTS: "r", SCORE_ADJUSTMENT: "rwd",
                     DUPLICATE_NOTICE: "r"},
    TOWNSHIP_CLERK: {ORG_UNIT: "r", DICTIONARY: "r", **_each(TOWNSHIP_RECORDS, "rwd"),
                     **_each(FIELD_WORK, "rwd"), HAZARD_REPORT: "rwd", CHECKLIST_TEMPLATE: "r",
                     CLOSED_YEAR: "r", REPORTS: "r", SCORE_ADJUSTMENT: "r"},
    LEADER: {ORG_UNIT: "r", DICTIONARY: "r", **_each(TOWNSHIP_RECORDS, "r"), **_each(FIELD_WORK, "r"),
             HAZARD_REPORT: "r", CHECKLIST_TEMPLATE: "r", CLOSED_YEAR: "r", INSTITUTION: "r", REPORTS: "r",
             SCORE_ADJUSTMENT: "r"},
}
# The province tier holds what the city holds, over the province's cities (the unit's subtree bounds it).
RIGHTS[PROVINCE_ADMIN] = RIGHTS[CITY_ADMIN]
RIGHTS[PROVINCIAL_LEADER] = RIGHTS[LEADER]

# The roles each role may give or take away (a district admin only to users of its district's units, by
# scoping; a city admin never the province's roles). Those who give roles also activate and deactivate
# accounts. The system admin gives none: it manages accounts' other fields, so an account it creates can do
# nothing until a role is given.
ASSIGNABLE = {
    SECURITY_ADMIN: ADMIN_ROLES + BUSINESS_ROLES,
    PROVINCE_ADMIN: BUSINESS_ROLES,
    CITY_ADMIN: CITY_ROLES,
    DISTRICT_ADMIN: (DISTRICT_ADMIN, TOWNSHIP_CLERK, LEADER),
}

PERMISSIONS = {"r": ("can_read",), "w": ("can_write",), "d": ("can_delete",), "a": ("can_account",),
               "v": ("can_review",), "c": ("can_create",)}
# Who sees (and so may edit) the accounts of the three admins; business admins see business users only.
ADMIN_ACCOUNT_KEEPERS = (SYSTEM_ADMIN, SECURITY_ADMIN)
# Every signed-in user may read and edit their own profile and change their own password.
SELF_SERVICE = [
    ("UserInfoEditView", "can_this_form_get"), ("UserInfoEditView", "can_this_form_post"),
    ("ResetMyPasswordView", "can_this_form_get"), ("ResetMyPasswordView", "can_this_form_post"),
    (USERS, "can_userinfo"), (USERS, "can_resetmypassword"), (USERS, "can_userinfoedit"),
]
SECURITY_ADMIN_EXTRA = [
    ("ResetPasswordView", "can_this_form_get"), ("ResetPasswordView", "can_this_form_post"),
]


def fab_roles() -> dict[str, list[tuple[str, str]]]:
    """FAB_ROLES: (view name pattern, permission pattern) pairs, matched from the start of the name."""
    roles = {}
    for role, rights in RIGHTS.items():
        pairs = [(f"{name}$", permission) for name, letters in rights.items()
                 for letter in letters for permission in PERMISSIONS[letter]]
        roles[role] = [(f"{view}$", f"{permission}$") for view, permission in SELF_SERVICE] + pairs
    roles[SECURITY_ADMIN] += [(f"{view}$", f"{permission}$") for view, permission in SECURITY_ADMIN_EXTRA]
    return roles


def menu_permissions(menu) -> dict[str, list[tuple[str, str]]]:
    """menu_access for every menu item whose view a role may open (read, or the ``menu_right`` letter a
    view declares), and for the item's category."""
    found = {role: [] for role in RIGHTS}
    for category in menu.get_list():
        for item in category.childs:
            permission = getattr(item.baseview, "class_permission_name", item.name)
            needed = getattr(item.baseview, "menu_right", "r")
            for role, rights in RIGHTS.items():
                if needed in rights.get(permission, ""):
                    found[role] += [(f"{item.name}$", "menu_access$"), (f"{category.name}$", "menu_access$")]
    return found


def role_names(user) -> set[str]:
    return {role.name for role in getattr(user, "roles", [])}


def sees_admin_accounts() -> bool:
    """Whether the current user sees the three admins' accounts (outside a request: yes)."""
    user = current_user_or_none()
    return user is None or bool(role_names(user) & set(ADMIN_ACCOUNT_KEEPERS))


def assignable_roles() -> set[str] | None:
    """The roles the current user may give; None outside a request (CLI and seeding give any)."""
    user = current_user_or_none()
    if user is None:
        return None
    return {name for role in role_names(user) for name in ASSIGNABLE.get(role, ())}
