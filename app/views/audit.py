"""The audit log: readable by the audit admin, writable by nobody. Personal values (ID and phone numbers)
are shown masked, old and new: the full value is on the record page, to those who may edit the record."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models import AuditLog, DuplicateNotice
from app.roles import AUDIT_LOG, DUPLICATE_NOTICE
from app.views.base import ScopedModelView, scoped


# Record types without a list page of their own.
OTHER_TITLES = {"PortalUser": _l("Users"), "PatrolAnswer": _l("Checklist answers")}


def entity_title(entity: str):
    """A record type as the portal names it (its list page's title), not as the code does."""
    titles = current_app.extensions.get("audit_entity_titles")
    if titles is None:
        titles = dict(OTHER_TITLES)
        for view in current_app.appbuilder.baseviews:
            model = getattr(getattr(view, "datamodel", None), "obj", None)
            if model is not None and getattr(view, "list_title", None):
                titles.setdefault(model.__name__, view.list_title)
        current_app.extensions["audit_entity_titles"] = titles
    return titles.get(entity, entity)


class AuditLogView(ScopedModelView):
    route_base = "/auditlog"
    datamodel = scoped(AuditLog)
    class_permission_name = AUDIT_LOG
    include_route_methods = {"list", "show"}
    list_title = show_title = _l("Audit log")
    label_columns = {"at": _l("Time"), "username": _l("User"), "action_label": _l("Action"),
                     "action": _l("Action"), "entity": _l("Record type"), "record_id": _l("Record id"),
                     "record": _l("Record"), "changes_masked": _l("Changes (old → new)")}
    list_columns = ["at", "username", "action_label", "entity", "record_id", "record"]
    show_columns = ["at", "username", "action_label", "entity", "record_id", "record", "changes_masked"]
    search_columns = ["at", "username", "action", "entity", "record_id"]
    formatters_columns = {"entity": entity_title}
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
