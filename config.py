"""Configuration as plain classes; the environment overrides what differs per machine."""
import os
import secrets
from pathlib import Path

from flask_appbuilder.const import AUTH_DB
from flask_babel import lazy_gettext as _l

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", BASE_DIR / "instance"))


def instance_secret_key() -> str:
    """The embedded (SQLite) portal's key: generated once per installation and kept under instance/, so
    sessions survive restarts. Servers sharing a PostgreSQL database share SECRET_KEY instead."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Signs the session cookie: every server behind the proxy needs the same one (app.require_secret_key).
    SECRET_KEY = os.environ.get("SECRET_KEY")

    APP_NAME = _l("Occupational health coordination portal")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "中文"},
        "en": {"flag": "gb", "name": "English"},
    }

    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "System admin"
    AUTH_ROLE_PUBLIC = "Public"
    # The schema belongs to Alembic: FAB must neither create tables nor write permission rows at start-up.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = False
    FAB_PASSWORD_COMPLEXITY_ENABLED = True

    WTF_CSRF_ENABLED = True
    MAX_CONTENT_LENGTH = 6 * 2 ** 20  # the largest request: a 5 MB import file and its form (a bigger body is not read)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The session cookie travels over HTTPS only; SESSION_COOKIE_SECURE=0 turns that off for a server
    # reached by plain HTTP on this machine (run.py, bench/load.py), never in production.
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    # How many reverse proxies stand before the portal: the client's address (sign-in throttling, audit
    # log) and the scheme are then taken from their X-Forwarded-* headers.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    # Annex 1: records are due this many days after the visit.
    REPORT_DEADLINE_DAYS = int(os.environ.get("REPORT_DEADLINE_DAYS", 7))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or "test-only-secret-key-never-in-production"
    WTF_CSRF_ENABLED = False
    FAB_PASSWORD_COMPLEXITY_ENABLED = False
    SESSION_COOKIE_SECURE = False
