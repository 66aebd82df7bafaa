"""The audit trail: who changed which record when, old → new. Written by session events, read-only."""
from datetime import datetime
from typing import NamedTuple

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, DateTime, Integer, String, event, inspect
from sqlalchemy.orm import Session, relationship

from app.models.base import Model
from app.models.personal import masked_changes
from app.scoping import current_user_or_none

ACTIONS = {"create": _l("Create"), "update": _l("Update"), "delete": _l("Delete")}  # others may add theirs
ACTIONS["view_personal"] = _l("View personal data")  # a full ID or phone number shown (app/views/personal_data.py)
ACTIONS["duplicate_elsewhere"] = _l("Registered again outside the jurisdiction")  # app/models/duplicate_notice.py


class Change(NamedTuple):
    """One field of an audit entry: old → new, as stored (a link as the linked record's id)."""

    entity: str
    field: str
    old: object
    new: object


class AuditLog(Model):
    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=datetime.now, index=True)
    user_id = Column(Integer, index=True)
    username = Column(String(128))
    action = Column(String(20), nullable=False)
    entity = Column(String(50), nullable=False, index=True)
    record_id = Column(Integer, index=True)
    record = Column(String(200))
    changes = Column(JSON)  # {field: [old, new]}
    address = Column(String(45))  # the client's; failed sign-ins are throttled per account and address
    # The account as it is now (its name may have changed since; a deleted one is gone: the username stays).
    user = relationship("PortalUser", primaryjoin="foreign(AuditLog.user_id) == PortalUser.id", viewonly=True)

    @property
    def action_label(self):
        return ACTIONS.get(self.action, self.action)

    @property
    def user_label(self) -> str:
        """Who did it: the user's name and, to tell namesakes apart, the user name."""
        if self.user is None or not self.user.name:
            return self.username or ""
        return f"{self.user.name}（{self.username}）"

    @property
    def change_list(self) -> list[Change]:
        """The changes, one field each, with ID and phone numbers masked as in every list."""
        return [Change(self.entity, field, *(values if isinstance(values, list) and len(values) == 2
                                             else (None, values)))
                for field, values in self.changes_masked.items()]

    @property
    def changes_masked(self) -> dict:
        """The changes as the audit log shows them: ID and phone numbers masked, as in every list."""
        return masked_changes(self.entity, self.changes)


class Audited:
    """Mix into a model to have every insert, update and delete written to the audit log, with its
    columns and its many-to-many links (e.g. a user's roles)."""

    unaudited_columns = ("password",)  # never keep password hashes in the log


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == "create":
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = [None, _plain(value)]
        elif action == "delete":
            changes[attr.key] = [_plain(getattr(obj, attr.key)), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    for rel in state.mapper.relationships:
        if rel.secondary is not None:
            changes.update(_link_changes(state.attrs[rel.key].history, rel.key, action))
    for key in obj.unaudited_columns:
        changes.pop(key, None)
    return changes


def _link_changes(history, key: str, action: str) -> dict:
    """A many-to-many link's change as [old, new] lists of the linked records' names."""
    if not history.has_changes() and action == "update":
        return {}
    old = sorted(str(getattr(item, "name", item)) for item in (*history.unchanged, *history.deleted))
    new = sorted(str(getattr(item, "name", item)) for item in (*history.unchanged, *history.added))
    old, new = (None if action == "create" else old), (None if action == "delete" else new)
    return {} if old == new or not (old or new) else {key: [old, new]}


def audit_row(action: str, obj, changes: dict | None = None) -> dict:
    """One audit entry for ``obj`` by the current user (None outside a request: CLI and seeding)."""
    user = current_user_or_none()
    return {
        "at": datetime.now(), "user_id": getattr(user, "id", None),
        "username": getattr(user, "username", None), "action": action,
        "entity": type(obj).__name__, "record_id": getattr(obj, "id", None),
        "record": str(obj)[:200], "changes": changes or {},
        "address": request.remote_addr if has_request_context() else None,
    }


def write_audit(session, action: str, obj, changes: dict | None = None) -> None:
    """Log an event that is not a row change (e.g. submit, accept, viewing a full ID number)."""
    session.execute(AuditLog.__table__.insert(), [audit_row(action, obj, changes)])


@event.listens_for(Session, "after_flush")
def _write_audit(session, flush_context):
    rows = []
    for action, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(audit_row(action, obj, changes))
    if rows:
        session.execute(AuditLog.__table__.insert(), rows)
