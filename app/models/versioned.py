"""Safe concurrent editing (issue 7): a record that two users may open for editing at once carries a
version counter, so the second save of the same loaded state is refused instead of silently overwriting
the first. SQLAlchemy bumps the counter on every UPDATE and adds ``WHERE version = <loaded>`` to it; the
edit form and the REST API compare the version the user loaded with the stored one before writing
anything (``app.views.base``)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Integer, inspect
from sqlalchemy.orm import declared_attr

STALE_MESSAGE = _l("This record has been changed by another user; check the latest values and save again")
NO_VERSION_MESSAGE = _l("The save does not say which version of the record it was made on; load the record "
                        "again and save again")


class Versioned:
    """Mix into every business record with its own edit form (and API)."""

    version = Column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}

    def is_stale(self, loaded_version) -> bool:
        """Whether ``loaded_version`` (what a form or API client sent back) is not the stored version; a
        value that is no number counts as stale rather than as "no check"."""
        try:
            return int(loaded_version) != self.version
        except (TypeError, ValueError):
            return True

    def touch(self) -> None:
        """Move the version of a stored record although none of its own columns changed — what it holds
        (a patrol's checklist answers) was edited in its form — so that a save made on the old version is
        refused. Once until the next flush: the counter moves by one however much changes."""
        state = inspect(self)
        if state.persistent and not state.attrs.version.history.has_changes():
            self.version = self.version + 1


__all__ = ["NO_VERSION_MESSAGE", "STALE_MESSAGE", "Versioned"]
