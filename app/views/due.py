"""The due and overdue lists: one page per list with paging and the subjects' links, and its xlsx."""
import io
from datetime import date

from flask import abort, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.models import OrgUnit, db
from app.reports.due import DUE_LISTS_BY_CODE, counts, page, rows, visible_lists
from app.reports.due_xlsx import due_list_workbook
from app.roles import REPORTS
from app.scoping import apply_scope, current_user_or_none

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def unit_in_scope(unit_id: str | None) -> OrgUnit:
    """The unit a list covers: the user's own by default, never one outside their subtree (404)."""
    if not unit_id:
        unit = current_user_or_none().org_unit
    elif unit_id.isdigit():
        unit = apply_scope(db.session.query(OrgUnit), OrgUnit).filter(OrgUnit.id == int(unit_id)).one_or_none()
    else:
        unit = None
    if unit is None:
        abort(404)
    return unit


def visible_list(code: str):
    due_list = DUE_LISTS_BY_CODE.get(code)
    if due_list is None or due_list not in visible_lists():
        abort(404)
    return due_list


class DueListsView(BaseView):
    route_base = "/due"
    class_permission_name = REPORTS
    method_permission_name = {"index": "read", "show": "read", "xlsx": "read"}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        unit, lists = unit_in_scope(request.args.get("unit")), visible_lists()
        return self.render_template("due/index.html", unit=unit, lists=lists, counts=counts(lists, unit),
                                    title=_l("Due and overdue lists"))

    @expose("/<code>")
    @has_access
    def show(self, code):
        due_list, unit = visible_list(code), unit_in_scope(request.args.get("unit"))
        total = counts([due_list], unit)[code]
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(request.args.get("page", 1, type=int), 1), pages)
        return self.render_template("due/list.html", due_list=due_list, unit=unit, total=total, number=number,
                                    pages=pages, rows=page(due_list, unit, number, PAGE_SIZE),
                                    title=due_list.name)

    @expose("/<code>/xlsx")
    @has_access
    def xlsx(self, code):
        due_list, unit = visible_list(code), unit_in_scope(request.args.get("unit"))
        content = due_list_workbook(due_list, f"{due_list.name} · {unit.name} · {date.today().isoformat()}",
                                    rows(due_list, unit), str(_l("Yes")), str(_l("No")))
        return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"{code}-{unit.code}-{date.today().isoformat()}.xlsx")


__all__ = ["DueListsView", "unit_in_scope"]
