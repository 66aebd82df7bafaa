"""The navigation menu, drawn once per set of roles and language instead of on every page.

Flask-AppBuilder draws the menu on every page, asking for the right to each of its items and translating
each label: about a quarter of a simple page's time. What a user sees in it depends only on their roles,
which are the fixed built-in roles of ``app.roles``, and on the language, so the drawn menu is kept per
process for each such pair, on the app. A user holding a role stored in the database (rights that can
change while the portal runs) gets the menu drawn afresh.
"""
from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup


def navbar_menu() -> Markup:
    appbuilder = current_app.appbuilder
    names = frozenset(role.name for role in appbuilder.sm.get_user_roles(current_user) if role is not None)
    if not names <= appbuilder.sm.builtin_roles.keys():
        return draw(appbuilder)
    drawn = current_app.extensions.setdefault("navbar_menu", {})
    key = (names, str(get_locale()))
    if key not in drawn:
        drawn[key] = draw(appbuilder)
    return drawn[key]


def draw(appbuilder) -> Markup:
    return Markup(render_template("menu/items.html", menu=appbuilder.menu))


def init_menu(app) -> None:
    app.context_processor(lambda: {"navbar_menu": navbar_menu})
