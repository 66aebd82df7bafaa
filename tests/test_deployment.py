"""Stateless app servers (issue 15, item 1), what one server shows of it: "the secret key comes from the
environment in production (the portal refuses to start on PostgreSQL without one and says why)" and
"/health answers 200 only when the database answers"."""
import pytest

import config
from app import create_app
from config import TestConfig


def test_health_answers_200_while_the_database_answers_without_sign_in(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers  # a probe gets no session


@pytest.mark.parametrize("dead_url", ["sqlite:////nonexistent-directory/portal.db",
                                      "postgresql+psycopg://postgres@127.0.0.1:1/portal"])
def test_health_answers_503_without_details_when_the_database_does_not_answer(dead_url):
    """The server starts while its database is down, and tells the load balancer so."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = dead_url

    response = create_app(Config).test_client().get("/health")
    assert response.status_code == 503 and response.json == {"status": "unavailable"}


def test_the_portal_refuses_to_start_on_postgresql_without_a_secret_key_and_says_why():
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:1/portal"
        SECRET_KEY = None

    with pytest.raises(SystemExit) as refused:
        create_app(Config)
    assert "SECRET_KEY" in str(refused.value) and "未设置 SECRET_KEY" in str(refused.value)


def test_the_embedded_sqlite_portal_keeps_its_own_key_under_instance(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'portal.db'}"
        SECRET_KEY = None

    first, second = create_app(Config), create_app(Config)
    assert first.secret_key == second.secret_key == (tmp_path / "secret_key").read_text().strip()
