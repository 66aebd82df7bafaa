"""The declarative base, the session, and the one place write rules are enforced."""
from flask_appbuilder import Model
from flask_appbuilder.models.sqla.base import SQLA
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

db = SQLA(model_class=Model)


class RecordInvalid(Exception):
    """A write broke a model rule; ``problems`` maps field name → message (in Chinese)."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("；".join(f"{field}：{message}" for field, message in problems.items()))


class Validated:
    """A model whose write rules live in ``problems()``: forms, the REST API and imports all call it,
    and the session refuses to flush an instance that still has problems."""

    def problems(self) -> dict[str, str]:
        return {}


@event.listens_for(Session, "before_flush")
def _refuse_invalid_records(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Validated) and obj not in session.deleted:
            problems = obj.problems()
            if problems:
                raise RecordInvalid(problems)


__all__ = ["db", "Model", "RecordInvalid", "Validated", "_l"]
