"""Backups that restore (issue 15, item 2): the demo database is backed up as the README says, restored
into a fresh database, and every table comes back with the same rows — counted, and checksummed."""
import hashlib
import os
import sqlite3
import subprocess

import pytest
from sqlalchemy import MetaData, create_engine, func, select
from sqlalchemy.engine import make_url

from app import create_app
from app.cli import prepare_database
from config import TestConfig
from tests.postgres import own_database


def seed_demo(url) -> None:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = make_url(url).render_as_string(hide_password=False)

    app = create_app(Config)
    with app.app_context():
        prepare_database(with_demo=True)
        app.extensions["sqlalchemy"].engine.dispose()


def table_digests(url) -> dict[str, tuple[int, str]]:
    """Every table's row count and an md5 over its rows in primary-key order."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    digests = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.md5()
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
            count = connection.scalar(select(func.count()).select_from(table))
            digests[table.name] = (count, digest.hexdigest())
    engine.dispose()
    return digests


def assert_same_tables(original, restored) -> None:
    assert original["employer"][0] > 1000 and original["ab_user"][0] >= 7  # the demo city, not an empty one
    assert restored.keys() == original.keys()
    different = {name: (original[name], restored[name]) for name in original if original[name] != restored[name]}
    assert not different


def test_the_sqlite_online_backup_restores_every_row(tmp_path):
    """README: "the SQLite online backup for the embedded default" — sqlite3's backup API, while the
    portal may be running."""
    source, copy = tmp_path / "portal.db", tmp_path / "restored.db"
    seed_demo(f"sqlite:///{source}")
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as backup:
        live.backup(backup)
    assert_same_tables(table_digests(f"sqlite:///{source}"), table_digests(f"sqlite:///{copy}"))


def test_pg_dump_and_pg_restore_restore_every_row(tmp_path):
    """README: pg_dump -Fc of the portal's database, pg_restore into a fresh database. In the suite's
    PostgreSQL run (seeding the demo city takes minutes; the SQLite run backs up SQLite)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL run of the suite (DATABASE_URL=postgresql+psycopg://…)")
    dump = tmp_path / "portal.dump"
    with own_database("backup_source") as source, own_database("backup_restored") as restored:
        seed_demo(source)
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(source)], check=True)
        subprocess.run(["pg_restore", "--no-owner", "-d", libpq(restored), str(dump)], check=True)
        assert_same_tables(table_digests(source), table_digests(restored))


def libpq(url) -> str:
    """The SQLAlchemy URL as the PostgreSQL client programs take it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
