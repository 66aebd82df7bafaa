"""The due and overdue lists: one page per list with paging and the subjects' links, and its xlsx."""
from datetime import date

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.models import OrgUnit, db
from app.reports.due import DUE_LISTS_BY_CODE, counts, page, rows, visible_lists
from app.reports.due_xlsx import FIRST_ROW, due_list_sheet
from app.roles import REPORTS
from app.scoping import apply_scope, current_user_or_none
from app.xlsx import SHEET_ROWS, TooManyRows, refused, send_workbook

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
        back = url_for(".show", code=code, **request.args)
        count = counts([due_list], unit)[code]
        if count > SHEET_ROWS - FIRST_ROW:
            return refused(TooManyRows(SHEET_ROWS - FIRST_ROW, count), back)
        title = f"{due_list.name} · {unit.name} · {date.today().isoformat()}"
        return send_workbook(lambda book: due_list_sheet(book, due_list, title, rows(due_list, unit)),
                             f"{code}-{unit.code}-{date.today().isoformat()}.xlsx", back)


__all__ = ["DueListsView", "unit_in_scope"]
