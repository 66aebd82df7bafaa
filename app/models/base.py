"""The declarative base, the session, and the one place write rules are enforced."""
from flask_appbuilder import Model
from flask_appbuilder.models.sqla.base import SQLA
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models.bounds import bound_problems

db = SQLA(model_class=Model)


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record):
    """SQLite checks foreign keys only when asked, per connection; PostgreSQL always does."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class RecordInvalid(Exception):
    """A write broke a model rule; ``problems`` maps field name → message (in Chinese)."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("；".join(f"{field}：{message}" for field, message in problems.items()))


class Validated:
    """A model whose write rules live in ``problems()``: forms, the REST API and imports all call it,
    and the session refuses to flush an instance that still has problems."""

    def problems(self) -> dict[str, str]:
        """The model's own rules, on values within their bounds."""
        return {}

    def all_problems(self) -> dict[str, str]:
        """What every write path checks: each value within its column's bound (``app.models.bounds``), then
        the model's rules — which never see a NaN, an overflowing count or a year-1 date."""
        return bound_problems(self) or self.problems()

    def another_has(self, **values) -> bool:
        """Whether another row of this model — in any township, whatever the user may see — already has
        these values: a uniqueness rule told next to the field before the database would refuse it."""
        return self.another_with(**values) is not None

    def another_with(self, **values):
        """That other row (for the rules to act on; whether the user may be told of it is theirs to decide)."""
        model = type(self)
        with db.session.no_autoflush:
            return db.session.scalars(select(model).where(
                *[getattr(model, name) == value for name, value in values.items()],
                model.id != (self.id or 0)).limit(1)).first()

    def clean(self) -> None:
        """Trim text; an empty optional text is no value (NULL), so uniqueness ignores blanks."""
        for column in self.__table__.columns:
            value = getattr(self, column.key, None) if column.key in self.__mapper__.c else None
            if isinstance(value, str):
                setattr(self, column.key, stored_text(value, column.nullable))


def stored_text(value: str, nullable: bool = True) -> str | None:
    """Text as a record stores it: trimmed, and an empty optional text is no value (NULL)."""
    value = value.strip()
    return None if value == "" and nullable else value


@event.listens_for(Session, "before_flush")
def _refuse_invalid_records(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Validated) and obj not in session.deleted:
            obj.clean()
            problems = obj.all_problems()
            if problems:
                raise RecordInvalid(problems)


__all__ = ["db", "Model", "RecordInvalid", "Validated", "_l"]
