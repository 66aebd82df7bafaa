"""What a visit carries to the employer's register when it is saved."""
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from app.models.base import RecordInvalid
from app.models.fieldwork.patrol import Patrol
from app.models.fieldwork.screening import REGISTER_FIELDS, Screening


@event.listens_for(Session, "before_flush")
def carry_visits_to_the_register(session, flush_context, instances):
    """A screening updates the employer's register when the clerk asked (never silently); a patrol's
    production status becomes the employer's when it is the employer's latest patrol (Annex 3)."""
    for obj in list(session.new) + list(session.dirty):
        if obj in session.deleted:
            continue
        if isinstance(obj, Screening) and obj.update_register:
            obj.update_register = False
            obj.register_changes = obj.copy_to_register()
            problems = obj.employer.all_problems()
            if problems:
                fields = {source: field for field, source in REGISTER_FIELDS.items()}
                raise RecordInvalid({fields.get(key, key): message for key, message in problems.items()})
        elif isinstance(obj, Patrol) and obj.employer is not None and obj.production_status is not None:
            status_history = inspect(obj).attrs.production_status.history
            if obj.id is not None and not status_history.added:
                continue
            with session.no_autoflush:
                later = session.scalar(select(func.count(Patrol.id)).where(
                    Patrol.employer_id == obj.employer.id, Patrol.visit_date > obj.visit_date,
                    Patrol.id != (obj.id or 0)))
            if not later and obj.employer.production_status is not obj.production_status:
                obj.employer.production_status = obj.production_status
