"""The audit log: readable by the audit admin, writable by nobody."""
from flask_babel import lazy_gettext as _l

from app.models import AuditLog
from app.roles import AUDIT_LOG
from app.views.base import ScopedModelView, scoped


class AuditLogView(ScopedModelView):
    route_base = "/auditlog"
    datamodel = scoped(AuditLog)
    class_permission_name = AUDIT_LOG
    include_route_methods = {"list", "show"}
    list_title = show_title = _l("Audit log")
    label_columns = {"at": _l("Time"), "username": _l("User"), "action_label": _l("Action"),
                     "action": _l("Action"), "entity": _l("Record type"), "record_id": _l("Record id"),
                     "record": _l("Record"), "changes": _l("Changes (old → new)")}
    list_columns = ["at", "username", "action_label", "entity", "record_id", "record"]
    show_columns = ["at", "username", "action_label", "entity", "record_id", "record", "changes"]
    search_columns = ["at", "username", "action", "entity", "record_id"]
    base_order = ("at", "desc")
    page_size = 50
