"""Users (scoped like every record, under 三员分立) and the security manager that puts them in org units
and holds sign-in, sessions and tokens to the portal's rules (app.security_policy)."""
from flask import abort, current_app, flash, g, redirect, request, session
from flask_appbuilder.actions import action
from flask_appbuilder.api import safe
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security import api as fab_api, views as fab_views
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from flask_appbuilder.security.views import UserDBModelView
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_appbuilder.views import expose
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField, ValidationError
from wtforms.validators import DataRequired

from app.labels import USER_DESCRIPTIONS, USER_LABELS
from app.models import PortalUser, RecordInvalid, db
from app.roles import USERS, assignable_roles
from app.security_policy import (PASSWORD_CHANGE_MESSAGES, locked_until, password_change_due, record_failure,
                                 write_user_event)
from app.views.base import VIEW_PERMISSIONS, DisplayFormatters, ModelRulesInForms, RelationPickers, scoped

SESSION_GENERATION = "session_generation"  # the user's generation when this session signed in


def keeping_what_the_editor_cannot_change(form_class):
    """An account form that keeps the roles the editor may not give (the picker does not offer them) and,
    for an editor who gives no roles, the active flag (the form does not show it)."""

    class AccountForm(form_class):
        def populate_obj(self, obj):
            hidden_roles, active = obj.roles_hidden_from_editor(), obj.active
            super().populate_obj(obj)
            obj.roles = [*obj.roles, *(role for role in hidden_roles if role not in obj.roles)]
            if not assignable_roles():
                obj.active = active

    AccountForm.__name__ = form_class.__name__
    return AccountForm


class PortalUserView(ModelRulesInForms, RelationPickers, UserDBModelView):
    datamodel = scoped(PortalUser)
    class_permission_name = USERS
    method_permission_name = {
        **VIEW_PERMISSIONS,
        "userinfo": "userinfo", "resetmypassword": "resetmypassword", "userinfoedit": "userinfoedit",
        "resetpasswords": "account", "lock": "account", "unlock": "account",
        "add": "create",  # the security admin edits accounts (roles) but never creates one
    }
    label_columns = {**UserDBModelView.label_columns, **USER_LABELS}
    description_columns = {**UserDBModelView.description_columns, **USER_DESCRIPTIONS}
    add_form_extra_fields = {
        "password": PasswordField(USER_LABELS["password"], description=USER_DESCRIPTIONS["password"],
                                  validators=[DataRequired(), PasswordComplexityValidator()],
                                  widget=BS3PasswordFieldWidget()),
        "conf_password": UserDBModelView.add_form_extra_fields["conf_password"],
    }
    formatters_columns = DisplayFormatters({"roles": lambda roles: "、".join(map(str, roles))})
    list_columns = ["username", "name", "org_unit", "roles", "active"]
    search_columns = ["username", "name", "email", "org_unit", "roles", "active"]
    add_columns = ["username", "name", "email", "org_unit", "roles", "active", "password", "conf_password"]
    edit_columns = ["username", "name", "email", "org_unit", "roles", "active"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "org_unit", "active", "roles", "login_count"]}),
        (_l("Personal Info"), {"fields": ["name", "email"], "expanded": True}),
        (_l("Audit Info"), {"fields": ["last_login", "fail_login_count", "created_on", "changed_on"]}),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "org_unit", "roles"]}),
        (_l("Personal Info"), {"fields": ["name", "email"], "expanded": True}),
    ]
    validators_columns = {}

    def _init_forms(self):
        super()._init_forms()
        self.add_form = keeping_what_the_editor_cannot_change(self.add_form)
        self.edit_form = keeping_what_the_editor_cannot_change(self.edit_form)

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        return super()._get_add_widget(form, [*(exclude_cols or []), *self._not_for_editor()], widgets)

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        return super()._get_edit_widget(form, [*(exclude_cols or []), *self._not_for_editor()], widgets)

    @staticmethod
    def _not_for_editor() -> list[str]:
        """The system admin neither gives roles nor (de)activates accounts: the form does not show them."""
        return [] if assignable_roles() else ["roles", "active"]

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
        try:
            db.session.commit()
        except RecordInvalid as refused:  # e.g. one's own account
            db.session.rollback()
            flash("；".join(map(str, refused.problems.values())), "danger")
        else:
            flash(message, "success")
        return redirect(self.get_redirect())


def _is_own_password(form, field):
    if not check_password_hash(g.user.password, field.data or ""):
        raise ValidationError(_l("The current password is not correct"))


def _is_new_password(form, field):
    if check_password_hash(g.user.password, field.data or ""):
        raise ValidationError(_l("The new password must differ from the current one"))


class ChangeOwnPasswordForm(ResetPasswordForm):
    old_password = PasswordField(_l("Current password"), validators=[DataRequired(), _is_own_password],
                                 widget=BS3PasswordFieldWidget())
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), PasswordComplexityValidator(), _is_new_password],
                             widget=BS3PasswordFieldWidget())


class OwnNameForm(DynamicForm):
    name = StringField(USER_LABELS["name"], validators=[DataRequired()], widget=BS3TextFieldWidget())


class UserInfoEditView(fab_views.UserInfoEditView):
    """One's own 姓名, in one field (FAB's name: same endpoints and rights; FAB asks first and last name)."""

    form = OwnNameForm
    form_title = _l("Edit your name")
    message = _l("Your name is saved")


class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    """One's own password, changed after giving the current one (FAB's name: same endpoints and rights)."""

    form = ChangeOwnPasswordForm
    form_columns = ["old_password", "password", "conf_password"]


class ResetPasswordView(fab_views.ResetPasswordView):
    """Another user's password, reset by the security admin; one's own is changed with the old one."""

    def form_post(self, form):
        user = self.appbuilder.sm.userdbmodelview.datamodel.get(request.args.get("pk"))
        if user is None or user.id == g.user.id:
            abort(404)
        return super().form_post(form)


class AuthDBView(fab_views.AuthDBView):
    """Sign-in (FAB's name: same endpoints) answering every failure alike, locked out or not."""

    invalid_login_message = _l("Invalid user name or password. After repeated failures, signing in to this "
                               "account from this computer pauses for a while; the security admin can lift "
                               "the pause")


class SecurityApi(fab_api.SecurityApi):
    """The JWT login under the web login's rules: the lockout (auth_user_db), and no token while the
    password must be changed — the change form is a web page, and a token could do nothing else."""

    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        response = super().login()
        reason = session.pop("password_change_due", None)
        if response.status_code == 200 and reason:
            return self.response(403, message=str(PASSWORD_CHANGE_MESSAGES[reason]))
        return response


class PortalSecurityManager(SecurityManager):
    user_model = PortalUser
    userdbmodelview = PortalUserView
    authdbview = AuthDBView
    resetmypasswordview = ResetMyPasswordView
    userinfoeditview = UserInfoEditView
    resetpasswordview = ResetPasswordView
    security_api = SecurityApi

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

    def load_user(self, pk):
        """The user of a signed-in session, unless the session began before the user's generation moved."""
        user = super().load_user(pk)
        if user is not None and session.get(SESSION_GENERATION) == user.session_generation:
            return user
        return None

    def create_jwt_manager(self, app):
        manager = super().create_jwt_manager(app)
        manager.additional_claims_loader(self._token_claims)
        return manager

    def _token_claims(self, identity) -> dict:
        return {SESSION_GENERATION: self.get_user_by_id(identity).session_generation}

    def load_user_jwt(self, _jwt_header, jwt_data):
        """The user of a token, unless it was issued before the user's generation moved."""
        user = self.get_user_by_id(jwt_data["sub"])
        if user is not None and user.is_active and jwt_data.get(SESSION_GENERATION) == user.session_generation:
            g.user = user
            return user
        return None

    def auth_user_db(self, username, password):
        """FAB's check, refused while the account is locked out from this address. Every failure looks
        alike — same message, and a password hash checked as long as for an unknown name — so a lockout
        does not tell that the name exists."""
        # FAB signs in by username or by email address: the lockout holds for both.
        user = (self.find_user(username=username) or self.find_user(email=username)) if username else None
        if user is not None and locked_until(user) is not None:
            check_password_hash(current_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"], password or "")
            return None
        return super().auth_user_db(username, password)

    def on_user_login(self, user) -> None:
        write_user_event("login", user)
        db.session.commit()
        session[SESSION_GENERATION] = user.session_generation
        session["password_change_due"] = password_change_due(user)

    def on_user_login_failed(self, user) -> None:
        record_failure(user)

    def on_user_logout(self, user) -> None:
        """Signing out ends every session and token of the user (a copied cookie included)."""
        session.pop("password_change_due", None)
        user.session_generation += 1
        write_user_event("logout", user)
        db.session.commit()

    def reset_password(self, userid, password):
        """Moves the user's generation (PortalUser's flush hook): their other sessions and tokens end; the
        session that changed its own password goes on."""
        super().reset_password(userid, password)
        user = self.get_user_by_id(userid)
        write_user_event("password_change", user)
        db.session.commit()
        if user.id == getattr(g.user, "id", None):
            session[SESSION_GENERATION] = user.session_generation
            session.pop("password_change_due", None)


__all__ = ["PortalSecurityManager", "PortalUserView"]
