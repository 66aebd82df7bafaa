"""The audit log: readable by the audit admin, writable by nobody. Personal values (ID and phone numbers)
are shown masked, old and new: the full value is on the record page, to those who may edit the record.
A change reads as a table of field → old → new, the fields named as the record's own pages name them."""
import re

from flask import current_app, render_template
from flask_appbuilder import ModelView
from flask_babel import gettext, lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import inspect

from app.labels import AUDIT_LABELS
from app.models import AuditLog, DuplicateNotice, db
from app.roles import AUDIT_LOG, DUPLICATE_NOTICE
from app.views.base import ScopedModelView, display, scoped

# Record types without a list page of their own.
OTHER_TITLES = {"PortalUser": _l("Users"), "PatrolAnswer": _l("Checklist answers")}
UNSHOWN_FIELDS = {"version"}  # a counter every save moves: nothing a person changed
TIME_WITH_FRACTION = re.compile(r"^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)\.\d+$")


def _models() -> dict[str, type]:
    return {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}


def _known(key: str, build):
    """What ``build`` makes once per application from the registered views (they do not change)."""
    known = current_app.extensions.get(key)
    if known is None:
        known = current_app.extensions[key] = build(current_app.appbuilder.baseviews)
    return known


def _entity_titles(views) -> dict:
    titles = dict(OTHER_TITLES)
    for view in views:
        model = getattr(getattr(view, "datamodel", None), "obj", None)
        if model is not None and getattr(view, "list_title", None):
            titles.setdefault(model.__name__, view.list_title)
    return titles


def entity_title(entity: str):
    """A record type as the portal names it (its list page's title), not as the code does."""
    return _known("audit_entity_titles", _entity_titles).get(entity, entity)


def _field_labels(views) -> dict[str, dict]:
    """{record type: {field: label}}: the labels the record's pages give (not those FAB makes up in English
    from a column's name), a link's key column named as the link, then the portal's shared labels."""
    labels: dict[str, dict] = {}
    for view in views:
        if not isinstance(view, ModelView):
            continue
        own = labels.setdefault(view.datamodel.obj.__name__, {})
        for column, label in view.label_columns.items():
            if label != view._prettify_column(column):
                own.setdefault(column, label)
    for name, model in _models().items():
        own = labels.setdefault(name, {})
        for link in inspect(model).relationships:
            for column in link.local_columns:
                if link.key in own and column.key != "id":
                    own.setdefault(column.key, own[link.key])
    return labels


def field_label(entity: str, field: str):
    return _known("audit_field_labels", _field_labels).get(entity, {}).get(field) or AUDIT_LABELS.get(field, field)


def _linked(entity: str, field: str):
    """The model a field's value is the id of (a link's key column), or None."""
    model = _models().get(entity)
    for link in inspect(model).relationships if model is not None else ():
        if any(column.key == field for column in link.local_columns) and link.direction.name == "MANYTOONE":
            return link.mapper.class_
    return None


def shown_value(entity: str, field: str, value):
    """A stored value as people read it: a linked record by its name, a list joined, a field by its label,
    a time to the second, 是/否 for a flag."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(gettext(str(item)) for item in value)  # a role's name is translated
    if field == "field":  # a personal field shown in full (app/views/personal_data.py)
        return field_label(entity, value)
    linked = _linked(entity, field)
    if linked is not None:
        record = db.session.get(linked, value)
        return str(record) if record is not None else f"#{value}"
    if isinstance(value, str) and TIME_WITH_FRACTION.match(value):
        return TIME_WITH_FRACTION.sub(r"\1", value)
    return display(value)


def change_table(changes) -> Markup:
    rows = [(field_label(change.entity, change.field), shown_value(change.entity, change.field, change.old),
             shown_value(change.entity, change.field, change.new))
            for change in changes if change.field not in UNSHOWN_FIELDS]
    return Markup(render_template("audit/changes.html", rows=rows))


class AuditLogView(ScopedModelView):
    route_base = "/auditlog"
    datamodel = scoped(AuditLog)
    class_permission_name = AUDIT_LOG
    include_route_methods = {"list", "show"}
    list_title = show_title = _l("Audit log")
    label_columns = {"at": _l("Time"), "username": _l("User"), "user_label": _l("User"),
                     "action_label": _l("Action"), "action": _l("Action"), "entity": _l("Record type"),
                     "record_id": _l("Record id"), "record": _l("Record"), "change_list": _l("Changes")}
    list_columns = ["at", "user_label", "action_label", "entity", "record_id", "record"]
    list_loads = ("user",)
    show_columns = ["at", "user_label", "action_label", "entity", "record_id", "record", "change_list"]
    search_columns = ["at", "username", "action", "entity", "record_id"]
    formatters_columns = {"entity": entity_title, "change_list": change_table}
    base_order = ("at", "desc")
    page_size = 50


class DuplicateNoticeView(ScopedModelView):
    """Registrations refused because another township holds the record (app/models/duplicate_notice.py),
    for the district admins of both townships."""

    route_base = "/duplicatenotices"
    datamodel = scoped(DuplicateNotice)
    class_permission_name = DUPLICATE_NOTICE
    include_route_methods = {"list", "show"}
    list_title = show_title = _l("Registrations refused outside the jurisdiction")
    label_columns = {"at": _l("Time"), "requested_by": _l("User"), "requester_unit": _l("Township of the user"),
                     "entity": _l("Record type"), "record_id": _l("Record id"),
                     "record_unit": _l("Township of the record")}
    list_columns = show_columns = ["at", "requested_by", "requester_unit", "entity", "record_id", "record_unit"]
    formatters_columns = {"entity": entity_title}
    base_order = ("at", "desc")
