"""A registration refused because another township already holds the same person (issue 12, finding 13).

The clerk is told neither that nor where the number is registered — by trying numbers they would learn who
is an occupational-disease patient somewhere in the city. The attempt is written to the audit log and
becomes a notice for the district admins of both townships, who may look into it (a move, a mistyped
number, or someone probing).
"""
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, or_, select
from sqlalchemy.orm import relationship

from app.models.audit import write_audit
from app.models.base import Model, db
from app.models.org import OrgUnit
from app.scoping import current_user_or_none


class DuplicateNotice(Model):
    __tablename__ = "duplicate_notice"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=datetime.now, index=True)
    entity = Column(String(50), nullable=False)  # the model, as the audit log names it
    record_id = Column(Integer, nullable=False)  # the record already registered
    record_unit_id = Column(Integer, ForeignKey("org_unit.id"), nullable=False, index=True)
    record_unit = relationship(OrgUnit, foreign_keys=[record_unit_id])
    requested_by = Column(String(128), nullable=False)
    requester_unit_id = Column(Integer, ForeignKey("org_unit.id"), nullable=False, index=True)
    requester_unit = relationship(OrgUnit, foreign_keys=[requester_unit_id])

    @classmethod
    def scope_clause(cls, prefix: str):
        """Seen in both townships' subtrees: the record's and the one that tried to register it again."""
        units = select(OrgUnit.id).where(OrgUnit.path.startswith(prefix))
        return or_(cls.record_unit_id.in_(units), cls.requester_unit_id.in_(units))


def note_duplicate_elsewhere(other) -> None:
    """Keep, for the end of the request, that the signed-in user tried to register again what ``other`` —
    outside their jurisdiction — holds. Written then in a transaction of its own (the
    refused write is rolled back), once per record and request: the checks may run more than once."""
    user = current_user_or_none()
    if user is None or not has_request_context():
        return
    pending = g.setdefault("duplicates_elsewhere", {})
    pending[(type(other), other.id)] = (user.username, user.org_unit_id, other.org_unit_id)


def write_duplicate_notices(response):
    """after_request: each attempt kept by ``note_duplicate_elsewhere`` as a notice and an audit entry."""
    pending = g.pop("duplicates_elsewhere", None)
    if pending:
        db.session.rollback()
        for (model, record_id), (username, requester_unit_id, record_unit_id) in pending.items():
            db.session.add(DuplicateNotice(entity=model.__name__, record_id=record_id, record_unit_id=record_unit_id,
                                           requested_by=username, requester_unit_id=requester_unit_id))
            write_audit(db.session, "duplicate_elsewhere", db.session.get(model, record_id))
        db.session.commit()
    return response
