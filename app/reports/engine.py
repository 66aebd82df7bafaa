"""The indicator engine (DHIS2's model): an indicator is data — a population query, a target — and one
engine evaluates any indicator for a period over every org unit at once.

Each indicator's ``population(period)`` returns a SELECT with the columns ``org_unit_id`` (a township),
``subject_id`` (the employer, record or person counted), ``numerator`` and ``denominator`` (numbers per
row: 0/1 for a count, headcounts for a sum), and optionally ``subject_type`` when one population mixes
subjects of several kinds (screenings and patrols). The engine runs ONE grouped query per indicator over
that select, then rolls the township sums up the tree in Python along the units' code paths.

Most indicators are rates (numerator / denominator against a target rate). A ``COUNT`` indicator's value is
its numerator and its target is a number each district must reach (Chongqing: ≥20 assisted SMEs per district
a year): a district meets it by its own count, a city or province when every district below does, a township
is not judged. A ``RATIO`` is a rate shown as so many per head (promotions per coordinator) against a number.

Which indicators a city shows and their targets are data (app/reports/targets.py); ``target`` here is
the default, Shanghai's, which the assessment score (Annex 6) also reads.
"""
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable

from sqlalchemy import CompoundSelect, Select, Table, func, literal_column, or_, select

from app.models import CITY, DISTRICT, PROVINCE, OrgUnit, db
from app.models.indicator_target import COUNT, RATE, RATIO
from app.reports.periods import Period

PARALLEL_QUERIES = int(os.environ.get("REPORT_PARALLEL_QUERIES", os.cpu_count() or 2))


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # a lazy string
    population: Callable[[Period], Select]
    target: float  # a rate (0–1) the value must reach; for a COUNT, the number each district must reach
    subject: str = "employer"  # what drill-down lists (the population's subject_type, if any, overrides it)
    note: object = ""
    kind: str = RATE
    cost: int = 1  # relative weight of its query at city scale (bench/indicators.py): heavy ones start first
    at_most: bool = False  # the value must stay at or below the target (≤) rather than reach it (≥)
    by_half: bool = False  # a period over several half-years also shows the value in each (Annex 6 patrols)
    used: bool = True  # in the default set (Shanghai's), shown where a city has set none

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT

    @property
    def is_ratio(self) -> bool:
        return self.kind == RATIO

    @property
    def target_label(self) -> str:
        sign = "≤" if self.at_most else "≥"
        return f"{sign}{self.target:g}" if self.kind in (COUNT, RATIO) else f"{sign}{self.target:.0%}"

    def shown(self, value: "Value") -> float | None:
        """The number a cell shows: the rate (None: nothing to measure), or a COUNT's numerator."""
        return value.numerator if self.is_count else value.rate


@dataclass
class Value:
    numerator: float = 0
    denominator: float = 0
    met: bool | None = None  # against the target; None: not judged (nothing to measure, or a township's count)

    @property
    def rate(self) -> float | None:
        """None when there is nothing to measure: shown as "—", never as 0 % or 100 %."""
        return self.numerator / self.denominator if self.denominator else None

    def rate_met(self, target: float, at_most: bool = False) -> bool | None:
        """Whether the rate reaches ``target`` (stays at or below it when ``at_most``); None when there is
        nothing to measure."""
        if self.rate is None:
            return None
        return self.rate <= target + 1e-9 if at_most else self.rate >= target - 1e-9


@dataclass
class UnitRow:
    unit: OrgUnit
    values: dict[str, Value] = field(default_factory=dict)
    # A total's COUNT indicators: each district's value below it, shown or not (a COUNT is judged per district).
    districts: dict[str, dict[OrgUnit, Value]] = field(default_factory=dict)


def _rows_read(population) -> str | None:
    """What a population reads, as text, when it is one table's rows filtered (no join, union or
    grouping) and counted under that table's unit column: populations that read the same rows can be
    counted in one pass. None when it is anything else."""
    if not isinstance(population, Select) or population._group_by_clauses or population._distinct \
            or population._limit_clause is not None or population._setup_joins or population._from_obj:
        return None
    # The tables its columns read (cheap; get_final_froms compiles the statement: 20 ms a rollup). A
    # table only its condition names is read alike by every population of the same condition text.
    froms = population.columns_clause_froms
    unit = population.selected_columns.org_unit_id.element
    if len(froms) != 1 or not isinstance(froms[0], Table) or getattr(unit, "table", None) is None \
            or unit.table.name != froms[0].name:
        return None
    condition = population.whereclause
    where = "" if condition is None else str(condition.compile(compile_kwargs={"literal_binds": True}))
    return f"{froms[0].name}.{unit.name} WHERE {where}"


def _branches(population) -> list:
    """A population that is a UNION ALL (screenings and patrols) is counted branch by branch: each
    branch's grouped query walks its own table's township index, and no sort of the union is needed."""
    if isinstance(population, CompoundSelect) and population.keyword == CompoundSelect.UNION_ALL:
        return [branch for select_ in population.selects for branch in _branches(select_)]
    return [population]


def query_groups(indicators: list[Indicator], period: Period) -> list[tuple[list[Indicator], list[Select]]]:
    """The indicators in groups that one grouped query answers, each with its populations: those that
    read the same rows share one pass over them (the health-exam and training rates both read each
    employer's latest screening); the others are a group each, and a union a group per branch, whose
    sums the engine adds. Indicators over the same table but other rows stay apart: each is served by
    its own index, and side by side they end sooner than one scan of the union of their rows. The
    heaviest groups come first (``cost``), so that side by side they end together."""
    groups: dict[object, tuple[list[Indicator], list[Select]]] = {}
    for indicator in indicators:
        for number, population in enumerate(_branches(indicator.population(period))):
            key = _rows_read(population) or (indicator.code, number)
            grouped, populations = groups.setdefault(key, ([], []))
            grouped.append(indicator)
            populations.append(population)
    return sorted(groups.values(), key=lambda group: -max(indicator.cost for indicator in group[0]))


def grouped_query(populations: list[Select], root: OrgUnit | None = None, units: list[int] | None = None) -> Select:
    """One grouped query for populations (one, or several that read the same rows, ``query_groups``): per
    township (of ``root``'s subtree when given, of ``units`` when given), a numerator and a denominator for
    each population in turn."""
    first = populations[0]
    if len(populations) == 1:
        population = first.subquery()
        unit, sums = population.c.org_unit_id, [func.sum(population.c.numerator), func.sum(population.c.denominator)]
        query = select(unit, *sums)
    else:
        unit = first.selected_columns.org_unit_id.element
        sums = [func.sum(population.selected_columns[name].element)
                for population in populations for name in ("numerator", "denominator")]
        query = select(unit, *sums).select_from(*first.columns_clause_froms)
        if first.whereclause is not None:
            query = query.where(first.whereclause)
    query = query.group_by(unit)
    if units is not None:
        query = query.where(unit.in_(units))
    return query if root is None else query.where(
        unit.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(root.path))))


def _add(values: dict[str, dict[int, Value]], rows, indicators: list[Indicator]) -> None:
    """Add a grouped query's rows (a unit, then a numerator and a denominator per indicator) to the
    indicators' township values: a union's branches add up. A row of zeros adds nothing."""
    for unit_id, *sums in rows:
        if not any(sums):
            continue
        for index, indicator in enumerate(indicators):
            value = values[indicator.code].setdefault(unit_id, Value())
            value.numerator += float(sums[2 * index] or 0)
            value.denominator += float(sums[2 * index + 1] or 0)


def township_values(indicator: Indicator, period: Period, root: OrgUnit | None = None) -> dict[int, Value]:
    """Numerator and denominator per township (of ``root``'s subtree when given): one grouped query, or
    one per branch of a union."""
    values = {indicator.code: {}}
    for group, populations in query_groups([indicator], period):
        _add(values, db.session.execute(grouped_query(populations, root)), group)
    return values[indicator.code]


def evaluate(indicators: list[Indicator], periods: list[Period], root: OrgUnit,
             kept: bool = True) -> list[dict[str, dict[int, Value]]]:
    """Every indicator's township values under ``root`` in each period, a grouped query per group of
    indicators and period (``query_groups``). Each township's sums of a calendar period (a year, half-year
    or quarter) are kept (app/reports/summary.py) while no write touches it: the grouped queries run only
    for the townships written to since (all of them the first time; ``kept=False``: always). They are
    built here and run side by side on their own connections (read-only), ``PARALLEL_QUERIES`` at a time,
    the heaviest first: the machine's cores, not the Python code, are the limit at city scale."""
    from app.reports.summary import township_rows

    groups = sorted(((number, group, populations, period.is_calendar and kept)
                     for number, period in enumerate(periods)
                     for group, populations in query_groups(indicators, period)),
                    key=lambda item: -max(indicator.cost for indicator in item[1]))
    values = [{indicator.code: {} for indicator in indicators} for _ in periods]
    answers = township_rows([(populations, keep) for _, _, populations, keep in groups], root)
    for (number, group, _, _), rows in zip(groups, answers):
        _add(values[number], rows, group)
    return values


def side_by_side(queries: list[Select]) -> list[list]:
    """Each read-only query's rows, the queries run on their own connections ``PARALLEL_QUERIES`` at a
    time (an in-memory SQLite database has one connection: there they run one after another)."""
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return [db.session.execute(query).all() for query in queries]

    def run(query):
        with engine.connect() as connection:
            return connection.execute(query).all()

    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES) as pool:
        return list(pool.map(run, queries))


def rollup(indicators: list[Indicator], period: Period, root: OrgUnit) -> tuple[UnitRow, list[UnitRow]]:
    """The root's total and a row per child unit (a province's cities, a city's districts, a district's
    townships), each with every indicator's value summed over its subtree. Units outside ``root``'s subtree
    never enter the sums."""
    return rollups(indicators, [period], root)[0]


def rollups(indicators: list[Indicator], periods: list[Period], root: OrgUnit) -> list[tuple[UnitRow, list[UnitRow]]]:
    """``rollup`` in each of several periods, their queries run side by side (``evaluate``)."""
    # the subtree's paths (a province's 1 500 townships are not loaded as records); its children and
    # districts as records, the rows of the answer
    path_of = dict(db.session.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.path.startswith(root.path))).all())
    listed = db.session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(root.path), or_(
        OrgUnit.parent_id == root.id, OrgUnit.level == DISTRICT))).all()
    children = sorted((u for u in listed if u.parent_id == root.id), key=lambda u: u.code)
    districts = [u for u in listed if u.level == DISTRICT]
    shown = {unit.id: unit for unit in [root, *children]}
    # a COUNT is judged per district: its sums are needed for every district, shown or not
    summed = {False: list(shown.values()), True: list({**shown, **{d.id: d for d in districts}}.values())}
    # each unit's sums go to the summed units above it (or itself), found by the path's prefixes (the
    # codes from the top down): worked out once, not per indicator
    prefixes = {unit_id: [path[:end + 1] for end, character in enumerate(path) if character == "/"]
                for unit_id, path in path_of.items()}
    into = {}
    for is_count, units in summed.items():
        by_path = {unit.path: unit.id for unit in units}
        into[is_count] = {unit_id: [by_path[p] for p in paths if p in by_path] for unit_id, paths in prefixes.items()}
    answers = []
    for values in evaluate(indicators, periods, root):
        total, rows = UnitRow(root), [UnitRow(child) for child in children]
        for indicator in indicators:
            sums = defaultdict(Value)
            targets = into[indicator.is_count]
            for unit_id, value in values[indicator.code].items():
                for target in targets.get(unit_id, ()):
                    sums[target].numerator += value.numerator
                    sums[target].denominator += value.denominator
            for row in [total, *rows]:
                row.values[indicator.code] = sums.get(row.unit.id, Value())
            if indicator.is_count:
                total.districts[indicator.code] = {district: sums.get(district.id, Value()) for district in districts}
            judge(indicator, total, rows)
        answers.append((total, rows))
    return answers


def judge(indicator: Indicator, total: UnitRow, rows: list[UnitRow]) -> None:
    """Set each value's ``met``. A COUNT is judged per district; a city or a province meets it when every
    district below it does (``total.districts``); a township's count is not judged."""
    code = indicator.code
    districts = total.districts.get(code, {})
    for row in [*rows, total]:
        value = row.values[code]
        if not indicator.is_count:
            value.met = value.rate_met(indicator.target, indicator.at_most)
        elif row.unit.level == DISTRICT:
            value.met = _count_met(indicator, value)
        elif row.unit.level in (CITY, PROVINCE):
            value.met = all(_count_met(indicator, districts[district]) for district in districts
                            if district.path.startswith(row.unit.path))


def _count_met(indicator: Indicator, value: Value) -> bool:
    return value.numerator <= indicator.target if indicator.at_most else value.numerator >= indicator.target


def _in_half(population, number: int, period: Period):
    """The population of the period's ``number``-th half-year: the same half of whichever period the
    engine asks for (the period shown, or the same period last year for 同比)."""
    return population(period.half_years()[number])


def with_half_years(indicators: list[Indicator], period: Period) -> list[Indicator]:
    """The indicators to show for a period: after a ``by_half`` one, when the period spans several
    half-years, the same indicator in each of them (Annex 6: "每上、下半年各…全覆盖巡查")."""
    halves = period.half_years()
    shown = []
    for indicator in indicators:
        shown.append(indicator)
        if indicator.by_half and len(halves) > 1:
            shown += [replace(indicator, code=f"{indicator.code}@{half.key}", name=f"{indicator.name}（{half.label}）",
                              population=partial(_in_half, indicator.population, number), by_half=False)
                      for number, half in enumerate(halves)]
    return shown


def members(indicator: Indicator, period: Period, unit: OrgUnit, gap: bool) -> Select:
    """The subjects behind a unit's numerator (or behind the gap to its denominator): rows of
    ``subject_id, subject_type``."""
    population = indicator.population(period).subquery()
    units = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    condition = (population.c.numerator < population.c.denominator if gap
                 else population.c.numerator > 0)
    subject_type = population.c.get("subject_type", literal_column(f"'{indicator.subject}'"))
    return (select(population.c.subject_id, subject_type.label("subject_type"))
            .where(population.c.org_unit_id.in_(units), condition))
