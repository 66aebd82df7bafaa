"""Users (scoped like every record) and the security manager that puts them in org units."""
from flask import flash, g, redirect, session
from flask_appbuilder.actions import action
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models import PortalUser, db
from app.roles import USERS
from app.security_policy import (locked_until, password_expired, record_failure, write_user_event)
from app.views.base import VIEW_PERMISSIONS, ModelRulesInForms, RelationPickers, scoped


class PortalUserView(ModelRulesInForms, RelationPickers, UserDBModelView):
    datamodel = scoped(PortalUser)
    class_permission_name = USERS
    method_permission_name = {
        **VIEW_PERMISSIONS,
        "userinfo": "userinfo", "resetmypassword": "resetmypassword", "userinfoedit": "userinfoedit",
        "resetpasswords": "account", "lock": "account", "unlock": "account",
    }
    label_columns = {**UserDBModelView.label_columns, "org_unit": _l("Org unit")}
    description_columns = {
        **UserDBModelView.description_columns,
        "active": _l("Lock an account instead of deleting it"),
        "password": _l("At least 8 characters, three of: upper-case, lower-case, digits, symbols; "
                       "not the user name"),
        "org_unit": _l("What the user sees and edits is bounded by this unit and the units below it"),
    }
    list_columns = ["username", "first_name", "last_name", "org_unit", "roles", "active"]
    search_columns = ["username", "first_name", "last_name", "email", "org_unit", "roles", "active"]
    add_columns = ["username", "first_name", "last_name", "email", "org_unit", "roles", "active",
                   "password", "conf_password"]
    edit_columns = ["username", "first_name", "last_name", "email", "org_unit", "roles", "active"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "org_unit", "active", "roles", "login_count"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
        (_l("Audit Info"), {"fields": ["last_login", "fail_login_count", "created_on", "changed_on"]}),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "org_unit", "roles"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
    ]
    validators_columns = {}

    @action("lock", _l("Lock account"), _l("Lock the selected accounts?"), "fa-lock")
    def lock(self, items):
        return self._set_active(items, False, _l("Accounts locked"))

    @action("unlock", _l("Unlock account"), _l("Unlock the selected accounts?"), "fa-unlock")
    def unlock(self, items):
        return self._set_active(items, True, _l("Accounts unlocked"))

    def _set_active(self, items, active: bool, message):
        for user in items if isinstance(items, list) else [items]:
            user.active = active
            if active:
                user.fail_login_count = 0
                write_user_event("unlock", user)
        db.session.commit()
        flash(message, "success")
        return redirect(self.get_redirect())


class PortalSecurityManager(SecurityManager):
    user_model = PortalUser
    userdbmodelview = PortalUserView

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        # FAB gives the user view a plain interface; ours must be scoped before the view is built.
        self.userdbmodelview.datamodel = scoped(self.user_model)
        self._builtin_answers: dict[tuple[str, str, str], bool] = {}

    def get_user_by_id(self, pk):
        """The signed-in user of every request with their roles, groups and org unit in one query
        (FAB's lazy loads made it four)."""
        try:
            pk = int(pk)  # FAB's views pass the id from the URL as text
        except (TypeError, ValueError):
            return None
        user = self.user_model
        return db.session.scalar(
            select(user).where(user.id == pk).options(
                joinedload(user.roles), joinedload(user.groups).joinedload(Group.roles),
                joinedload(user.org_unit)))

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        """FAB matches the built-in roles' patterns (app.roles, fixed at start) on every menu item and
        button of every page; the answer for a role, permission and view never changes, so it is
        worked out once per process."""
        key = (role.name, permission_name, view_name)
        answer = self._builtin_answers.get(key)
        if answer is None:
            answer = self._builtin_answers[key] = super()._has_access_builtin_roles(
                role, permission_name, view_name)
        return answer

    def auth_user_db(self, username, password):
        """FAB's check, refused while the account is locked out after repeated failures."""
        # FAB signs in by username or by email address: the lockout holds for both.
        user = (self.find_user(username=username) or self.find_user(email=username)) if username else None
        if user is not None and locked_until(user) is not None:
            flash(_l("This account is locked after repeated failed sign-ins; ask the security admin "
                     "to unlock it or try again later"), "danger")
            return None
        return super().auth_user_db(username, password)

    def on_user_login(self, user) -> None:
        write_user_event("login", user)
        db.session.commit()
        if password_expired(user):
            session["password_expired"] = True

    def on_user_login_failed(self, user) -> None:
        record_failure(user)

    def on_user_logout(self, user) -> None:
        session.pop("password_expired", None)
        write_user_event("logout", user)
        db.session.commit()

    def reset_password(self, userid, password):
        super().reset_password(userid, password)
        write_user_event("password_change", self.get_user_by_id(userid))
        db.session.commit()
        if str(userid) == str(getattr(g.user, "id", None)):
            session.pop("password_expired", None)


__all__ = ["PortalSecurityManager", "PortalUserView"]
