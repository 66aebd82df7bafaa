"""The patrol work register (Guizhou Annex 2) on screen, page by page, and as the printable xlsx."""
from datetime import date
from itertools import islice

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.models import TOWNSHIP, OrgUnit, db
from app.reports.register import patrol_count, patrol_register
from app.reports.register_xlsx import register_sheet
from app.roles import REPORTS
from app.scoping import apply_scope, current_user_or_none
from app.xlsx import send_workbook

PAGE_SIZE = 50
HEADERS = (_l("No."), _l("Place and content of the patrol"), _l("Main problems found"), _l("Date of patrol"),
           _l("Patroller"), _l("Remarks"))


def scoped_townships() -> list[OrgUnit]:
    """The townships the user may pick: those of their subtree."""
    return db.session.scalars(apply_scope(select(OrgUnit), OrgUnit).where(OrgUnit.level == TOWNSHIP)
                              .order_by(OrgUnit.path)).all()


def chosen_township() -> OrgUnit:
    """The township asked for (404 outside the user's subtree); by default the user's own, or the first."""
    asked = request.args.get("unit")
    if asked:
        if not asked.isdigit():
            abort(404)
        unit = apply_scope(db.session.query(OrgUnit), OrgUnit).filter(
            OrgUnit.id == int(asked), OrgUnit.level == TOWNSHIP).one_or_none()
        return unit or abort(404)
    own = current_user_or_none().org_unit
    if own is not None and own.level == TOWNSHIP:
        return own
    townships = scoped_townships()
    return townships[0] if townships else abort(404)


def chosen_year() -> int:
    text = request.args.get("year") or str(date.today().year)
    if not text.isdigit() or not 2000 <= int(text) <= date.today().year + 1:
        abort(400)
    return int(text)


def year_choices() -> list[int]:
    return list(range(date.today().year, date.today().year - 6, -1))


class PatrolRegisterView(BaseView):
    route_base = "/patrolregister"
    class_permission_name = REPORTS
    method_permission_name = {"register": "read", "register_xlsx": "read"}
    default_view = "register"

    @expose("/")
    @has_access
    def register(self):
        unit, year = chosen_township(), chosen_year()
        page = max(int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1, 1)
        count = patrol_count(unit.id, year)
        rows = list(islice(patrol_register(unit.id, year, offset=(page - 1) * PAGE_SIZE), PAGE_SIZE))
        return self.render_template(
            "reports/register.html", unit=unit, year=year, rows=rows, count=count, page=page,
            pages=max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1), townships=scoped_townships(),
            years=year_choices(), headers=HEADERS, title=_l("Patrol work register"))

    @expose("/register.xlsx")
    @has_access
    def register_xlsx(self):
        unit, year = chosen_township(), chosen_year()
        return send_workbook(lambda book: register_sheet(
            book, str(_l("Occupational-health supervision coordination: patrol work register")),
            str(_l("%(unit)s · year %(year)s", unit=unit.name, year=year)), [str(h) for h in HEADERS],
            patrol_register(unit.id, year)), f"patrol-register-{unit.id}-{year}.xlsx",
            url_for(".register", **request.args))


__all__ = ["PatrolRegisterView", "chosen_township", "chosen_year", "scoped_townships", "year_choices"]
