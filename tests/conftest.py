"""A small city — two districts with two townships each, three employers per township — and one user
per role. Runs on SQLite by default, on PostgreSQL when DATABASE_URL says so."""
import os
import random
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, or_, select, text

from app import create_app, sync_roles
from app.models import (CITY, DISTRICT, TOWNSHIP, AuditLog, Employer, HazardFactor, OrgUnit, PortalUser, RiskClass,
                        db)
from app.roles import (AUDIT_ADMIN, CITY_ADMIN, DISTRICT_ADMIN, LEADER, SECURITY_ADMIN, SYSTEM_ADMIN,
                       TOWNSHIP_CLERK)
from app.seed.demo import make_credit_code, make_user
from app.seed.dictionaries import seed_dictionaries
from config import TestConfig

PASSWORD = "Test@2026!"


def _fresh_database(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context():
    """pytest-flask would keep one request context open per test, so that every client request shared
    one ``g``; each request gets its own, as in production."""
    yield


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"


@pytest.fixture(scope="session")
def app(database_url):
    _fresh_database(database_url)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        sync_roles(app.appbuilder.sm)
        seed_dictionaries(db.session)
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def city(app) -> SimpleNamespace:
    """Ids of the small city's units, employers and users (usernames double as the role story)."""
    rng = random.Random(7)
    with app.app_context():
        serious = db.session.scalars(select(RiskClass).where(RiskClass.code == "2")).one()
        shanghai = OrgUnit(level=CITY, code="310000", name="上海市")
        units = {"city": shanghai}
        for d_key, d_code, d_name in (("a", "310101", "黄浦区"), ("b", "310104", "徐汇区")):
            district = OrgUnit(level=DISTRICT, code=d_code, name=d_name, parent=shanghai)
            units[d_key] = district
            for t in (1, 2):
                units[f"{d_key}{t}"] = OrgUnit(level=TOWNSHIP, code=f"{d_code}00{t}", name=f"{d_name}{t}号街道",
                                               parent=district)
        db.session.add_all(units.values())
        db.session.flush()
        employers = {}
        for key in ("a1", "a2", "b1", "b2"):
            for n in (1, 2, 3):
                region = units[key].parent.code
                employers[f"{key}_{n}"] = Employer(
                    name=f"{units[key].name}企业{n}", org_unit=units[key], total_workers=50, female_workers=10,
                    credit_code=make_credit_code(rng, region), has_hazard=n != 3,
                    risk_class=serious if n != 3 else None)
        db.session.add_all(employers.values())
        sm = app.appbuilder.sm
        users = {
            "sysadmin": (SYSTEM_ADMIN, "city"), "secadmin": (SECURITY_ADMIN, "city"),
            "auditor": (AUDIT_ADMIN, "city"), "cityadmin": (CITY_ADMIN, "city"),
            "districta": (DISTRICT_ADMIN, "a"), "districtb": (DISTRICT_ADMIN, "b"),
            "clerka1": (TOWNSHIP_CLERK, "a1"), "clerkb1": (TOWNSHIP_CLERK, "b1"),
            "leader": (LEADER, "city"), "leadera": (LEADER, "a"),
        }
        for username, (role, unit) in users.items():
            db.session.add(make_user(sm, username, role, units[unit], PASSWORD))
        db.session.commit()
        return SimpleNamespace(
            unit={key: unit.id for key, unit in units.items()},
            employer={key: e.id for key, e in employers.items()},
            factor=dict(db.session.execute(select(HazardFactor.code, HazardFactor.id)).all()),  # code → id
        )


@pytest.fixture
def login(client, city):
    """Sign ``client`` in as one of the small city's users."""
    def sign_in(username: str):
        client.get("/logout/")
        response = client.post("/login/", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302 and "/login" not in response.headers["Location"], username
        return client
    return sign_in


@pytest.fixture
def user(app, city):
    """A user of its own (by default a township clerk of a1), so that locking it out, changing its roles or
    ending its sessions disturbs no other test."""
    def make(username: str, role: str = TOWNSHIP_CLERK, unit: str = "a1", **fields) -> int:
        with app.app_context():
            db.session.execute(delete(AuditLog).where(AuditLog.username == username))
            old = db.session.scalar(select(PortalUser).where(PortalUser.username == username))
            if old is not None:
                db.session.execute(delete(AuditLog).where(AuditLog.entity == "PortalUser",
                                                          AuditLog.record_id == old.id))
                db.session.delete(old)
                db.session.flush()
            new = make_user(app.appbuilder.sm, username, role, db.session.get(OrgUnit, city.unit[unit]),
                            PASSWORD, **fields)
            db.session.add(new)
            db.session.commit()
            return new.id
    return make


def sign_in(client, username, password=PASSWORD, **kwargs):
    client.get("/logout/", **kwargs)
    return client.post("/login/", data={"username": username, "password": password}, **kwargs)


def signed_in(response) -> bool:
    return response.status_code == 302 and "/login" not in response.headers["Location"]


def events(app, user_id, action) -> list[AuditLog]:
    with app.app_context():
        return list(db.session.scalars(select(AuditLog).where(
            AuditLog.entity == "PortalUser", AuditLog.record_id == user_id, AuditLog.action == action)))


def employer_ids_in(app, *unit_keys, city) -> set[int]:
    """The employers of these units' subtrees, read straight from the database."""
    with app.app_context():
        paths = [db.session.get(OrgUnit, city.unit[key]).path for key in unit_keys]
        rows = db.session.scalars(select(Employer.id).join(OrgUnit, Employer.org_unit_id == OrgUnit.id)
                                  .where(or_(*[OrgUnit.path.startswith(p) for p in paths])))
        return set(rows)
