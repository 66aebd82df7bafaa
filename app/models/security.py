"""Portal users: Flask-AppBuilder's user, placed in one org unit, with the account rules of 三员分立."""
from flask_appbuilder.security.sqla.models import Role, User
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, and_, event, false, inspect
from sqlalchemy.orm import Session, relationship

from app.models.audit import Audited
from app.models.base import Validated, db
from app.models.org import OrgUnit
from app.scoping import current_user_or_none, in_scope


def full_name(first_name: str | None, last_name: str | None) -> str:
    """One name from a first and a last name: family name first for a Chinese name (张 + 三 = 张三), in
    the given-name-first order of its source for a Latin one (as a directory sign-in may give it)."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"


class PortalUser(Validated, Audited, User):
    """A Chinese user has one 姓名 (``name``). Flask-AppBuilder's first and last name stay, kept in step
    with it (``clean``): its sign-in and directory code read and write them."""

    __tablename__ = "ab_user"
    picker_columns = ("name", "username")
    # A hash; FAB's names, which repeat the name; and what sign-ins, failed sign-ins and sign-outs move:
    # they are audit events of their own (app.security_policy), not changes to the account.
    unaudited_columns = ("password", "first_name", "last_name", "session_generation", "last_login",
                         "login_count", "fail_login_count")

    name = Column(String(64), nullable=False, server_default="")
    org_unit_id = Column(Integer, ForeignKey("org_unit.id"), index=True)
    org_unit = relationship(OrgUnit)
    display_columns = ("name",)  # what __repr__ reads, for exports in SQL (app.exports)
    # Stored in the signed session and in JWT claims at sign-in and compared on every request: moving it
    # ends every session and token of the user at once (see _end_sessions).
    session_generation = Column(Integer, nullable=False, default=0, server_default="0")
    # A password someone else set (a new account, a reset) is changed by the user at the next sign-in.
    password_must_change = Column(Boolean, nullable=False, default=False, server_default=false())

    def get_full_name(self) -> str:
        """What FAB shows of a user (the navbar, ``__repr__``: pickers, the review panel's 审核人)."""
        return self.name or self.username or ""

    def clean(self) -> None:
        """The portal's forms set the name, and FAB's first name carries it whole; FAB's own code (a
        directory sign-in, ``flask fab create-admin``) sets first and last name, and they make the name."""
        super().clean()
        names = inspect(self).attrs
        if self.name and (names.name.history.has_changes() or not self.first_name):
            self.first_name, self.last_name = self.name, ""
        elif not self.name or names.first_name.history.has_changes() or names.last_name.history.has_changes():
            self.name = full_name(self.first_name, self.last_name)

    @classmethod
    def scope_clause(cls, prefix: str):
        from app.models.org import subtree_ids
        from app.roles import ADMIN_ROLES, sees_admin_accounts

        in_units = cls.org_unit_id.in_(subtree_ids(prefix))
        if sees_admin_accounts():
            return in_units
        return and_(in_units, ~cls.roles.any(Role.name.in_(ADMIN_ROLES)))

    def problems(self) -> dict[str, str]:
        found = {}
        if self.org_unit is None:
            found["org_unit"] = _l("Every user belongs to one org unit")
        elif not in_scope(self.org_unit.path):
            found["org_unit"] = _l("This unit is outside your jurisdiction")
        editor = current_user_or_none()
        if editor is not None:  # CLI and seeding set up any account
            found.update(self._account_problems(editor))
        return found

    def _account_problems(self, editor) -> dict[str, str]:
        """三员分立: roles and the active flag change only by those who give roles, never one's own."""
        from app.roles import ADMIN_ROLES, assignable_roles

        allowed = assignable_roles()
        stored_roles, stored_active = self._stored_state()
        roles = {role.name for role in self.roles}
        changed = roles ^ stored_roles
        found = {}
        if changed:
            if self.id == editor.id:
                found["roles"] = _l("You may not change your own roles")
            elif changed - allowed:
                found["roles"] = _l("You may not assign: %(roles)s",
                                    roles="、".join(map(gettext, sorted(changed - allowed))))
            elif roles & set(ADMIN_ROLES) and len(roles) > 1:
                found["roles"] = _l("The system, security and audit admin roles are held alone, never with "
                                    "another role")
        if self.id is not None and bool(self.active) != bool(stored_active):
            if self.id == editor.id:
                found["active"] = _l("You may not deactivate or activate your own account")
            elif not allowed:
                found["active"] = _l("Accounts are activated and deactivated by whoever gives their roles")
        return found

    def _stored_state(self) -> tuple[set[str], bool | None]:
        """The roles and active flag as stored, before the change at hand. A form checks a transient copy
        of the record (app.views.base.checked_form) that carries the stored record's id."""
        state = inspect(self)
        if state.persistent:
            roles, active = state.attrs.roles.load_history(), state.attrs.active.load_history()
            return ({role.name for role in (*roles.unchanged, *roles.deleted)},
                    (*active.deleted, *active.unchanged, None)[0])
        stored = None
        if self.id is not None:
            with db.session.no_autoflush:
                stored = db.session.get(type(self), self.id)
        return (set(), None) if stored is None else ({role.name for role in stored.roles}, stored.active)

    def roles_hidden_from_editor(self) -> list[Role]:
        """The roles this user holds that the current user may not give: the role picker does not offer
        them, and a save keeps them."""
        from app.roles import assignable_roles

        allowed = assignable_roles() or set()
        with db.session.no_autoflush:
            stored = db.session.get(type(self), self.id) if self.id is not None else None
        return [role for role in (stored.roles if stored is not None else []) if role.name not in allowed]


@event.listens_for(Session, "before_flush")
def _end_sessions(session, flush_context, instances):
    """A password change or reset, a role change and a deactivation end every session and token of the
    user (sign-out moves the generation itself). A password set by someone else — a new account, a
    reset — must be changed by its user at the next sign-in; one the user sets is theirs."""
    editor = current_user_or_none()
    for user in session.new:
        if isinstance(user, PortalUser) and editor is not None:
            user.password_must_change = True
    for user in session.dirty:
        if not isinstance(user, PortalUser):
            continue
        state = inspect(user)
        password_changed = state.attrs.password.history.has_changes()
        if password_changed and editor is not None:
            user.password_must_change = editor.id != user.id
        deactivated = True in state.attrs.active.history.deleted and not user.active
        if password_changed or deactivated or state.attrs.roles.history.has_changes():
            user.session_generation = (user.session_generation or 0) + 1


def _role_label(role: Role) -> str:
    return gettext(role.name) if role.name else ""


def _assignable_scope(cls, prefix: str):
    from app.roles import assignable_roles

    allowed = assignable_roles()
    return None if allowed is None else cls.name.in_(sorted(allowed))


# Role names are stable English identifiers in the database; people read them in their language.
Role.__repr__ = _role_label
# A role picker (the only scoped use of roles) offers just the roles the current user may give.
Role.scope_clause = classmethod(_assignable_scope)
