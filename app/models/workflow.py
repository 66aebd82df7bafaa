"""The record workflow's rules (DOMAIN.md §3): draft → submitted (上报) → accepted by the district, or
returned with a reason; closed years; the deadlines behind "reported on time". One mechanism for every
entity that is submitted and reviewed: a model mixes in ``WorkflowRecord`` (or only ``YearLocked``); its
pages and API get the matching mixins from ``app.views.workflow``.

Who may do what comes from the rights table in ``app.roles`` (the same letters FAB's permissions use):
w writes drafts and submits, v reviews (accepts, returns and corrects). The rules are enforced here, in the
model layer, so the UI, the REST API and scripts all meet them.
"""
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import (Column, DateTime, ForeignKey, Integer, String, Text, case, event, func, inspect, select,
                        update)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Session, declared_attr, object_session, relationship
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.functions import FunctionElement

from app.models.audit import ACTIONS, Audited, write_audit
from app.models.base import Model, RecordInvalid, Validated, db
from app.models.versioned import STALE_MESSAGE
from app.roles import RIGHTS, role_names
from app.scoping import current_user_or_none, in_scope

DRAFT, SUBMITTED, ACCEPTED, RETURNED = "draft", "submitted", "accepted", "returned"
STATES = {DRAFT: _l("Draft"), SUBMITTED: _l("Submitted"), ACCEPTED: _l("Accepted"), RETURNED: _l("Returned")}
LOCKED_STATES = (SUBMITTED, ACCEPTED)  # read-only for whoever may not review
REPORTED_STATES = (SUBMITTED, ACCEPTED)
REVIEWED_STATES = (ACCEPTED, RETURNED)  # the states a review put the record in: only they carry one
SUBMIT, ACCEPT, RETURN = "submit", "accept", "return"
ACTIONS.update({SUBMIT: _l("Submit"), ACCEPT: _l("Accept"), RETURN: _l("Return")})
DEFAULT_DEADLINE_DAYS = 7
CLOSED_YEARS = "closed_years"  # Session.info key: the closed years, read once between flushes


def deadline_days() -> int:
    """Annex 1 / config REPORT_DEADLINE_DAYS: days a record (or a clue) may take to be reported."""
    if has_app_context():
        return int(current_app.config.get("REPORT_DEADLINE_DAYS", DEFAULT_DEADLINE_DAYS))
    return DEFAULT_DEADLINE_DAYS


class days_after(FunctionElement):
    """SQL for ``moment`` + ``days`` days as a timestamp, in SQLite's and PostgreSQL's dialects, so that
    "on time" is one comparison in a grouped report query."""

    type = DateTime()
    name = "days_after"
    inherit_cache = True


@compiles(days_after)
def _days_after_postgresql(element, compiler, **kw):
    moment, days = list(element.clauses)
    return f"({compiler.process(moment, **kw)} + make_interval(days => {compiler.process(days, **kw)}))"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw):
    moment, days = list(element.clauses)
    return f"datetime({compiler.process(moment, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def may(permission_name: str, letter: str) -> bool:
    """Whether the current user's roles give ``letter`` on ``permission_name`` (always, outside a request:
    the CLI and seeding)."""
    user = current_user_or_none()
    if user is None:
        return True
    return any(letter in RIGHTS.get(role, {}).get(permission_name, "") for role in role_names(user))


def stored_value(obj, key: str):
    """The value of ``key`` as the database holds it: before this request's change on a persistent row;
    on a new row (or a form's transient probe of one) the value it carries."""
    state = inspect(obj)
    if not state.persistent:
        return getattr(obj, key)
    history = state.attrs[key].history
    return history.deleted[0] if history.deleted else getattr(obj, key)


class ClosedYear(Validated, Audited, Model):
    """A year the city admin has closed (city-wide): its records are read-only until it is reopened
    (DOMAIN.md §3). Closing adds the row, reopening deletes it; both are in the audit log."""

    __tablename__ = "closed_year"

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, unique=True)
    closed_at = Column(DateTime, nullable=False, default=datetime.now)
    closed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    closed_by = relationship("PortalUser")

    def __repr__(self):
        return str(self.year or "")

    @classmethod
    def closed_among(cls, session, years) -> set[int]:
        """Which of ``years`` are closed. The closed years (a handful of rows) are read once between
        flushes: one save checks them several times (the form's probe, the flush, the workflow step)."""
        years = {year for year in years if year is not None}
        if not years:
            return set()
        if CLOSED_YEARS not in session.info:
            with session.no_autoflush:
                session.info[CLOSED_YEARS] = frozenset(session.scalars(select(cls.year)))
        return years & session.info[CLOSED_YEARS]

    def clean(self) -> None:
        super().clean()
        if self.closed_by is None and self.closed_by_id is None:
            self.closed_by = current_user_or_none()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.year is None:
            found["year"] = _l("Enter the year")
        elif not 2000 <= self.year <= date.today().year:
            found["year"] = _l("Only a year from 2000 to this year can be closed")
        else:
            with db.session.no_autoflush:
                taken = db.session.scalar(select(ClosedYear.id).where(
                    ClosedYear.year == self.year, ClosedYear.id != (self.id or 0)))
            if taken:
                found["year"] = _l("This year is already closed")
        return found


@event.listens_for(Session, "after_transaction_end")
def _closed_years_are_read_again(session, transaction):
    """At the end of a transaction, and of each flush (a flush is a subtransaction): a year closed or
    reopened in it counts at once."""
    session.info.pop(CLOSED_YEARS, None)


class YearLocked(Validated):
    """A record that belongs to the year of one of its dates (``year_field``) and is read-only, on every
    write path, while that year is closed — both the year it is in and the year it would move to."""

    year_field: str

    def _years(self) -> set[int]:
        return {value.year for value in (getattr(self, self.year_field), stored_value(self, self.year_field))
                if value is not None}

    def closed_year_problem(self):
        closed = ClosedYear.closed_among(object_session(self) or db.session, self._years())
        if closed:
            return _l("The year %(year)s is closed; its records are read-only", year=min(closed))
        return None

    def problems(self) -> dict[str, str]:
        found = super().problems()
        problem = self.closed_year_problem()
        if problem:
            found[self.year_field] = problem
        return found

    def edit_problem(self):
        """Why the current user may not change this record as it is stored, or None."""
        return self.closed_year_problem()

    def delete_problems(self) -> dict[str, str]:
        problem = self.closed_year_problem()
        return {self.year_field: problem} if problem else {}


class WorkflowRecord(YearLocked):
    """A record of an org unit (mix in ``InOrgUnit`` too) that is submitted (上报) and reviewed. Subclasses
    set ``permission_name`` (their rights entry) and ``year_field`` (the visit date: the record's year and
    the start of its deadline)."""

    permission_name: str

    state = Column(String(10), nullable=False, default=DRAFT, index=True)
    submitted_at = Column(DateTime)  # the latest submission
    reviewed_at = Column(DateTime)
    return_reason = Column(Text)

    @declared_attr
    def reviewed_by_id(cls):
        return Column(Integer, ForeignKey("ab_user.id"))

    @declared_attr
    def reviewed_by(cls):
        return relationship("PortalUser", foreign_keys=[cls.reviewed_by_id])

    @property
    def state_label(self):
        return STATES.get(self.state, self.state)

    @property
    def reviewed(self) -> bool:
        """Whether the record is in a state a review put it in (accepted or returned): only then do its
        review time, reviewer and reason say anything."""
        return self.state in REVIEWED_STATES

    @hybrid_property
    def on_time(self) -> bool:
        """Annex 6 上报率: submitted (and not since returned) before the end of the visit date + N days."""
        visited = getattr(self, self.year_field)
        if self.state not in REPORTED_STATES or self.submitted_at is None or visited is None:
            return False
        return self.submitted_at < datetime.combine(visited + timedelta(days=deadline_days() + 1),
                                                    datetime.min.time())

    @on_time.inplace.expression
    @classmethod
    def _on_time_expression(cls):
        visited = getattr(cls, cls.year_field)
        return cls.state.in_(REPORTED_STATES) & (cls.submitted_at < days_after(visited, deadline_days() + 1))

    @hybrid_property
    def on_time_shown(self) -> bool | None:
        """On time or late once submitted; nothing to say before."""
        return self.on_time if self.state in REPORTED_STATES else None

    @on_time_shown.inplace.expression
    @classmethod
    def _on_time_shown_expression(cls):
        return case((cls.state.in_(REPORTED_STATES), func.coalesce(cls.on_time, False)), else_=None)

    # --- who may change it -------------------------------------------------------------------------------

    def lock_problem(self):
        """Why the workflow keeps the current user from changing this record as stored, or None."""
        if stored_value(self, "state") in LOCKED_STATES and not may(self.permission_name, "v"):
            return _l("This record has been submitted and is read-only; ask the district to return it")
        return None

    def edit_problem(self):
        return self.lock_problem() or super().edit_problem()

    def problems(self) -> dict[str, str]:
        found = super().problems()
        problem = self.lock_problem()
        if problem:
            found["state"] = problem
        elif current_user_or_none() is not None:
            # A signed-in user moves a record between states only through the transitions below.
            if self.id is None and self.state not in (None, DRAFT):
                found["state"] = _l("A new record starts as a draft")
            elif inspect(self).persistent and inspect(self).attrs.state.history.has_changes():
                found["state"] = _l("Use submit, accept or return to change the state")
        return found

    def delete_problems(self) -> dict[str, str]:
        found = super().delete_problems()
        if stored_value(self, "state") in LOCKED_STATES and current_user_or_none() is not None:
            found["state"] = _l("A submitted record cannot be deleted")
        return found

    # --- transitions ---------------------------------------------------------------------------------------

    def transition_problem(self, name: str):
        """Why the current user may not ``submit``, ``accept`` or ``return`` this record now, or None."""
        letter, allowed_from = {SUBMIT: ("w", (DRAFT, RETURNED)), ACCEPT: ("v", (SUBMITTED,)),
                                RETURN: ("v", (SUBMITTED,))}[name]
        if not may(self.permission_name, letter) or not in_scope(self.org_unit.path):
            return _l("You may not do this")
        if self.state not in allowed_from:
            return _l("Not possible while the record is %(state)s", state=self.state_label)
        return self.closed_year_problem()

    def allowed_transitions(self) -> list[str]:
        return [name for name in (SUBMIT, ACCEPT, RETURN) if self.transition_problem(name) is None]

    def submission_problems(self) -> dict[str, str]:
        """What a record must have before it is submitted, beyond what a draft must (a patrol: a hazard
        report for each clue it found); none by default."""
        return {}

    def submit(self) -> None:
        self._check(SUBMIT)
        problems = self.all_problems() or self.submission_problems()
        if problems:
            raise RecordInvalid(problems)
        # A resubmitted record awaits a new review: the last one (its time, reviewer and reason) stays in
        # the audit log, in this step's old values and the return's, not on the record.
        self._move(SUBMIT, state=SUBMITTED, submitted_at=_now(), reviewed_at=None, reviewed_by_id=None,
                   return_reason=None)

    def accept(self) -> None:
        self._check(ACCEPT)
        self._move(ACCEPT, state=ACCEPTED, reviewed_at=_now(), reviewed_by_id=self._reviewer_id())

    def return_to_clerk(self, reason: str) -> None:
        self._check(RETURN)
        reason = (reason or "").strip()
        if not reason:
            raise RecordInvalid({"return_reason": _l("Say why the record is returned")})
        self._move(RETURN, state=RETURNED, reviewed_at=_now(), reviewed_by_id=self._reviewer_id(),
                   return_reason=reason)

    def _check(self, name: str) -> None:
        problem = self.transition_problem(name)
        if problem:
            raise RecordInvalid({"state": problem})

    @staticmethod
    def _reviewer_id():
        return getattr(current_user_or_none(), "id", None)

    def _move(self, name: str, **values) -> None:
        """One UPDATE and one audit entry named for the step (submit/accept/return) with old → new values,
        instead of the generic "update" the session would log. A versioned record (app.models.versioned)
        moves only from the version its checks were made on: a save or step of another user that got in
        between (the same instant: accept and return at once) refuses this one."""
        session = object_session(self)
        changes = {key: [_loggable(getattr(self, key)), _loggable(value)] for key, value in values.items()
                   if getattr(self, key) != value}
        table = type(self).__table__
        condition, bump = table.c.id == self.id, {}
        if "version" in table.c:
            condition, bump = condition & (table.c.version == self.version), {"version": table.c.version + 1}
        if session.execute(update(table).where(condition).values(**values, **bump)).rowcount != 1:
            raise RecordInvalid({"version": STALE_MESSAGE})
        for key, value in values.items():
            set_committed_value(self, key, value)
        session.expire(self, ["reviewed_by", *bump])
        write_audit(session, name, self, changes)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _loggable(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


@event.listens_for(Session, "before_flush")
def _refuse_locked_deletes(session, flush_context, instances):
    """Deletes go through the same rules as edits: nothing of a closed year, nothing submitted."""
    for obj in session.deleted:
        if isinstance(obj, YearLocked):
            problems = obj.delete_problems()
            if problems:
                raise RecordInvalid(problems)
