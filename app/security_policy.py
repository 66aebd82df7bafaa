"""Login and session security (等保2.0 三级, application level): password complexity and expiry, throttling
of repeated failures, idle timeout, audit of sign-in events, security headers and CSRF.

Failed logins, lockouts, unlocks and password changes are audit-log rows (with the client's address), so
the lockout window and the password age are read from the log. A lockout holds for one account from one
address: failures typed from elsewhere never lock its owner out, and every failure answers alike."""
import re
import secrets
import time
from datetime import datetime, timedelta

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import func, or_, select
from werkzeug.middleware.proxy_fix import ProxyFix

from app.models import db
from app.models.audit import ACTIONS, AuditLog, audit_row

ACTIONS.update({
    "login": _l("Sign in"), "logout": _l("Sign out"), "login_failed": _l("Failed sign-in"),
    "lockout": _l("Account locked after failed sign-ins"), "unlock": _l("Account unlocked"),
    "password_change": _l("Password change"), "idle_logout": _l("Signed out after inactivity"),
})

DEFAULTS = {
    "PASSWORD_MIN_LENGTH": 8,
    "PASSWORD_MAX_AGE_DAYS": 90,
    "LOCKOUT_FAILURES": 5,
    "LOCKOUT_WINDOW_MINUTES": 15,
    "LOCKOUT_MINUTES": 30,
    "IDLE_TIMEOUT_MINUTES": 30,
}

# Scripts only from this origin, plus the inline blocks the portal itself writes: each carries this
# request's nonce (FAB's templates ask for ``csp_nonce()``), so an injected <script> or on…= handler does
# not run. Styles keep 'unsafe-inline': FAB's pages and select2 set style attributes, which cannot carry
# a nonce and run no code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)

CHARACTER_CLASSES = (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]")

# Pages a user who must change their password may still open: the change form itself, sign-out and assets.
EXPIRED_PASSWORD_ENDPOINTS = {"ResetMyPasswordView.this_form_get", "ResetMyPasswordView.this_form_post",
                              "AuthDBView.logout", "AuthDBView.login", "static", "appbuilder.static"}


def init_security(app: Flask) -> None:
    """Called from create_app before FAB starts (FAB exempts its API blueprints from CSRFProtect)."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", password_complexity)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"])
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    if app.config.get("TRUSTED_PROXIES"):
        # Behind the reverse proxy the client's address (lockouts, audit log) and scheme are its headers'.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config.get("WTF_CSRF_ENABLED", True):
        # Every POST needs the form's token; FAB then also refuses state changes by GET (its
        # is_get_mutation_allowed), so its delete and action links fall back to POST forms.
        CSRFProtect(app)
    app.before_request(_idle_timeout)
    app.before_request(_expired_password)
    app.after_request(_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce  # a global: FAB asks for it inside imported macros too


def csp_nonce() -> str:
    """This request's script nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def password_complexity(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: length, three character classes, not the username."""
    from flask import current_app

    password = password or ""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise PasswordComplexityValidationError(
            gettext("At least %(n)d characters", n=current_app.config["PASSWORD_MIN_LENGTH"]))
    if sum(1 for pattern in CHARACTER_CLASSES if re.search(pattern, password)) < 3:
        raise PasswordComplexityValidationError(
            gettext("Use at least three of: upper-case letters, lower-case letters, digits, symbols"))
    username = _username_for_password()
    if username and username.lower() in password.lower():
        raise PasswordComplexityValidationError(gettext("The password must not contain the user name"))


def _username_for_password() -> str | None:
    """Whose password is being set: the add-user form names it, a reset names the user by pk, else own."""
    from app.models import PortalUser

    if request.form.get("username"):
        return request.form["username"]
    if request.args.get("pk", type=int):
        user = db.session.get(PortalUser, request.args.get("pk", type=int))
        return user.username if user else None
    return current_user.username if current_user.is_authenticated else None


def write_user_event(action: str, user, changes: dict | None = None) -> None:
    """An audit row about ``user`` by ``user`` (at sign-in nobody is signed in yet)."""
    row = audit_row(action, user, changes)
    if row["user_id"] is None:
        row.update(user_id=user.id, username=user.username)
    db.session.execute(AuditLog.__table__.insert(), [row])


def _of_user(user):
    return (AuditLog.entity == type(user).__name__, AuditLog.record_id == user.id)


def _from_here():
    """Events of this client's address, or of any address (an unlock lifts every lockout)."""
    return or_(AuditLog.address == request.remote_addr, AuditLog.action == "unlock")


def _last_event(user, *actions: str, here: bool = False):
    conditions = [*_of_user(user), AuditLog.action.in_(actions), *([_from_here()] if here else [])]
    return db.session.scalar(select(func.max(AuditLog.at)).where(*conditions))


def locked_until(user) -> datetime | None:
    """When the lockout of this account from this client's address ends; None when it is not locked."""
    from flask import current_app

    locked_at = _last_event(user, "lockout", here=True)
    if locked_at is None:
        return None
    unlocked_at = _last_event(user, "unlock")
    if unlocked_at is not None and unlocked_at >= locked_at:
        return None
    until = locked_at + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    return until if until > datetime.now() else None


def record_failure(user) -> None:
    """Log a failed sign-in; the n-th failure from this address within the window (since the last success
    from it, or the last unlock) locks the account for this address."""
    from flask import current_app

    config = current_app.config
    write_user_event("login_failed", user)
    since = datetime.now() - timedelta(minutes=config["LOCKOUT_WINDOW_MINUTES"])
    reset = _last_event(user, "login", "unlock", "lockout", here=True)
    if reset is not None and reset > since:
        since = reset
    failures = db.session.scalar(select(func.count()).select_from(AuditLog).where(
        *_of_user(user), AuditLog.action == "login_failed", AuditLog.address == request.remote_addr,
        AuditLog.at > since))
    if failures >= config["LOCKOUT_FAILURES"]:
        write_user_event("lockout", user, {"failures": [None, failures]})
    db.session.commit()


def password_expired(user) -> bool:
    from flask import current_app

    changed = _last_event(user, "password_change") or user.created_on
    max_age = timedelta(days=current_app.config["PASSWORD_MAX_AGE_DAYS"])
    return changed is not None and datetime.now() - changed > max_age


def password_change_due(user) -> str | None:
    """Why the user must set a new password before anything else, or None."""
    if user.password_must_change:
        return "set_by_admin"
    return "expired" if password_expired(user) else None


PASSWORD_CHANGE_MESSAGES = {
    "expired": _l("Your password has expired; please set a new one"),
    "set_by_admin": _l("Your password was set by an administrator; please set one of your own"),
}


def _idle_timeout():
    """A session unused for longer than the idle timeout ends; the next page is the sign-in page.
    The cookie's own expiry does the same in the browser; this check also holds for a replayed cookie."""
    from flask import current_app

    if request.endpoint == "health":
        return None  # the load balancer's probe: no session, no cookie
    session.permanent = True
    now = time.time()
    seen = session.get("seen_at")
    session["seen_at"] = now
    if current_user.is_authenticated and seen is not None \
            and now - seen > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
        write_user_event("idle_logout", current_user._get_current_object(),
                         {"idle_minutes": [None, round((now - seen) / 60)]})
        db.session.commit()
        logout_user()
        session.clear()
        flash(gettext("Your session expired after a period of inactivity; please sign in again"), "warning")
        return redirect(url_for("AuthDBView.login"))
    return None


def _expired_password():
    reason = session.get("password_change_due")
    if reason and request.endpoint not in EXPIRED_PASSWORD_ENDPOINTS:
        flash(str(PASSWORD_CHANGE_MESSAGES[reason]), "warning")
        return redirect(url_for("ResetMyPasswordView.this_form_get"))
    return None


def _security_headers(response):
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY.format(nonce=csp_nonce()))
    json = response.mimetype == "application/json"
    if json or (current_user.is_authenticated and response.mimetype == "text/html"):
        # Pages and API answers carry personal data, the JWT login's answers tokens: no copy in the
        # browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
    return response
