"""Row-level scoping: the one mechanism that bounds every query by the user's org-unit subtree.

Each scoped model declares ``scope_clause(prefix)``: the SQL condition that a row lies in the subtree
whose path starts with ``prefix``, or None when every row does (``app.models.org.in_subtree``).
``ScopedInterface`` adds that condition to every query Flask-AppBuilder makes through a data interface —
list, search, count, show, edit, delete, single and bulk actions, master-detail lists and related-field
dropdowns (``get_related_interface`` builds the same class) — so a row outside the subtree is simply not
found (404). Outside a request (CLI, seeding) nothing is scoped.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable

from flask import g, has_request_context
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.filters import FilterRelationOneToManyEqual, SQLAFilterConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import false
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

NOTHING = ""  # the prefix of a user who may see no rows at all
# A list page counts its rows up to this many, then says "100000+": counting a province's 20 000 000
# patrols for a page of 25 would cost more than the page (issue 15 item 4). Exports and the API count all.
LIST_COUNT_CAP = 100_000
_capped_count = ContextVar("capped_count", default=False)


class AtLeast(int):
    """A count that stopped at the cap: the number for the page links, shown as "100000+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"


@contextmanager
def capped_counts():
    """Within it, a data interface's count stops at ``LIST_COUNT_CAP`` (the list page's header)."""
    token = _capped_count.set(True)
    try:
        yield
    finally:
        _capped_count.reset(token)


def current_user_or_none():
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def scope_prefix() -> str | None:
    """The current user's subtree path prefix; None means unscoped (no request), NOTHING means no rows."""
    if not has_request_context():
        return None
    user = current_user_or_none()
    cache = g.setdefault("scope_prefixes", {})  # per request, keyed by user: g may outlive a sign-in
    key = getattr(user, "id", None)
    if key not in cache:
        unit = getattr(user, "org_unit", None) if user is not None else None
        cache[key] = unit.path if unit is not None else NOTHING
    return cache[key]


def per_request(key, compute: Callable[[], Any]) -> Any:
    """``compute()``, worked out once per request for ``key`` (every time outside a request)."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("scope_answers", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def scope_condition(model) -> Any:
    """The WHERE condition for ``model`` under the current user's scope, or None for no condition."""
    clause_for = getattr(model, "scope_clause", None)
    prefix = scope_prefix()
    if clause_for is None or prefix is None:
        return None
    if prefix == NOTHING:
        return false()
    return clause_for(prefix)  # may itself be None: nothing to bound


def apply_scope(query, model):
    condition = scope_condition(model)
    return query if condition is None else query.filter(condition)


def in_scope(path: str | None) -> bool:
    """Whether an org unit with this path lies in the current user's subtree. Writes made without a
    signed-in user (CLI, seeding, FAB's own login bookkeeping) are not bounded."""
    if current_user_or_none() is None:
        return True
    prefix = scope_prefix()
    return bool(prefix) and path is not None and path.startswith(prefix)


def record_id(value: Any) -> int | None:
    """A record id as a form or a URL gives it (text), or None when it is no id at all."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) < 19 else None  # 18 digits: within a BIGINT


class FilterRelationEqual(FilterRelationOneToManyEqual):
    """"Relation" filter of a search panel: a related id that is not found — another township's record,
    a missing one, no number — matches nothing (Flask-AppBuilder would list the rows with no relation)."""

    def apply(self, query, value):
        if self.datamodel.get_related_obj(self.column_name, value) is None:
            return query.filter(false())
        return super().apply(query, value)


class ModelFilterConverter(SQLAFilterConverter):
    """FAB builds the search filters of every column of a model each time it builds a query (twice per
    query, for the rows and their count). They depend on the model and column only and hold no state,
    so they are made once per process; each caller gets its own list of them."""

    _made: dict = {}
    conversion_table = tuple(
        (test, [FilterRelationEqual if made is FilterRelationOneToManyEqual else made for made in filters])
        for test, filters in SQLAFilterConverter.conversion_table)

    def convert(self, col_name):
        key = (type(self.datamodel), self.datamodel.obj, col_name)
        if key not in self._made:
            self._made[key] = super().convert(col_name)
        made = self._made[key]
        return None if made is None else list(made)


def eager_load(model, path: str, one=selectinload):
    """The eager load of the dotted link path ``path`` (``employer.org_unit``) of ``model``: a link to one
    record by ``one`` (a query per link and page by default, or ``joinedload`` along with the rows), a
    collection always one query per page or chunk."""
    load = None
    for name in path.split("."):
        attribute = getattr(model, name)
        step = selectinload if attribute.property.uselist else one
        load = step(attribute) if load is None else getattr(load, step.__name__)(attribute)
        model = attribute.property.mapper.class_
    return load


@contextmanager
def _told_when_referenced():
    """A delete the database refuses because other rows refer to the record says so in words."""
    try:
        yield
    except DatabaseException as err:
        if isinstance(err.__cause__, IntegrityError):
            raise DatabaseException(str(_l("Other records still refer to this one: it cannot be deleted"))) from err
        raise


class ScopedInterface(SQLAInterface):
    """A data interface whose every query carries the current user's scope."""

    filter_converter_class = ModelFilterConverter
    # The links a view's list reads (``ScopedModelView`` sets them; dotted for a link of a link): a page
    # loads each in one query for all its rows instead of one query per row and link.
    list_relations: tuple[str, ...] = ()

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False):
        if page is not None or page_size is not None:
            return super().query(filters, order_column, order_direction, page, page_size, select_columns,
                                 outer_default_load)
        # Unpaginated (dropdowns, exports): every row is read anyway, so the count is their number
        # rather than a second query.
        rows = self.apply_all(self.session.query(self.obj), filters, order_column, order_direction,
                              select_columns=select_columns, outer_default_load=outer_default_load).all()
        items = [getattr(row, self.obj.__name__, row) for row in rows]
        return len(items), items

    def query_count(self, query, filters=None, select_columns=None) -> int:
        if not _capped_count.get():
            return super().query_count(query, filters, select_columns)
        inner = self._apply_inner_all(query, filters, select_columns=select_columns, aliases_mapping={})
        found = inner.limit(LIST_COUNT_CAP + 1).count()
        return AtLeast(LIST_COUNT_CAP) if found > LIST_COUNT_CAP else found

    def apply_all(self, query, filters=None, order_column="", order_direction="", page=None, page_size=None,
                  select_columns=None, outer_default_load=False):
        query = super().apply_all(query, filters, order_column, order_direction, page, page_size, select_columns,
                                  outer_default_load)
        if page_size and not select_columns and self.list_relations:
            query = query.options(*(eager_load(self.obj, path) for path in self.list_relations))
        return query

    def _apply_inner_all(self, query, *args, **kwargs):
        return super()._apply_inner_all(apply_scope(query, self.obj), *args, **kwargs)

    def _get_base_query(self, query, *args, **kwargs):
        return super()._get_base_query(apply_scope(query, self.obj), *args, **kwargs)

    def is_nullable(self, col_name: str) -> bool:
        # An unticked checkbox is False, not missing: never make a boolean "required" in forms.
        return self.is_boolean(col_name) or super().is_nullable(col_name)

    def edit(self, item, commit: bool = True) -> None:
        # A save that lost the race to another user's (app.models.versioned) is raised as itself, so the
        # API can answer 409 instead of a generic database error.
        try:
            super().edit(item, commit)
        except DatabaseException as err:
            if isinstance(err.__cause__, StaleDataError):
                raise err.__cause__ from None
            raise

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        """A URL's or a body's id that no row can have (10^30, -1, text) is not found, like a missing one."""
        pk = record_id(id)
        return None if pk is None else super().get(pk, filters, select_columns, outer_default_load)

    def delete(self, item, commit: bool = True) -> None:
        with _told_when_referenced():
            super().delete(item, commit)

    def delete_all(self, items) -> None:
        with _told_when_referenced():
            super().delete_all(items)

    def get_related_obj(self, col_name: str, value: Any):
        if isinstance(value, list) and len(value) == 1:  # a filter's value, as the URL gave it
            value = value[0]
        return self.get_related_interface(col_name).get(value)  # ``get`` refuses what is no id
