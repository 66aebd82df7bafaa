"""A PostgreSQL database of a test's own (the multi-server and backup tests), on the server DATABASE_URL
names or else on the local one. Without a reachable server the test is skipped — except in CI, where
.ci/run starts PostgreSQL and the test is required."""
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

LOCAL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url():
    url = os.environ.get("DATABASE_URL") or ""
    return make_url(url if url.startswith("postgresql") else LOCAL_SERVER).set(database="postgres")


@contextmanager
def own_database(purpose: str):
    """A fresh database named for this run and ``purpose``, dropped afterwards; yields its URL."""
    server = server_url()
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        engine.connect().close()
    except OperationalError:
        engine.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server answers at {server.render_as_string(hide_password=True)}")
    name = f"test_{purpose}_{os.getpid()}"
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
