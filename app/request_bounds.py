"""Bounds on what a request may ask before any view reads it: bad paging, ordering and query arguments
answer 400 instead of reaching Flask-AppBuilder, which would turn them into a 500 (``int("abc")``, an
offset past SQLite's integers, an ORDER BY of an unknown column); JSON the portal does not read (NaN,
Infinity, nesting deeper than Python parses) is a bad request."""
import json
import re

from flask import abort, current_app, request
from flask.json.provider import DefaultJSONProvider

MAX_PAGE = 100_000  # 10 million rows at 100 a page: no list is longer
MAX_PAGE_SIZE = 100  # the largest page Flask-AppBuilder's lists offer
MAX_QUERY_DEPTH = 16  # an API's rison/JSON query argument: filters are three levels deep
PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


class StrictJSONProvider(DefaultJSONProvider):
    """Reads JSON as the standard defines it: ``NaN`` and ``Infinity`` are not numbers, and a body nested
    deeper than Python's parser goes is refused (Flask answers a ValueError with 400)."""

    def loads(self, s, **kwargs):
        try:
            return json.loads(s, parse_constant=_refuse_constant, **kwargs)
        except RecursionError as err:
            raise ValueError("JSON nested too deeply") from err


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _depth(text: str) -> int:
    deepest = depth = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def check_request_arguments():
    """No argument or form field holds a NUL; ``page_<View>`` and ``psize_<View>`` are page numbers (1 to 100 rows a page), ``_oc_<View>`` one of
    the view's order columns, an API's ``q`` at most ``MAX_QUERY_DEPTH`` deep; Flask-AppBuilder's
    ``/<view>/download/<file>`` (files uploaded through a model's file column: the portal has none) is
    not found."""
    if request.endpoint and request.endpoint.endswith(".download"):
        abort(404)
    if any("\x00" in value for values in (request.args, request.form) for value in values.values()):
        abort(400)  # PostgreSQL refuses NUL in any text, a query's parameters included; nobody types one
    views = None
    for name, value in request.args.items(multi=True):
        if name.startswith(("page_", "psize_")):
            if not PAGE_NUMBER.fullmatch(value) or name.startswith("psize_") and not (
                    1 <= int(value) <= MAX_PAGE_SIZE):
                abort(400)
        elif name.startswith("_oc_"):
            views = views or {type(view).__name__: view for view in current_app.appbuilder.baseviews}
            view = views.get(name[len("_oc_"):])
            if view is not None and value not in (getattr(view, "order_columns", None) or ()):
                abort(400)
        elif name == "q" and request.path.startswith("/api/") and _depth(value) > MAX_QUERY_DEPTH:
            abort(400)


def init_request_bounds(app) -> None:
    app.json = StrictJSONProvider(app)
    app.before_request(check_request_arguments)
