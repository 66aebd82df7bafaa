"""Each role logs in and does what DOMAIN.md §1 allows it — and nothing else (三员分立)."""
import pytest
from sqlalchemy import select

from app.models import AuditLog, Employer, PortalUser, db

def denied(response) -> bool:
    """FAB answers a signed-in user without the right with 403."""
    return response.status_code == 403


PAGES = {
    "employers": "/employers/list/",
    "org_units": "/orgunits/list/",
    "dictionaries": "/industryview/list/",
    "users": "/users/list/",
    "audit_log": "/auditlog/list/",
}
# What each role may open; every other page must be refused.
MAY_OPEN = {
    "sysadmin": {"org_units", "dictionaries", "users"},
    "secadmin": {"users"},
    "auditor": {"audit_log"},
    "cityadmin": {"employers", "org_units", "dictionaries", "users"},
    "districta": {"employers", "org_units", "dictionaries", "users"},
    "clerka1": {"employers", "org_units", "dictionaries"},
    "leader": {"employers", "org_units", "dictionaries"},
}


@pytest.mark.parametrize("username", sorted(MAY_OPEN))
def test_each_role_opens_exactly_its_pages(login, username):
    client = login(username)
    for page, url in PAGES.items():
        response = client.get(url)
        if page in MAY_OPEN[username]:
            assert response.status_code == 200, (username, page)
        else:
            assert denied(response), (username, page, response.status_code)


@pytest.mark.parametrize("username", sorted(MAY_OPEN))
def test_menu_shows_only_what_the_role_may_read(login, username):
    html = login(username).get("/").data.decode()
    for page, url in PAGES.items():
        assert (url in html) == (page in MAY_OPEN[username]), (username, page)


def test_system_admin_reads_no_business_data_even_through_the_api(login, city):
    client = login("sysadmin")
    assert client.get("/api/v1/employer/").status_code in (401, 403)
    assert client.get(f"/api/v1/employer/{city.employer['a1_1']}").status_code in (401, 403)


def test_leader_reads_but_cannot_write(app, login, city):
    client = login("leader")
    assert client.get(f"/employers/show/{city.employer['b2_1']}").status_code == 200
    assert denied(client.get("/employers/add"))
    assert denied(client.post(f"/employers/edit/{city.employer['b2_1']}", data={"name": "改名"}))
    assert client.put(f"/api/v1/employer/{city.employer['b2_1']}", json={"name": "改名"}).status_code in (401, 403)
    with app.app_context():
        assert db.session.get(Employer, city.employer["b2_1"]).name != "改名"


def test_security_admin_locks_and_unlocks_accounts_but_cannot_create_users(app, login):
    client = login("secadmin")
    with app.app_context():
        target = db.session.scalar(select(PortalUser.id).where(PortalUser.username == "leadera"))
    assert client.get(f"/users/action/lock/{target}").status_code == 302
    with app.app_context():
        assert db.session.get(PortalUser, target).active is False
    client.get(f"/users/action/unlock/{target}")
    with app.app_context():
        assert db.session.get(PortalUser, target).active is True
    assert denied(client.get("/users/add"))
    assert client.get(f"/resetpassword/form?pk={target}").status_code == 200


def test_only_the_security_admin_locks_accounts(app, login):
    client = login("sysadmin")
    with app.app_context():
        target = db.session.scalar(select(PortalUser.id).where(PortalUser.username == "leadera"))
    client.get(f"/users/action/lock/{target}")
    with app.app_context():
        assert db.session.get(PortalUser, target).active is True


def test_audit_admin_reads_the_log_and_nothing_else(app, login, city):
    client = login("auditor")
    assert client.get("/auditlog/list/").status_code == 200
    assert client.get(f"/api/v1/employer/{city.employer['a1_1']}").status_code in (401, 403)
    with app.app_context():
        entry = db.session.scalar(select(AuditLog.id).limit(1))
    assert client.get(f"/auditlog/show/{entry}").status_code == 200
    for url in (f"/auditlog/edit/{entry}", f"/auditlog/delete/{entry}", "/auditlog/add"):
        assert client.get(url).status_code == 404


def test_every_user_sees_their_own_profile(login):
    for username in MAY_OPEN:
        client = login(username)
        response = client.get("/users/userinfo/")
        assert response.status_code == 200 and username in response.data.decode(), username
