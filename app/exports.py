"""A list as an xlsx file (导出Excel): the rows of a Flask-AppBuilder list view — its columns through its
formatters, as on screen (a PersonalDataView lists the masked properties) — under the list's filters,
order and the user's scope (``ScopedInterface``), read a chunk at a time, and the workbook they make. The
view's export calls these; so does ``bench/exports.py``.

A list whose every column reads in SQL — a column, a hybrid property (its SQL form), a many-to-one link
to a model that names its ``display_columns`` — is read as plain rows of just those columns: several
times faster than building ORM objects, which is what keeps 100 000 rows within seconds. A list showing
a Python-only property needs the objects: they are read with the links the list shows (and those its
properties read, the view's ``list_loads``) loaded along, never one query per row."""
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from operator import attrgetter

from flask_babel.speaklater import LazyString
from sqlalchemy import inspect
from sqlalchemy.ext.hybrid import HybridExtensionType
from sqlalchemy.orm import aliased, joinedload
from xlsxwriter import Workbook

from app.scoping import eager_load
from app.xlsx import SHEET_ROWS, Cells

CHUNK = 1000  # rows per fetch (yield_per: a server-side cursor on PostgreSQL)
LIST_ROWS = SHEET_ROWS - 1  # the header takes the first row


def display_name(*parts) -> str:
    """A linked record as its ``display_columns`` read: the non-empty ones, space-separated."""
    return " ".join(str(part) for part in parts if part not in (None, ""))


def _sql_column(datamodel, column: str):
    """(SQL expressions, how their values make the cell, the outer join they need) for a listed column,
    or None when only the ORM object can say (a Python property)."""
    model = datamodel.obj
    if datamodel.is_relation_many_to_one(column):
        target = datamodel.get_related_model(column)
        if not getattr(target, "display_columns", None):
            return None
        linked = aliased(target)
        return ([getattr(linked, name) for name in target.display_columns], display_name,
                getattr(model, column).of_type(linked))
    descriptor = inspect(model).all_orm_descriptors.get(column)
    if column in datamodel.list_columns or (
            descriptor is not None and descriptor.extension_type is HybridExtensionType.HYBRID_PROPERTY):
        return [getattr(model, column)], None, None
    return None


def _query(view, filters, order_column: str, order_direction: str):
    """The list's query without paging: scope, filters and order (primary key as tie-breaker) as on screen."""
    datamodel = view.datamodel
    return datamodel.apply_all(datamodel.session.query(datamodel.obj), filters, order_column, order_direction)


def _resolved(formatter: Callable) -> Callable:
    """The formatter with its translations looked up once per value: a label column (a state, 是/否)
    repeats a handful of values, and looking up a translation costs more than writing the cell."""
    @lru_cache(maxsize=4096)
    def shown(value):
        result = formatter(value)
        return str(result) if isinstance(result, LazyString) else result
    return shown


def sql_rows(view, query, specs) -> Iterator[list]:
    expressions, joins, cells = [], [], []
    for (columns, combine, join), formatter in specs:
        cells.append((slice(len(expressions), len(expressions) + len(columns)), combine, _resolved(formatter)))
        expressions += columns
        if join is not None:
            joins.append(join)
    query = query.with_entities(*expressions)
    for join in joins:
        query = query.outerjoin(join)
    for row in query.yield_per(CHUNK):
        yield [shown(combine(*row[part]) if combine else row[part][0]) for part, combine, shown in cells]


def object_rows(view, query, formatters) -> Iterator[list]:
    datamodel = view.datamodel
    shown = [column for column in view.list_columns if datamodel.is_relation_many_to_one(column)]
    paths = dict.fromkeys([*shown, *getattr(view, "list_loads", ())])
    query = query.options(*(eager_load(datamodel.obj, path, one=joinedload) for path in paths))
    values = [attrgetter(column) for column in view.list_columns]
    for item in query.yield_per(CHUNK):
        yield [formatter(value(item)) for value, formatter in zip(values, formatters)]


def _as_is(value):
    return value


def list_rows(view, filters, order_column: str = "", order_direction: str = "") -> Iterator[list]:
    """The list's rows as shown: each listed column's value through the view's formatter."""
    formatters: list[Callable] = [view.formatters_columns.get(column) or _as_is for column in view.list_columns]
    query = _query(view, filters, order_column, order_direction)
    specs = [_sql_column(view.datamodel, column) for column in view.list_columns]
    if all(spec is not None for spec in specs):
        return sql_rows(view, query, zip(specs, formatters))
    return object_rows(view, query, formatters)


def list_count(view, filters) -> int:
    datamodel = view.datamodel
    return datamodel.query_count(datamodel.session.query(datamodel.obj), filters)


def list_headers(view) -> list[str]:
    return [str(view.label_columns.get(column, column)) for column in view.list_columns]


def write_list(book: Workbook, headers: list[str], rows: Iterable[list]) -> int:
    """A sheet with the headers on the first row (kept in view when scrolling) and a row per record."""
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    sheet.set_column(0, max(len(headers) - 1, 0), 16)
    sheet.freeze_panes(1, 0)
    return Cells(book).write_rows(sheet, 1, rows)
