"""The occupational-health coordination portal: the application factory."""
from flask import Flask
from flask_appbuilder import AppBuilder
from flask_migrate import Migrate
from sqlalchemy import inspect

from app.models import db
from app.models.duplicate_notice import write_duplicate_notices
from app.roles import fab_roles, menu_permissions
from config import BASE_DIR, INSTANCE_DIR


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
    init_menu(app)
    db.init_app(app)
    Migrate(app, db, directory=str(BASE_DIR / "migrations"))
    with app.app_context():
        appbuilder = AppBuilder(app, db.session, security_manager_class=PortalSecurityManager,
                                update_perms=False, indexview=HomeView, base_template="portal_base.html")
        register_views(appbuilder)
        for role, pairs in menu_permissions(appbuilder.menu).items():
            appbuilder.sm.builtin_roles[role] = appbuilder.sm.builtin_roles.get(role, []) + pairs
        if inspect(db.engine).has_table("ab_role"):
            sync_roles(appbuilder.sm)
    cli.register(app)
    return app


def sync_roles(security_manager) -> None:
    """The roles declared in code exist in the database (their rights live in code: FAB_ROLES)."""
    names = list(security_manager.builtin_roles) + [security_manager.auth_role_public]
    for name in names:
        if security_manager.find_role(name) is None:
            security_manager.add_role(name)
