"""Issue 15 item 4: the rollup keeps each township's sums (app/reports/summary.py) and stays live — "a
record saved is in the next rollup", and "the summary always equals the grouped scan, after any insert,
edit, state change, deletion, move of an employer between townships, closing of a year"."""
from datetime import date, datetime

import pytest
from sqlalchemy import delete, event, insert, select, text, update

from app.models import (GLOBAL_STAMP, ArchiveReview, ClosedYear, CoordinatorTraining, Employer, FollowUpVisit,
                        HazardReport, OrgUnit, Patrol, RiskClass, Screening, SummaryStamp, TownshipSummary, db)
from app.models.summary import VERSIONED_TABLES
from app.reports.engine import evaluate, grouped_query, query_groups, with_half_years
from app.reports.indicators import INDICATORS
from app.reports.periods import parse_period
from app.reports import summary
from app.reports.summary import query_key, tables_read
from tests.report_city import report_city
from tests.test_reports import HEFEI_2025

PERIODS = ("2025", "2025Q3", "2024H2")  # calendar periods: kept
TOWNSHIPS = ("m1", "m2", "n1", "n2")


@pytest.fixture(scope="module")
def nanchang(app):
    """The rollup tests' city again, as 南昌市 360100 (districts 东湖区 m, 西湖区 n), for these tests to write to."""
    return report_city(app, "360100", "南昌市", "nc", districts=("东湖区", "西湖区"))


def township_values(app, nanchang, kept: bool, periods=PERIODS) -> dict:
    """Per period, indicator and township: (numerator, denominator), the townships with nothing left out."""
    with app.app_context():
        root = db.session.get(OrgUnit, nanchang.unit["city"])
        found = {}
        for key in periods:
            period = parse_period(key)
            [values] = evaluate(with_half_years(INDICATORS, period), [period], root, kept=kept)
            found[key] = {code: {unit: (value.numerator, value.denominator) for unit, value in units.items()
                                 if value.numerator or value.denominator}
                          for code, units in values.items()}
        return found


def grouped_statements(app, work) -> list[str]:
    """The grouped queries (the scans) ``work`` runs."""
    statements = []

    def count(conn, cursor, statement, *args):
        if "GROUP BY" in statement:
            statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            work()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return statements


def versions(app) -> dict[int, int]:
    with app.app_context():
        return dict(db.session.execute(select(SummaryStamp.org_unit_id, SummaryStamp.version)).all())


def kept_equals_scan(app, nanchang) -> dict:
    """The rollup's values from the kept rows and the rescanned townships, checked against a full scan."""
    kept = township_values(app, nanchang, kept=True)
    assert kept == township_values(app, nanchang, kept=False)
    return kept


def write(app, statement, *more) -> None:
    with app.app_context():
        for one in (statement, *more):
            db.session.execute(one) if not isinstance(one, db.Model) else db.session.add(one)
        db.session.commit()


def test_kept_sums_are_the_scans_and_nothing_is_scanned_again_until_a_write(app, nanchang):
    first = kept_equals_scan(app, nanchang)
    unit = {nanchang.unit[key]: key for key in TOWNSHIPS}
    for code, expected in HEFEI_2025.items():  # the hand-worked values hold, from the kept rows
        assert {unit[u]: value for u, value in first["2025"][code].items()} == \
            {key: value for key, value in expected.items() if key in TOWNSHIPS and value != (0, 0)}, code
    with app.app_context():
        kept = db.session.scalar(select(db.func.count()).select_from(TownshipSummary).where(
            TownshipSummary.org_unit_id == nanchang.unit["m1"]))
    assert kept > 0
    assert grouped_statements(app, lambda: township_values(app, nanchang, kept=True)) == []


def test_every_kind_of_write_bumps_its_townships_and_is_in_the_next_rollup(app, nanchang):
    """Each write below is followed by: the versions of exactly its townships moved, the next rollup equals a
    full scan, it rescans only the townships written to, and the value the write changes did change."""
    kept_equals_scan(app, nanchang)
    u, e = nanchang.unit, nanchang.employer
    steps = []

    def step(name, townships, code, period, before, after, *statements):
        """``code``'s (numerator, denominator) in ``period`` for the first township goes ``before`` → ``after``."""
        unit = u[townships[0]] if townships else u["m1"]
        assert township_values(app, nanchang, kept=True)[period][code].get(unit, (0, 0)) == before, name
        earlier = versions(app)
        write(app, *statements)
        moved = {unit for unit, version in versions(app).items() if version != earlier.get(unit)}
        assert moved == {u[key] for key in townships}, name
        scans = grouped_statements(app, lambda: township_values(app, nanchang, kept=True))
        assert all("org_unit.path" not in scan for scan in scans), name  # only the townships written to
        assert (len(scans) > 0) == bool(townships), name
        kept_equals_scan(app, nanchang)
        assert township_values(app, nanchang, kept=True)[period][code].get(unit, (0, 0)) == after, name
        steps.append(name)

    with app.app_context():
        serious = db.session.scalar(select(RiskClass.id).where(RiskClass.code == "2"))
        archive_d = db.session.execute(text("SELECT id FROM health_archive WHERE employer_id = :e"),
                                       {"e": e["D"]}).scalar_one()
        template, status = db.session.execute(select(Patrol.template_id, Patrol.production_status_id).where(
            Patrol.id == nanchang.patrol["P1"])).one()
    employer_row = {"name": "南昌新企业", "org_unit_id": u["n2"], "has_hazard": True, "risk_class_id": serious,
                    "registered_on": date(2024, 3, 1), "hazard_declared": False, "credit_code_pending": True,
                    "total_workers": 20, "female_workers": 0, "outsourced_workers": 0}
    step("insert an employer", ["n2"], "declaration", "2025", (0, 0), (0, 1),
         insert(Employer).values(**employer_row))
    step("delete a patrol", ["m2"], "patrol@2025H2", "2025", (1, 1), (0, 1),
         delete(Patrol).where(Patrol.id == nanchang.patrol["P2"]))
    step("edit an employer", ["m2"], "declaration", "2025", (1, 1), (0, 1),
         update(Employer).where(Employer.id == e["D"]).values(hazard_declared=False))
    step("a screening's state: draft to submitted", ["m1"], "new_screening", "2025", (1, 2), (2, 2),
         update(Screening).where(Screening.id == nanchang.screening["S2"])
         .values(state="submitted", submitted_at=datetime(2025, 3, 12, 9)))
    step("move an employer between townships", ["m1", "n1"], "declaration", "2025", (1, 2), (0, 1),
         update(Employer).where(Employer.id == e["A"]).values(org_unit_id=u["n1"]))
    step("an archive review (a row of the employer's archive)", ["m2"], "archive", "2025", (0, 1), (1, 1),
         insert(ArchiveReview).values(archive_id=archive_d, reviewed_on=date(2025, 6, 1)))
    step("a follow-up visit (a row of the patient)", ["m1"], "follow_up", "2025", (1, 2), (2, 2),
         insert(FollowUpVisit).values(patient_id=nanchang.patient["Pb"], visited_on=date(2025, 7, 1), method="1"))
    step("a coordinator's training", ["m2"], "coordinator_attended", "2025", (0, 1), (1, 1),
         insert(CoordinatorTraining).values(coordinator_id=nanchang.coordinator["K3"], course="业务培训",
                                            held_on=date(2025, 11, 1), attended=True, passed=True))
    step("a hazard report", ["n1"], "information", "2025", (1, 1), (1, 2),
         insert(HazardReport).values(org_unit_id=u["n1"], employer_id=e["E"], category="violation",
                                     description="未设置警示标识", found_at=datetime(2025, 10, 1, 9)))
    step("a patrol of the second half-year", ["n1"], "patrol@2025H2", "2025", (0, 2), (1, 2),
         insert(Patrol).values(employer_id=e["E"], org_unit_id=u["n1"], visit_date=date(2025, 10, 1),
                               state="submitted", submitted_at=datetime(2025, 10, 2), template_id=template,
                               production_status_id=status))
    try:
        step("closing a year (no indicator reads it)", [], "declaration", "2025", (0, 1), (0, 1),
             insert(ClosedYear).values(year=2019))
    finally:
        write(app, delete(ClosedYear).where(ClosedYear.year == 2019))
    assert len(steps) == 11


def test_a_dictionary_an_indicator_reads_makes_every_kept_row_stale(app, nanchang):
    kept_equals_scan(app, nanchang)
    before = versions(app)[GLOBAL_STAMP]
    write(app, update(RiskClass).where(RiskClass.code == "2").values(name=RiskClass.name))
    assert versions(app)[GLOBAL_STAMP] == before  # a name is not read by any indicator
    write(app, update(RiskClass).where(RiskClass.code == "2").values(code="2"))
    assert versions(app)[GLOBAL_STAMP] > before
    with app.app_context():  # a quarter reads its year's SME assistance: the same query as the year's
        queries = {tuple(query_key([population], db.engine.dialect) for population in populations) for key in PERIODS
                   for _, populations in query_groups(with_half_years(INDICATORS, parse_period(key)),
                                                      parse_period(key))}
    scans = grouped_statements(app, lambda: township_values(app, nanchang, kept=True))
    assert len(scans) == len(queries) and all("org_unit.path" in scan for scan in scans)  # whole subtree
    kept_equals_scan(app, nanchang)


def test_a_write_committed_while_the_rollup_runs_is_in_the_next_one(app, nanchang, monkeypatch):
    """The versions are read before the scans: a write committed after a township was scanned but before
    its sums are kept leaves them stale, not wrong."""
    kept_equals_scan(app, nanchang)
    write(app, update(Employer).where(Employer.id == nanchang.employer["E"]).values(name="南昌E"))  # n1 rescanned
    keep, done = summary._keep, []

    def meanwhile(rows, *others):
        with db.engine.begin() as other:  # another clerk's save, committed between the scan and the keeping
            other.execute(update(Employer).where(Employer.id == nanchang.employer["E"]).values(hazard_declared=False))
        done.append(len(rows))
        keep(rows, *others)

    monkeypatch.setattr(summary, "_keep", meanwhile)
    before = township_values(app, nanchang, kept=True, periods=("2025",))
    monkeypatch.setattr(summary, "_keep", keep)
    assert done and before["2025"]["declaration"][nanchang.unit["n1"]] == (2, 2)  # A (moved) and E, before the save
    after = kept_equals_scan(app, nanchang)
    assert after["2025"]["declaration"][nanchang.unit["n1"]] == (1, 2)


def test_a_range_of_dates_is_computed_and_not_kept(app, nanchang):
    with app.app_context():
        db.session.execute(delete(TownshipSummary))
        db.session.commit()
    ranged = ("2025-02-01..2025-09-30",)
    assert township_values(app, nanchang, True, ranged) == township_values(app, nanchang, False, ranged)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(TownshipSummary)) == 0


def test_every_table_an_indicator_reads_bumps_the_versions(app):
    """A new indicator reading a new table fails here until migration triggers bump the versions on it."""
    with app.app_context():
        period = parse_period("2025")
        read = set().union(*(tables_read(grouped_query(populations))
                             for _, populations in query_groups(with_half_years(INDICATORS, period), period)))
        if db.engine.dialect.name == "postgresql":
            triggers = set(db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
        else:
            triggers = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert {"employer", "screening", "patrol", "archive_review", "coordinator_training", "risk_class"} <= read
    assert read <= VERSIONED_TABLES  # the due lists' and the score's counts are kept by this list too
    missing = {f"summary_stamp_{table}_{event}" for table in VERSIONED_TABLES
               for event in ("insert", "update", "delete")} - triggers
    assert missing == set()


def scanned_counts(app, unit_id, today) -> dict[str, int]:
    """Each due list's count by one plain count of its rows (no kept counts)."""
    from app.reports.due import DUE_LISTS, _parts

    with app.app_context():
        unit = db.session.get(OrgUnit, unit_id)
        return {due_list.code: sum(db.session.scalar(select(db.func.count()).select_from(query.subquery()))
                                   for _, query in _parts(due_list, unit, today, shown=False))
                for due_list in DUE_LISTS}


def kept_counts(app, unit_id, today) -> dict[str, int]:
    from app.reports.due import DUE_LISTS, counts

    with app.app_context():
        return counts(DUE_LISTS, db.session.get(OrgUnit, unit_id), today)


def test_the_due_lists_counts_are_kept_for_the_day_and_follow_every_save(app, nanchang):
    """The home page's counts (issue 15 item 4: ≤ 500 ms at a province's scale) come from the same kept
    township sums: equal to a plain count, a save is in the next count, and a day's rows go the next day."""
    from app.reports.due import DUE_LISTS
    from app.reports.summary import reads_only_versioned

    today, city = date(2026, 3, 2), nanchang.unit["city"]
    assert kept_counts(app, city, today) == scanned_counts(app, city, today)
    with app.app_context():
        kept_today = db.session.scalar(select(db.func.count()).select_from(TownshipSummary).where(
            TownshipSummary.expires_on == today))
        made = {due_list.code: due_list.query(today, False) for due_list in DUE_LISTS}
        versioned = {code: all(reads_only_versioned(part) for part in (parts if isinstance(parts, tuple) else (parts,)))
                     for code, parts in made.items()}
    assert kept_today > 0
    assert versioned["returned"] and versioned["detection_overdue"] and not versioned["candidates_overdue"]
    warm = grouped_statements(app, lambda: kept_counts(app, city, today))  # only the lists never kept
    assert warm and all("declaration_candidate" in scan or "prevention_institution" in scan for scan in warm)
    before = kept_counts(app, city, today)["returned"]
    write(app, update(Screening).where(Screening.id == nanchang.screening["S2"])
          .values(state="returned", reviewed_at=datetime(2026, 3, 1, 9), return_reason="缺检测报告"))
    after = kept_counts(app, city, today)
    assert after["returned"] == before + 1 and after == scanned_counts(app, city, today)
    kept_counts(app, city, date(2026, 3, 3))  # the next day: yesterday's kept counts are dropped
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(TownshipSummary).where(
            TownshipSummary.expires_on == today)) == 0


def test_keep_rollups_fills_the_kept_sums_so_the_first_rollup_scans_nothing(app, nanchang):
    """``flask portal keep-rollups``: optional, after a deployment the first leader's rollup of a period
    (and its trend, and the score's rates: the same populations) reads kept sums."""
    with app.app_context():
        db.session.execute(delete(TownshipSummary))
        db.session.commit()
    with app.app_context():  # as `flask` gives every command
        answer = app.test_cli_runner().invoke(args=["portal", "keep-rollups", "--years", "1"])
    assert answer.exit_code == 0, answer.output
    this_year = date.today().year
    assert f"南昌市 {this_year}Q4" in answer.output
    assert grouped_statements(app, lambda: township_values(app, nanchang, True, (str(this_year),))) == []

    def quarters_trend():  # one indicator alone, grouped otherwise than the rollup's set
        from app.reports.indicators import INDICATORS_BY_CODE
        from app.reports.trend import trend

        unit = db.session.get(OrgUnit, nanchang.unit["city"])
        periods = [parse_period(f"{this_year}Q{quarter}") for quarter in range(1, 5)]
        return trend(INDICATORS_BY_CODE["health_exam"], unit, periods)

    assert grouped_statements(app, quarters_trend) == []
