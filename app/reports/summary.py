"""Kept township sums of the indicator engine's grouped queries (issue 15, item 4: live rollups at province
scale, with no batch step).

A grouped query (``engine.grouped_query``) gives each township a numerator and a denominator per
population (an indicator, or a branch of one). They are kept per population and township in
``township_summary``, with the township's version and the global version they were computed at
(app/models/summary.py). Every write to a row an indicator reads bumps its township's version in the
write's own transaction (migration 0022's triggers), so a kept row is used only while no write has touched
its township since; the grouped query runs again for the other townships alone, and its rows are kept in
turn.

Why the answer is always the grouped scan's: the versions are read (committed state, on a connection of
their own) before any query runs. A row computed later is tagged with those versions: if a write
committed in between, its township's version is already past the tag and the row is recomputed next
time; a write committing afterwards bumps it past the tag too. A row is therefore used only while it is
the scan's answer for the data as committed now. Only calendar periods are kept (a year, half-year,
quarter), so the table grows with the years and the townships, not with every range of dates asked for;
a count that reads today's date (the due lists', the score's deductions per record) is kept for the day.
"""
import hashlib
import logging
import time
from collections.abc import Iterator
from datetime import date

from sqlalchemy import Select, delete, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.util import find_tables

from app.models import GLOBAL_STAMP, OrgUnit, SummaryStamp, TownshipSummary, db
from app.models.summary import VERSIONED_TABLES
from app.reports.engine import grouped_query, side_by_side

log = logging.getLogger(__name__)
STORE_BATCH = 5_000


# query_key's answers by the statement's shape and values (SQLAlchemy's cache key): the same shape with
# the same values is the same SQL. Derived from the code alone, per process; an optimisation only.
_KEYS: dict = {}
_KEYS_KEPT = 20_000


def query_key(populations: list[Select], dialect) -> str | None:
    """The kept rows' key: the grouped query's SQL with its values, as this database runs it (called with
    one population) — the same indicator over the same period reads alike, and a change to its definition
    is a new key. None when the query cannot be written out with its values (it is then not kept)."""
    query = grouped_query(populations)
    shape = query._generate_cache_key()
    known = None if shape is None else (
        dialect.name, shape.key, tuple(repr(parameter.effective_value) for parameter in shape.bindparams))
    if known in _KEYS:
        return _KEYS[known]
    try:
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 — a value with no literal form: the query simply runs every time
        return None
    key = hashlib.sha1(sql.encode()).hexdigest()
    if known is not None:
        if len(_KEYS) >= _KEYS_KEPT:
            _KEYS.clear()
        _KEYS[known] = key
    return key


def _in_memory() -> bool:
    engine = db.engine
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


def tables_read(query) -> set[str]:
    """The names of the tables ``query`` reads, in its joins, subqueries and conditions."""
    found = (getattr(getattr(table, "element", table), "name", None) for table in find_tables(
        query, check_columns=True, include_aliases=True, include_joins=True, include_selects=True))
    return {name for name in found if isinstance(name, str)}


def reads_only_versioned(query) -> bool:
    """Whether every table ``query`` reads bumps the versions (``VERSIONED_TABLES``): else it is never kept."""
    return tables_read(query) <= VERSIONED_TABLES


def _counted(query: Select) -> Select:
    """Rows of (township, record …) as a population of the engine: each row counts 1 for its township."""
    rows = query.subquery()
    return select(rows.c.org_unit_id, list(rows.c)[1].label("subject_id"), literal(1).label("numerator"),
                  literal(0).label("denominator"))


def township_counts(queries: list[Select], root: OrgUnit, today: date) -> list[dict[int, int]]:
    """For each query of rows (township, record …), its number of rows per township of ``root``'s subtree
    (townships with none left out): counted as the rollup counts, side by side, and kept for the day where
    the query reads only versioned tables (a due list's count, the score's deductions per record)."""
    items = [([_counted(query)], reads_only_versioned(query)) for query in queries]
    return [{unit: int(count) for unit, count, _ in rows if count}
            for rows in township_rows(items, root, expires_on=today)]


def township_rows(items: list[tuple[list[Select], bool]], root: OrgUnit,
                  expires_on: date | None = None) -> list[list[tuple]]:
    """For each (populations, keep) in turn, the rows of ``grouped_query(populations, root)``: a unit, then
    a numerator and a denominator per population. Where ``keep``, the valid kept rows are used and the
    query runs for the other units of ``root``'s subtree only; its answers are kept (until ``expires_on``
    has passed, when the query reads today's date). Each population is kept under its own key, so a page
    that groups indicators otherwise (the trend's one indicator, the score's rates) reads the same rows."""
    if _in_memory() or not any(keep for _, keep in items):
        return side_by_side([grouped_query(populations, root) for populations, _ in items])
    dialect = db.engine.dialect
    keys = []
    for populations, keep in items:
        own = [query_key([population], dialect) for population in populations] if keep else [None]
        keys.append(None if None in own else own)
    subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(root.path))
    with db.engine.connect() as connection:  # committed state only: never the request's own pending writes
        # every unit of the subtree with its version (None: no version row, so never kept)
        stamps = dict(connection.execute(
            select(OrgUnit.id, SummaryStamp.version).outerjoin(SummaryStamp, SummaryStamp.org_unit_id == OrgUnit.id)
            .where(OrgUnit.path.startswith(root.path))).all())
        global_version = connection.scalar(select(SummaryStamp.version).where(
            SummaryStamp.org_unit_id == GLOBAL_STAMP))
        wanted = sorted({key for own in keys if own is not None for key in own})
        kept: dict[str, dict[int, tuple]] = {key: {} for key in wanted}
        if wanted and global_version is not None:
            for key, unit, version, global_at, sums in connection.execute(select(
                    TownshipSummary.query_key, TownshipSummary.org_unit_id, TownshipSummary.version,
                    TownshipSummary.global_version, TownshipSummary.sums).where(
                    TownshipSummary.query_key.in_(wanted), TownshipSummary.org_unit_id.in_(subtree))).all():
                if version is not None and version == stamps.get(unit) and global_at == global_version:
                    kept[key][unit] = tuple(float(number) for number in sums.split())
    units = set(stamps)
    queries, plans = [], []
    for (populations, _), own in zip(items, keys):
        # a unit is read from the kept rows when every population's row of it is valid
        valid = {} if own is None else {unit: sum((kept[key][unit] for key in own), ())
                                        for unit in set.intersection(*(set(kept[key]) for key in own))}
        stale = sorted(units - valid.keys()) if own is not None else None
        if stale == []:
            plans.append((own, valid, None))
            continue
        whole = stale is None or len(stale) == len(units)
        queries.append(grouped_query(populations, root) if whole else grouped_query(populations, units=stale))
        plans.append((own, valid, stale))
    answers = iter(side_by_side(queries))
    results, store = [], []
    for own, valid, stale in plans:
        rows = [(unit, *sums) for unit, sums in valid.items()]
        if stale is not None or own is None:
            computed = [tuple(row) for row in next(answers)]
            rows += computed
            if own is not None and global_version is not None:
                found = {row[0]: row[1:] for row in computed}
                nothing = (0.0,) * (2 * len(own))
                for unit in stale:
                    if stamps[unit] is None:
                        continue
                    sums = found.get(unit, nothing)
                    store += [{"query_key": key, "org_unit_id": unit, "version": stamps[unit],
                               "global_version": global_version, "expires_on": expires_on,
                               "sums": f"{float(sums[2 * j] or 0)!r} {float(sums[2 * j + 1] or 0)!r}"}
                              for j, key in enumerate(own)]
        results.append(rows)
    if store:
        _keep(store, expires_on)
    return results


def _keep(rows: list[dict], expires_on: date | None = None) -> None:
    """Write the computed rows, replacing older ones, in a transaction of their own; rows of a day past
    go with rows of today. A failure (a busy SQLite file, a conflict) loses nothing but the saving: the
    rows are computed again next time."""
    engine = db.engine
    insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TownshipSummary)
    statement = statement.on_conflict_do_update(
        index_elements=[TownshipSummary.query_key, TownshipSummary.org_unit_id],
        set_={name: statement.excluded[name] for name in ("version", "global_version", "sums", "expires_on")},
        # of two requests keeping the same township at once, the one that read the later version wins
        where=TownshipSummary.version <= statement.excluded.version)
    try:
        with engine.begin() as connection:
            if expires_on is not None:
                connection.execute(delete(TownshipSummary).where(TownshipSummary.expires_on < expires_on))
            for start in range(0, len(rows), STORE_BATCH):
                connection.execute(statement, rows[start:start + STORE_BATCH])
    except DBAPIError as error:
        log.warning("township summaries not kept: %s", error)


def keep_periods(years: int, today: date | None = None) -> Iterator[tuple[str, str, float]]:
    """Compute and keep every indicator's township sums for each calendar period (year, half-years,
    quarters) of the last ``years`` years, under each top unit (a province, or a city without one):
    (unit, period, seconds) as each is done. Only an optimisation (``flask portal keep-rollups``)."""
    from app.reports.engine import evaluate, with_half_years
    from app.reports.indicators import INDICATORS
    from app.reports.periods import parse_period

    this_year = (today or date.today()).year
    roots = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.code)).all()
    for root in roots:
        for year in range(this_year - years + 1, this_year + 1):
            for key in (str(year), f"{year}H1", f"{year}H2", *(f"{year}Q{quarter}" for quarter in range(1, 5))):
                period, started = parse_period(key), time.perf_counter()
                evaluate(with_half_years(INDICATORS, period), [period], root)
                yield root.name, key, time.perf_counter() - started
