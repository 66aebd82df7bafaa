"""The occupational-health coordination portal: the application factory."""
from flask import Flask, current_app
from flask_appbuilder import AppBuilder
from flask_migrate import Migrate
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from app.models import db
from app.models.duplicate_notice import write_duplicate_notices
from app.roles import fab_roles, menu_permissions
from config import BASE_DIR, INSTANCE_DIR, instance_secret_key


def create_app(config_object: object | str = "config.Config") -> Flask:
    from app.views import PortalSecurityManager, register_views
    from app.views.home import HomeView
    from app import cli
    from app.request_bounds import init_request_bounds
    from app.security_policy import init_security
    from app.views.menu import init_menu

    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config_object)
    require_secret_key(app)
    app.config["FAB_ROLES"] = fab_roles()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles a query to machine code; for this portal's sub-second queries (the
        # city rollup included) the compiling costs more than it saves.
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")
    init_security(app)
    init_request_bounds(app)
    app.after_request(write_duplicate_notices)
    # Browsers ask for /favicon.ico whatever the page links (a PDF viewer, a bookmark): the same icon.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))
    app.add_url_rule("/health", "health", health)
    init_menu(app)
    db.init_app(app)
    Migrate(app, db, directory=str(BASE_DIR / "migrations"))
    with app.app_context():
        appbuilder = AppBuilder(app, db.session, security_manager_class=PortalSecurityManager,
                                update_perms=False, indexview=HomeView, base_template="portal_base.html")
        register_views(appbuilder)
        for role, pairs in menu_permissions(appbuilder.menu).items():
            appbuilder.sm.builtin_roles[role] = appbuilder.sm.builtin_roles.get(role, []) + pairs
        if _has_schema():
            sync_roles(appbuilder.sm)
    cli.register(app)
    return app


def require_secret_key(app: Flask) -> None:
    """Several servers on one PostgreSQL database must sign sessions with one key, from the environment;
    only the embedded SQLite portal makes its own under instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise SystemExit(
            "SECRET_KEY is not set. On PostgreSQL every app server must sign sessions with the same key: "
            "set SECRET_KEY in the environment (e.g. python3 -c 'import secrets; print(secrets.token_hex(32))') "
            "to the same value on every server.\n"
            "未设置 SECRET_KEY：使用 PostgreSQL 时，各应用服务器须以同一密钥签名会话，请在每台服务器的环境变量中设置相同的 SECRET_KEY。")
    app.config["SECRET_KEY"] = instance_secret_key()


def _has_schema() -> bool:
    """Whether the database holds the schema; a database not answering yet does not stop the server,
    whose /health then answers 503 until it does."""
    try:
        return inspect(db.engine).has_table("ab_role")
    except DBAPIError as error:
        db.engine.dispose()
        current_app.logger.warning("The database does not answer: %s", error.orig)
        return False


def health():
    """For the load balancer: 200 while this server reaches the database, 503 otherwise (no details)."""
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}


def sync_roles(security_manager) -> None:
    """The roles declared in code exist in the database (their rights live in code: FAB_ROLES)."""
    names = list(security_manager.builtin_roles) + [security_manager.auth_role_public]
    for name in names:
        if security_manager.find_role(name) is None:
            security_manager.add_role(name)
