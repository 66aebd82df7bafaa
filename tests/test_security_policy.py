"""Login and session security (等保2.0 三级): password rules, lockout, idle timeout, audit of sign-in
events, security headers and CSRF."""
import re
import time
from datetime import datetime, timedelta

import pytest
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from app import create_app
from app.models import AuditLog, PortalUser, db
from app.security_policy import password_complexity
from config import TestConfig
from tests.conftest import PASSWORD, events, sign_in, signed_in

NEW_PASSWORD = "Neue#Pass99"


# Password complexity ---------------------------------------------------------------------------------

@pytest.mark.parametrize("password, message", [
    ("Ab1!xyz", "至少 8 个字符"),
    ("abcdefgh12", "大写字母、小写字母、数字、符号中至少三类"),
    ("ABCDEFGH!!", "大写字母、小写字母、数字、符号中至少三类"),
    ("Zhangsan#2026", "密码不得包含用户名"),
])
def test_weak_passwords_are_refused_with_the_reason(app, password, message):
    with app.test_request_context("/users/add", method="POST", data={"username": "zhangsan"}):
        with pytest.raises(PasswordComplexityValidationError, match=message):
            password_complexity(password)


@pytest.mark.parametrize("password", ["abcdef1!", "Abcdefg1", "ABCDEF1!x", "Wang.Li.2026"])
def test_passwords_with_three_kinds_of_character_are_accepted(app, password):
    with app.test_request_context("/users/add", method="POST", data={"username": "zhangsan"}):
        password_complexity(password)


@pytest.fixture
def complexity(app, monkeypatch):
    """TestConfig switches the check off for the other tests; these switch it on as in production."""
    monkeypatch.setitem(app.config, "FAB_PASSWORD_COMPLEXITY_ENABLED", True)


def test_a_user_cannot_set_a_weak_password_of_their_own(app, client, user, complexity):
    uid = user("pwclerk")
    sign_in(client, "pwclerk")
    response = client.post("/resetmypassword/form", data={"old_password": PASSWORD, "password": "pwclerk2026A",
                                                          "conf_password": "pwclerk2026A"})
    assert response.status_code == 200 and "密码不得包含用户名" in response.text
    with app.app_context():
        assert check_password_hash(db.session.get(PortalUser, uid).password, PASSWORD)
    assert events(app, uid, "password_change") == []

    response = client.post("/resetmypassword/form", data={"old_password": PASSWORD, "password": NEW_PASSWORD,
                                                          "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert check_password_hash(db.session.get(PortalUser, uid).password, NEW_PASSWORD)
    [change] = events(app, uid, "password_change")
    assert change.username == "pwclerk"


def test_the_security_admin_resets_only_to_a_strong_password(app, login, user, complexity):
    uid = user("pwreset")
    client = login("secadmin")
    response = client.post(f"/resetpassword/form?pk={uid}", data={"password": "short1A", "conf_password": "short1A"})
    assert "至少 8 个字符" in response.text
    assert events(app, uid, "password_change") == []
    client.post(f"/resetpassword/form?pk={uid}", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    [change] = events(app, uid, "password_change")
    assert change.username == "secadmin"


def test_a_new_user_needs_a_strong_password(app, login, city, complexity):
    client = login("sysadmin")
    data = {"username": "pwnew", "name": "新用户", "email": "pwnew@demo.invalid",
            "org_unit": city.unit["a1"], "active": "y",
            "password": "password", "conf_password": "password"}
    response = client.post("/users/add", data=data)
    assert "大写字母、小写字母、数字、符号中至少三类" in response.text
    with app.app_context():
        assert db.session.scalar(select(PortalUser).where(PortalUser.username == "pwnew")) is None


def test_an_expired_password_must_be_changed_after_sign_in(app, client, user):
    uid = user("pwold", created_on=datetime.now() - timedelta(days=91))
    assert signed_in(sign_in(client, "pwold"))
    response = client.get("/employers/list/")
    assert response.status_code == 302 and "/resetmypassword/form" in response.headers["Location"]
    client.post("/resetmypassword/form", data={"old_password": PASSWORD, "password": NEW_PASSWORD,
                                               "conf_password": NEW_PASSWORD})
    assert client.get("/employers/list/").status_code == 200
    assert signed_in(sign_in(client, "pwold", NEW_PASSWORD))
    assert client.get("/employers/list/").status_code == 200
    assert len(events(app, uid, "password_change")) == 1


def test_a_password_younger_than_the_limit_is_kept(client, user):
    user("pwyoung", created_on=datetime.now() - timedelta(days=89))
    assert signed_in(sign_in(client, "pwyoung"))
    assert client.get("/employers/list/").status_code == 200


# Lockout ---------------------------------------------------------------------------------------------

def test_five_failures_lock_the_account_until_the_security_admin_unlocks_it(app, client, login, user):
    uid = user("locky")
    for _ in range(5):
        assert not signed_in(sign_in(client, "locky", "Wrong#2026"))
    assert len(events(app, uid, "login_failed")) == 5
    assert len(events(app, uid, "lockout")) == 1

    response = sign_in(client, "locky")
    assert not signed_in(response)
    assert "用户名或密码无效" in client.get(response.headers["Location"]).text  # as for any failure

    admin = login("secadmin")
    assert admin.get(f"/users/action/unlock/{uid}").status_code == 302
    assert len(events(app, uid, "unlock")) == 1
    assert signed_in(sign_in(client, "locky"))


def test_the_lockout_holds_when_signing_in_by_email_address(app, client, user):
    uid = user("lockmail")
    for attempt in range(5):  # failures by name and by address count together
        login_name = "lockmail" if attempt % 2 else "lockmail@demo.invalid"
        assert not signed_in(sign_in(client, login_name, "Wrong#2026"))
    assert len(events(app, uid, "lockout")) == 1
    for login_name in ("lockmail@demo.invalid", "lockmail"):
        response = sign_in(client, login_name)
        assert not signed_in(response)
        assert "用户名或密码无效" in client.get(response.headers["Location"]).text
    assert events(app, uid, "login") == []


def test_a_lockout_ends_by_itself_after_the_lockout_period(app, client, user):
    uid = user("lockwait")
    for _ in range(5):
        sign_in(client, "lockwait", "Wrong#2026")
    assert not signed_in(sign_in(client, "lockwait"))
    with app.app_context():
        db.session.execute(update(AuditLog).where(AuditLog.record_id == uid, AuditLog.action == "lockout")
                           .values(at=datetime.now() - timedelta(minutes=31)))
        db.session.commit()
    assert signed_in(sign_in(client, "lockwait"))


def test_failures_older_than_the_window_do_not_count(app, client, user):
    uid = user("lockold")
    for _ in range(4):
        sign_in(client, "lockold", "Wrong#2026")
    with app.app_context():
        db.session.execute(update(AuditLog).where(AuditLog.record_id == uid, AuditLog.action == "login_failed")
                           .values(at=datetime.now() - timedelta(minutes=16)))
        db.session.commit()
    sign_in(client, "lockold", "Wrong#2026")
    assert events(app, uid, "lockout") == []
    assert signed_in(sign_in(client, "lockold"))


def test_a_successful_sign_in_starts_the_count_again(app, client, user):
    uid = user("lockreset")
    for _ in range(4):
        sign_in(client, "lockreset", "Wrong#2026")
    assert signed_in(sign_in(client, "lockreset"))
    for _ in range(4):
        sign_in(client, "lockreset", "Wrong#2026")
    assert events(app, uid, "lockout") == []
    assert signed_in(sign_in(client, "lockreset"))


# Idle timeout and audit ------------------------------------------------------------------------------

def test_an_idle_session_goes_back_to_the_sign_in_page_and_the_audit_log_says_so(app, client, user):
    uid = user("idle")
    assert signed_in(sign_in(client, "idle"))
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 29 * 60
    assert client.get("/employers/list/").status_code == 200
    with client.session_transaction() as session:
        assert session.permanent
        session["seen_at"] = time.time() - 31 * 60
    response = client.get("/employers/list/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/employers/list/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert app.permanent_session_lifetime == timedelta(minutes=30)
    [ended] = events(app, uid, "idle_logout")
    assert ended.username == "idle" and ended.user_id == uid and ended.changes["idle_minutes"][1] == 31


def test_sign_in_failure_and_sign_out_are_in_the_audit_log(app, client, user):
    uid = user("audited")
    sign_in(client, "audited", "Wrong#2026")
    sign_in(client, "audited")
    client.get("/logout/")
    for action in ("login_failed", "login", "logout"):
        [entry] = events(app, uid, action)
        assert entry.username == "audited" and entry.user_id == uid


def test_the_audit_log_names_the_sign_in_events(app, login, user):
    user("auditnamed")
    sign_in(login("auditor"), "auditnamed", "Wrong#2026")
    page = login("auditor").get("/auditlog/list/?_flt_0_record=auditnamed").text
    assert "登录失败" in page


# Headers and CSRF ------------------------------------------------------------------------------------

def test_every_response_carries_the_security_headers(login):
    anonymous = login("clerka1").get("/logout/")
    for response in (anonymous, login("clerka1").get("/employers/list/")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    page = login("clerka1").get("/employers/list/")
    assert page.headers["Cache-Control"] == "no-store"
    assert "no-store" not in (anonymous.headers.get("Cache-Control") or "")


def test_inline_scripts_run_only_with_the_nonce_of_their_own_response(login):
    client = login("clerka1")
    nonces = []
    for path in ("/patrols/add", "/patrols/list/", "/employers/list/"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
        nonces.append(nonce)
        scripts = re.findall(r"<script([^>]*)>", response.text)
        assert scripts, path
        assert all(f'nonce="{nonce}"' in attributes for attributes in scripts), (path, scripts)
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", response.text), path  # no inline handlers
    assert len(set(nonces)) == len(nonces)  # a fresh nonce per response


def test_pages_load_no_script_or_style_from_another_origin(login):
    page = login("cityadmin").get("/employers/list/").text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources


@pytest.fixture
def csrf_app(database_url, city):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        WTF_CSRF_ENABLED = True

    return create_app(Config)


def test_a_post_without_the_form_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/login/", data={"username": "clerka1", "password": PASSWORD}).status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login/").text).group(1)
    response = client.post("/login/", data={"username": "clerka1", "password": PASSWORD, "csrf_token": token})
    assert signed_in(response)
