"""The Alembic migrations build exactly the schema the models describe."""
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from flask import current_app
from sqlalchemy import select

from app import create_app, sync_roles
from app.models import Model, OrgUnit, PortalUser, db
from app.roles import CITY_ADMIN
from app.seed.demo import make_user
from config import TestConfig


def test_migrations_and_models_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Model.metadata) == []


@contextmanager
def migrated_sqlite(path):
    """In the app context of a new SQLite file that the migrations built, with the roles: the migrations'
    directory and a city to put users in."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        sync_roles(app.appbuilder.sm)
        yield directory, OrgUnit(level="city", code="310000", name="上海市")


def test_upgrading_an_existing_database_keeps_every_users_roles(tmp_path):
    """A migration that rebuilt ab_user on SQLite (batch mode drops the old table, and with foreign keys on
    that deletes the rows that refer to it) once took every user's roles away on upgrade."""
    with migrated_sqlite(tmp_path / "upgrade.db") as (directory, city):
        db.session.add(make_user(current_app.appbuilder.sm, "keeper", CITY_ADMIN, city, "Keep@2026!"))
        db.session.commit()
        downgrade(directory=directory, revision="0009")
        upgrade(directory=directory)
        db.session.expire_all()
        keeper = db.session.scalar(select(PortalUser).where(PortalUser.username == "keeper"))
        assert [role.name for role in keeper.roles] == [CITY_ADMIN]
