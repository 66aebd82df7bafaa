"""Accounts and sessions under 三员分立 (issue 12, findings 1, 8, 9, 10 and the JWT answers of 15): who may
change whose roles, active flag and password, and how every session and token of a user ends at once."""
import time
from datetime import datetime, timedelta

import pytest
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.models import AuditLog, PortalUser, db
from app.roles import (AUDIT_ADMIN, CITY_ADMIN, DISTRICT_ADMIN, LEADER, SECURITY_ADMIN, SYSTEM_ADMIN,
                       TOWNSHIP_CLERK)
from config import Config
from tests.conftest import PASSWORD, events, sign_in, signed_in
from tests.test_scoping import option_values
from tests.versions import edit_form

NEW_PASSWORD = "Neue#Pass99"
GENERIC_FAILURE = "用户名或密码无效"


def user_id(app, username) -> int:
    with app.app_context():
        return db.session.scalar(select(PortalUser.id).where(PortalUser.username == username))


def role_id(app, name) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Role.id).where(Role.name == name)))


def roles_of(app, username) -> set[str]:
    with app.app_context():
        return {role.name for role in db.session.scalar(
            select(PortalUser).where(PortalUser.username == username)).roles}


def active(app, username) -> bool:
    with app.app_context():
        return db.session.scalar(select(PortalUser.active).where(PortalUser.username == username))


def client_of(app, username):
    """A browser of its own, signed in as ``username``."""
    client = app.test_client()
    assert signed_in(sign_in(client, username)), username
    return client


def save_account(client, uid, **changes):
    """Open the user's edit form and post it as a browser would, with these fields changed."""
    form = edit_form(client, f"/users/edit/{uid}")
    form.update(changes)
    return client.post(f"/users/edit/{uid}", data=form)


def new_account(username, unit_id, roles=(), password=NEW_PASSWORD) -> dict:
    return {"username": username, "name": "新用户", "email": f"{username}@demo.invalid",
            "org_unit": str(unit_id), "roles": list(roles), "active": "y",
            "password": password, "conf_password": password}


def jwt_login(client, username, password=PASSWORD, **kwargs):
    return client.post("/api/v1/security/login",
                       json={"username": username, "password": password, "provider": "db", "refresh": True},
                       **kwargs)


def bearer(token) -> dict:
    return {"Authorization": f"Bearer {token}"}


# Finding 1: 三员分立 on accounts ----------------------------------------------------------------------

def test_the_city_admin_neither_sees_nor_edits_the_three_admins(app, login):
    client = login("cityadmin")
    page = client.get("/users/list/?psize_PortalUserView=100").text
    assert "clerka1" in page and "districta" in page
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert f">{admin}<" not in page, admin
    auditor = user_id(app, "auditor")
    assert client.get(f"/users/edit/{auditor}").status_code == 404
    assert client.post(f"/users/edit/{auditor}", data={"username": "auditor", "roles": [role_id(app, LEADER)]}
                       ).status_code == 404
    assert active(app, "auditor") and roles_of(app, "auditor") == {AUDIT_ADMIN}
    assert login("auditor").get("/auditlog/list/").status_code == 200


def test_the_system_admin_cannot_give_itself_or_anyone_a_role(app, login, user):
    clerk = user("sysgives")
    client = login("sysadmin")
    me = user_id(app, "sysadmin")
    save_account(client, me, roles=[role_id(app, SYSTEM_ADMIN), role_id(app, CITY_ADMIN)])
    save_account(client, me, roles=[role_id(app, r) for r in (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)])
    assert roles_of(app, "sysadmin") == {SYSTEM_ADMIN}
    assert client.get("/patients/list/").status_code == 403
    assert client.get("/auditlog/list/").status_code == 403

    save_account(client, clerk, roles=[role_id(app, CITY_ADMIN)])
    assert roles_of(app, "sysgives") == {TOWNSHIP_CLERK}


def test_the_system_admin_corrects_an_account_and_the_user_keeps_the_roles_it_cannot_see(app, login, user):
    """The role picker offers only roles the editor may give; a save keeps the others the user holds."""
    auditor = user("auditkeep", role=AUDIT_ADMIN, unit="city")
    client = login("sysadmin")
    assert save_account(client, auditor, email="auditkeep@new.invalid").status_code == 302
    with app.app_context():
        kept = db.session.get(PortalUser, auditor)
        assert kept.email == "auditkeep@new.invalid" and {r.name for r in kept.roles} == {AUDIT_ADMIN}
        assert kept.active


def test_the_system_admin_creates_an_account_that_has_no_role_and_must_change_its_password(app, login, city):
    client = login("sysadmin")
    form = client.get("/users/add").text
    assert 'name="roles"' not in form and 'name="password"' in form
    response = client.post("/users/add", data=new_account("sysmade", city.unit["a1"],
                                                           roles=[role_id(app, CITY_ADMIN)]))
    assert response.status_code == 302
    assert roles_of(app, "sysmade") == set()  # only the security admin gives roles

    secadmin = client_of(app, "secadmin")
    assert save_account(secadmin, user_id(app, "sysmade"), roles=[role_id(app, CITY_ADMIN)]).status_code == 302
    assert roles_of(app, "sysmade") == {CITY_ADMIN}

    # Whoever signs in with the password the system admin chose can do nothing but change it.
    assert signed_in(sign_in(client, "sysmade", NEW_PASSWORD))
    response = client.get("/patients/list/")
    assert response.status_code == 302 and "/resetmypassword/form" in response.headers["Location"]
    assert client.get("/api/v1/employer/").status_code == 302


def test_nobody_changes_their_own_roles_or_active_flag(app, login):
    client = login("secadmin")
    me = user_id(app, "secadmin")
    response = save_account(client, me, roles=[role_id(app, SECURITY_ADMIN), role_id(app, CITY_ADMIN)])
    assert "不能修改自己的角色" in response.text
    assert roles_of(app, "secadmin") == {SECURITY_ADMIN}

    client = login("districta")
    me = user_id(app, "districta")
    form = edit_form(client, f"/users/edit/{me}")
    form.pop("active")
    response = client.post(f"/users/edit/{me}", data=form)
    assert "不能停用或启用自己的账户" in response.text
    assert active(app, "districta")
    client.get(f"/users/action/lock/{me}")
    assert active(app, "districta")


def test_the_three_admin_roles_are_held_alone(app, login, user):
    auditor = user("auditalone", role=AUDIT_ADMIN, unit="city")
    clerk = user("clerkalone")
    client = login("secadmin")
    response = save_account(client, auditor, roles=[role_id(app, AUDIT_ADMIN), role_id(app, LEADER)])
    assert "系统管理员、安全管理员、审计管理员角色不能与其他角色兼任" in response.text
    assert roles_of(app, "auditalone") == {AUDIT_ADMIN}
    save_account(client, clerk, roles=[role_id(app, TOWNSHIP_CLERK), role_id(app, SYSTEM_ADMIN)])
    assert roles_of(app, "clerkalone") == {TOWNSHIP_CLERK}
    assert save_account(client, clerk, roles=[role_id(app, LEADER)]).status_code == 302
    assert roles_of(app, "clerkalone") == {LEADER}


def test_a_district_admin_gives_only_business_roles_at_or_below_its_level(app, login, user):
    clerk = user("clerkpromo")
    client = login("districta")
    offered = option_values(client.get(f"/users/edit/{clerk}").data, "roles")
    assert offered == {role_id(app, r) for r in (DISTRICT_ADMIN, TOWNSHIP_CLERK, LEADER)}
    for forged in (CITY_ADMIN, SECURITY_ADMIN):
        save_account(client, clerk, roles=[role_id(app, TOWNSHIP_CLERK), role_id(app, forged)])
        assert roles_of(app, "clerkpromo") == {TOWNSHIP_CLERK}
    assert save_account(client, clerk, roles=[role_id(app, LEADER)]).status_code == 302
    assert roles_of(app, "clerkpromo") == {LEADER}


def test_the_security_admins_reset_password_must_be_changed_at_first_sign_in(app, client, login, user):
    uid = user("resetme")
    secadmin = login("secadmin")
    secadmin.post(f"/resetpassword/form?pk={uid}", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert signed_in(sign_in(client, "resetme", NEW_PASSWORD))
    response = client.get("/employers/list/")
    assert response.status_code == 302 and "/resetmypassword/form" in response.headers["Location"]
    client.post("/resetmypassword/form", data={"old_password": NEW_PASSWORD, "password": "Eigen#Pass77",
                                               "conf_password": "Eigen#Pass77"})
    assert client.get("/employers/list/").status_code == 200


def test_every_change_to_an_account_is_in_the_audit_log(app, login, user):
    uid = user("auditedacct")
    client = login("secadmin")
    save_account(client, uid, roles=[role_id(app, LEADER)])
    client.get(f"/users/action/lock/{uid}")
    with app.app_context():
        updates = list(db.session.scalars(select(AuditLog).where(
            AuditLog.entity == "PortalUser", AuditLog.record_id == uid, AuditLog.action == "update")
            .order_by(AuditLog.id)))
    assert any(entry.changes.get("roles") == [[TOWNSHIP_CLERK], [LEADER]] and entry.username == "secadmin"
               for entry in updates), [u.changes for u in updates]
    assert any(entry.changes.get("active") == [True, False] for entry in updates)


# Finding 8 and 15: the JWT login -------------------------------------------------------------------

def test_the_jwt_login_answers_no_store_and_its_token_works(app, user):
    user("jwtok")
    client = app.test_client()
    response = jwt_login(client, "jwtok")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    token = response.json["access_token"]
    listed = app.test_client().get("/api/v1/employer/", headers=bearer(token))
    assert listed.status_code == 200 and listed.headers["Cache-Control"] == "no-store"
    refreshed = client.post("/api/v1/security/refresh", headers=bearer(response.json["refresh_token"]))
    assert refreshed.status_code == 200 and refreshed.headers["Cache-Control"] == "no-store"


def test_the_jwt_login_refuses_an_expired_password(app, user):
    user("jwtold", created_on=datetime.now() - timedelta(days=91))
    response = jwt_login(app.test_client(), "jwtold")
    assert response.status_code in (401, 403) and "access_token" not in (response.json or {})


def test_the_jwt_login_refuses_a_password_that_must_be_changed(app, user):
    uid = user("jwtreset")
    client_of(app, "secadmin").post(f"/resetpassword/form?pk={uid}",
                           data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    response = jwt_login(app.test_client(), "jwtreset", NEW_PASSWORD)
    assert response.status_code in (401, 403) and "access_token" not in (response.json or {})


def test_the_jwt_login_holds_the_lockout(app, user):
    user("jwtlock")
    client = app.test_client()
    for _ in range(5):
        assert jwt_login(client, "jwtlock", "Wrong#2026").status_code == 401
    assert jwt_login(client, "jwtlock").status_code == 401


# Finding 9: sessions -------------------------------------------------------------------------------

def test_a_cookie_copied_before_sign_out_does_not_work_after_it(app, user):
    user("copier")
    client = client_of(app, "copier")
    copied = client.get_cookie("session").value
    client.get("/logout/")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/employers/list/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("change", ["reset", "roles", "deactivate"])
def test_a_reset_a_role_change_or_a_deactivation_ends_every_session_and_token(app, user, change):
    uid = user("ending")
    client = client_of(app, "ending")
    token = jwt_login(app.test_client(), "ending").json["access_token"]
    secadmin = client_of(app, "secadmin")
    if change == "reset":
        secadmin.post(f"/resetpassword/form?pk={uid}", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    elif change == "roles":
        assert save_account(secadmin, uid, roles=[role_id(app, LEADER)]).status_code == 302
    else:
        secadmin.get(f"/users/action/lock/{uid}")
    response = client.get("/employers/list/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert app.test_client().get("/api/v1/employer/", headers=bearer(token)).status_code == 401


def test_changing_ones_own_password_asks_for_the_old_one_and_ends_the_other_sessions(app, user):
    user("ownchange")
    elsewhere, client = client_of(app, "ownchange"), client_of(app, "ownchange")
    response = client.post("/resetmypassword/form",
                           data={"old_password": "Wrong#2026", "password": NEW_PASSWORD,
                                 "conf_password": NEW_PASSWORD})
    assert response.status_code == 200 and "原密码不正确" in response.text
    response = client.post("/resetmypassword/form", data={"old_password": PASSWORD, "password": NEW_PASSWORD,
                                                          "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/employers/list/").status_code == 200  # this session goes on
    assert elsewhere.get("/employers/list/").status_code == 302  # the other one ended


def test_the_production_config_sends_the_session_cookie_over_https_only():
    assert Config.SESSION_COOKIE_SECURE is True


# Finding 10: enumeration and lock-at-will ----------------------------------------------------------

def _failed_sign_in_time(client, username) -> tuple[float, str]:
    started = time.perf_counter()
    response = sign_in(client, username, "Wrong#2026")
    took = time.perf_counter() - started
    return took, client.get(response.headers["Location"]).text


def test_a_locked_account_answers_like_a_name_that_does_not_exist(client, user):
    user("lockedreal")
    for _ in range(5):
        sign_in(client, "lockedreal", "Wrong#2026")
    real = [_failed_sign_in_time(client, "lockedreal") for _ in range(3)]
    unknown = [_failed_sign_in_time(client, "nobody-here") for _ in range(3)]
    assert all(GENERIC_FAILURE in page and "锁定" not in page for _, page in real + unknown)
    fastest_real, fastest_unknown = min(t for t, _ in real), min(t for t, _ in unknown)
    assert max(fastest_real, fastest_unknown) / min(fastest_real, fastest_unknown) < 3, (real, unknown)


def test_failures_from_another_address_do_not_lock_the_owner_out(app, user):
    uid = user("target")
    client = app.test_client()
    attacker = {"environ_base": {"REMOTE_ADDR": "10.9.9.9"}}
    for _ in range(6):
        sign_in(client, "target", "Wrong#2026", **attacker)
    assert not signed_in(sign_in(client, "target", **attacker))  # that address is throttled
    owner = app.test_client()
    assert signed_in(sign_in(owner, "target", environ_base={"REMOTE_ADDR": "10.1.1.1"}))
    assert len(events(app, uid, "lockout")) == 1
