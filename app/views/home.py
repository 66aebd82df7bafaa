"""The home page: for a signed-in user, the count of each due list they may see and quick links for
their role; a township clerk also sees the newest records the district returned, with the reason. The
system, security and audit admins get their own admin links and no business counts (三员分立); anonymous
visitors are sent to the login page."""
from flask import redirect
from flask_appbuilder import IndexView, expose
from flask_babel import lazy_gettext as _l

from app.models.workflow import SUBMITTED, may
from app.reports.due import DUE_LISTS_BY_CODE, awaiting_review, counts, page, visible_lists
from app.roles import (AUDIT_ADMIN, CITY_ADMIN, DISTRICT_ADMIN, LEADER, PROVINCE_ADMIN, PROVINCIAL_LEADER, REPORTS,
                       SECURITY_ADMIN, SYSTEM_ADMIN, TOWNSHIP_CLERK, role_names)
from app.scoping import current_user_or_none

RETURNED_SHOWN = 20  # the newest returned records on a clerk's home page; the due list has them all
REVIEW = "review"  # a quick link that shows the count of submissions awaiting review
ROLLUP = (_l("Indicator rollup"), "ReportsView.rollup", {})
# Quick links per role: (label, endpoint, url arguments). A state is filtered by equality (FAB's filter 3 of
# a text column), which the (state, township, visit date) index serves; "starts with" (0) scans every row.
QUICK_LINKS = {
    TOWNSHIP_CLERK: [(_l("Add a patrol"), "PatrolView.add", {}), (_l("Add a screening"), "ScreeningView.add", {})],
    DISTRICT_ADMIN: [(_l("Screenings to review"), "ScreeningView.list", {"_flt_3_state": SUBMITTED}),
                     (_l("Patrols to review"), "PatrolView.list", {"_flt_3_state": SUBMITTED}), ROLLUP],
    PROVINCE_ADMIN: [ROLLUP],
    CITY_ADMIN: [ROLLUP],
    PROVINCIAL_LEADER: [ROLLUP],
    LEADER: [ROLLUP],
    SYSTEM_ADMIN: [(_l("Org units"), "OrgUnitView.list", {}), (_l("Users"), "PortalUserView.list", {}),
                   (_l("Checklist templates"), "ChecklistTemplateView.list", {})],
    SECURITY_ADMIN: [(_l("Users"), "PortalUserView.list", {})],
    AUDIT_ADMIN: [(_l("Audit log"), "AuditLogView.list", {})],
}


class HomeView(IndexView):
    @expose("/")
    def index(self):
        user = current_user_or_none()
        if user is None:
            return redirect(self.appbuilder.get_url_for_login)
        roles = role_names(user)
        links = [link for role in QUICK_LINKS if role in roles for link in QUICK_LINKS[role]]
        unit = user.org_unit
        lists = visible_lists() if unit is not None and may(REPORTS, "r") else []
        counted = counts(lists, unit) if lists else {}
        returned = DUE_LISTS_BY_CODE["returned"]
        returned_rows = (page(returned, unit, 1, RETURNED_SHOWN)
                         if TOWNSHIP_CLERK in roles and counted.get(returned.code) else [])
        return self.render_template(
            "home.html", unit=unit, lists=lists, counts=counted, links=links, returned=returned,
            returned_rows=returned_rows, returned_count=counted.get(returned.code, 0),
            to_review=awaiting_review(unit) if DISTRICT_ADMIN in roles else None, title=_l("Home"))


__all__ = ["HomeView"]
