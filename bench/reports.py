"""Report benchmark: generate a city at scale into a database, then time the reports on it.

    .venv/bin/python bench/reports.py                 # SQLite file instance/bench.db
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/reports.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench10 .venv/bin/python bench/reports.py --scale 10

Generates (once; an existing bench database is reused): 200 000 employers in 192 townships of Shanghai's
16 districts, 2 000 000 patrols over 5 years, 500 000 screenings, 30 000 patients with 300 000 follow-up
visits, 100 000 archives with reviews and 20 000 hazard reports — written in bulk (PostgreSQL's COPY), not
through the model rules (the data is generated valid). ``--scale 10`` (issue 15) makes a province instead:
贵州省's 9 prefectures and 88 counties (GB/T 2260) with 17 townships each (1 496), and ten times every
count (2 000 000 employers, 20 000 000 patrols, 5 000 000 screenings, 300 000 patients …). Then prints a
table: each report's time and peak Python memory, next to the time of the bare SQL aggregate that yields
the same numbers.
"""
import argparse
import importlib.util
import os
import random
import sys
import time
import tracemalloc
from itertools import chain
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

FULL_SCALE = {"employers": 200_000, "patrols": 2_000_000, "screenings": 500_000, "patients": 30_000,
              "visits": 300_000, "archives": 100_000, "hazard_reports": 20_000}
# BENCH_FRACTION=0.01 makes a small city for a quick trial of the script itself; --scale multiplies.
SCALE: dict[str, int] = {}
TOWNSHIPS_PER_CITY_DISTRICT, TOWNSHIPS_PER_COUNTY = 12, 17


def set_scale(scale: float) -> None:
    """Every count times ``scale`` (and BENCH_FRACTION); above 1 the bench is a province (``province``)."""
    fraction = float(os.environ.get("BENCH_FRACTION", 1))
    SCALE.update({key: max(10, int(count * scale * fraction)) for key, count in FULL_SCALE.items()})
    SCALE["province"] = scale > 1


set_scale(1)
YEARS = (2022, 2023, 2024, 2025, 2026)
BATCH = 20_000


def database_url() -> str:
    default = Path(__file__).resolve().parent.parent / "instance" / "bench.db"
    return os.environ.get("DATABASE_URL") or f"sqlite:///{os.environ.get('BENCH_SQLITE', default)}"


def make_app(url: str | None = None):
    from app import create_app
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url or database_url()
        SECRET_KEY = Config.SECRET_KEY or "bench-only-secret-key"  # reads reports, serves no sessions

    return create_app(BenchConfig)


def insert(connection, table, rows) -> None:
    """Rows (dicts with the same keys) into ``table``: PostgreSQL's COPY, else batched INSERTs."""
    if connection.dialect.name == "postgresql":
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        defaults = _python_defaults(table, first)  # COPY runs no SQLAlchemy column defaults
        columns = [*first, *defaults]
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in chain([first], rows):
                copy.write_row([*row.values(), *defaults.values()])
        return
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _python_defaults(table, row: dict) -> dict:
    """The values SQLAlchemy would fill in for the columns ``row`` leaves out (scalar or callable defaults)."""
    defaults = {}
    for column in table.columns:
        if column.name in row or column.default is None:
            continue
        if column.default.is_scalar:
            defaults[column.name] = column.default.arg
        elif column.default.is_callable:
            defaults[column.name] = column.default.arg(None)
    return defaults


def random_day(rng, year_from=YEARS[0], year_to=YEARS[-1]):
    start, end = date(year_from, 1, 1), min(date(year_to, 12, 31), date.today())
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def id_number(rng, region: str, birth: date, serial: int) -> str:
    from app.codes import id_number_check_char

    first17 = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_number_check_char(first17)


def generate(app) -> None:
    from flask_migrate import upgrade

    from app import sync_roles
    from app.models import (ArchiveReview, ChecklistTemplate, DiseaseCategory, Employer, FollowUpVisit,
                            HealthArchive, OrgUnit, Patient, Patrol, ProductionStatus, RiskClass, Screening, db)
    from app.models.hazard_report import HazardReport
    from app.seed.demo import DISTRICTS
    from app.seed.dictionaries import seed_dictionaries

    rng = random.Random(1)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        sync_roles(app.appbuilder.sm)
        seed_dictionaries(db.session)
        db.session.commit()
        if db.session.scalar(select(func.count(Employer.id))):
            print("bench database already generated: reusing it")
            return
        started = time.perf_counter()
        townships = []

        def add_townships(district, count):
            for number in range(1, count + 1):
                township = OrgUnit(level="township", code=f"{district.code}{number:03d}",
                                   name=f"{district.name}{number}号街道", parent=district)
                db.session.add(township)
                townships.append(township)

        if SCALE["province"]:
            from app.seed.demo_province import GUIZHOU, PREFECTURES

            province = OrgUnit(level="province", code=GUIZHOU[0], name=GUIZHOU[1])
            db.session.add(province)
            for (city_code, city_name), counties in PREFECTURES.items():
                city = OrgUnit(level="city", code=city_code, name=city_name, parent=province)
                db.session.add(city)
                for code, name in counties:
                    county = OrgUnit(level="district", code=code, name=name, parent=city)
                    db.session.add(county)
                    add_townships(county, TOWNSHIPS_PER_COUNTY)
        else:
            city = OrgUnit(level="city", code="310000", name="上海市")
            db.session.add(city)
            for code, name in DISTRICTS:
                district = OrgUnit(level="district", code=code, name=name, parent=city)
                db.session.add(district)
                add_townships(district, TOWNSHIPS_PER_CITY_DISTRICT)
        db.session.commit()
        township_ids = [(t.id, t.code) for t in townships]  # an archive number is the township code + serial
        risk = {r.code: r.id for r in db.session.scalars(select(RiskClass))}
        normal = db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == "1"))
        stopped = db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == "2"))
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        category = db.session.scalar(select(DiseaseCategory.id).where(DiseaseCategory.catalogue == "2013"))
        connection = db.session.connection()
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            # The row triggers that keep each employer's latest dates (migration 0009) would update an
            # employer row per inserted visit, all in one transaction: hours on PostgreSQL, where every
            # update leaves a row version behind. They are off while loading; the dates are set at the
            # end by migration 0009's own statement.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            # An index kept up row by row under 20 000 000 random keys is the load's bottleneck: the
            # loaded tables' indexes are dropped, and built again at the end (as pg_restore does).
            indexes = connection.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' AND tablename IN "
                "('employer', 'patrol', 'screening', 'patient', 'patient_follow_up_visit', 'health_archive', "
                "'archive_review', 'hazard_report') AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conname = i.indexname)")).all()
            for name, _ in indexes:
                connection.execute(text(f"DROP INDEX {name}"))

        serials, unit_of, hazardous = {}, {}, []

        def employers():
            for number in range(1, SCALE["employers"] + 1):
                unit, prefix = rng.choice(township_ids)
                serials[prefix] = serials.get(prefix, 0) + 1
                hazard = rng.random() < 0.6
                declared = hazard and rng.random() < 0.85
                registered = random_day(rng, 2020)
                unit_of[number] = unit
                if hazard:
                    hazardous.append(number)
                yield {
                "id": number, "name": f"基准企业{number}", "org_unit_id": unit, "credit_code_pending": True,
                "archive_number": f"{prefix}{serials[prefix]:04d}", "registered_on": registered,
                "total_workers": rng.randint(5, 800), "female_workers": 0, "outsourced_workers": 0,
                "has_hazard": hazard,
                "risk_class_id": (risk["2"] if rng.random() < 0.3 else risk["1"]) if hazard else None,
                "hazard_declared": declared, "declared_on": registered if declared else None,
                "production_status_id": normal if rng.random() < 0.95 else stopped}

        insert(connection, Employer.__table__, employers())

        def visits(count, table, extra):
            for number in range(1, count + 1):
                employer = rng.choice(hazardous)
                day = random_day(rng)
                state = rng.choices(("accepted", "submitted", "draft", "returned"), (80, 10, 7, 3))[0]
                submitted = (datetime.combine(day, datetime.min.time()) + timedelta(days=rng.randint(0, 12))
                             if state != "draft" else None)
                # the district accepted or returned it a few days after it was submitted
                reviewed = submitted + timedelta(days=rng.randint(1, 5)) if state in ("accepted", "returned") else None
                yield {"id": number, "employer_id": employer, "org_unit_id": unit_of[employer],
                       "visit_date": day, "state": state, "submitted_at": submitted, "reviewed_at": reviewed,
                       **extra(day)}

        insert(connection, Patrol.__table__, visits(SCALE["patrols"], Patrol.__table__, lambda day: {
            "template_id": template, "production_status_id": normal, "problems_found": None}))
        insert(connection, Screening.__table__, visits(SCALE["screenings"], Screening.__table__, lambda day: {
            "exposed_total": 40, "exposed_dust": 20, "workers_trained": rng.randint(20, 40),
            "exam_due_count": 40, "exam_done_count": rng.randint(25, 40), "detection_status": "all",
            "detection_report_date": day - timedelta(days=rng.randint(0, 700))}))
        patients, taken = [], set()
        for number in range(1, SCALE["patients"] + 1):
            unit, prefix = rng.choice(township_ids)
            birth = date(rng.randint(1950, 1985), rng.randint(1, 12), rng.randint(1, 28))
            while (prefix[:6], birth, number % 1000) in taken:
                birth += timedelta(days=1)
            taken.add((prefix[:6], birth, number % 1000))
            patients.append({
                "id": number, "org_unit_id": unit, "name": f"病人{number}", "card_type": "pneumoconiosis",
                "id_number": id_number(rng, prefix[:6], birth, number), "sex": "male", "birth_date": birth,
                "disease_category_id": category, "diagnosed_on": random_day(rng, 2010, 2021),
                "dead": rng.random() < 0.05, "lost": rng.random() < 0.05})
        insert(connection, Patient.__table__, patients)
        insert(connection, FollowUpVisit.__table__, ({
            "id": number, "patient_id": rng.randint(1, SCALE["patients"]), "visited_on": random_day(rng),
            "method": "1"} for number in range(1, SCALE["visits"] + 1)))
        archived = rng.sample(hazardous, SCALE["archives"])
        insert(connection, HealthArchive.__table__, ({"id": number, "employer_id": employer,
                                                      "established_on": date(2021, 1, 1)}
                                                     for number, employer in enumerate(archived, start=1)))
        insert(connection, ArchiveReview.__table__, ({"id": number, "archive_id": number,
                                                      "reviewed_on": random_day(rng, 2025)}
                                                     for number in range(1, SCALE["archives"] + 1)))
        insert(connection, HazardReport.__table__, ({
            "id": number, "org_unit_id": unit_of[employer], "employer_id": employer, "category": "other",
            "description": "基准", "found_at": datetime.combine(random_day(rng), datetime.min.time()),
            "reported_at": None} for number, employer in
            enumerate((rng.choice(hazardous) for _ in range(SCALE["hazard_reports"])), start=1)))
        if postgresql:
            connection.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
            for _, definition in indexes:
                connection.execute(text(definition))
        db.session.commit()
        if postgresql:  # with the statistics of what was loaded: else each employer's probe is a scan
            db.session.execute(text("ANALYZE"))
            db.session.execute(text(kept_dates_statement()))
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("employer", "patrol", "screening", "patient", "patient_follow_up_visit",
                          "health_archive", "archive_review", "hazard_report"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
            db.session.commit()
        print(f"generated in {time.perf_counter() - started:.0f} s")


def kept_dates_statement() -> str:
    """Migration 0009's UPDATE that sets every employer's kept latest detection, screening and patrol."""
    path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0009_due_list_dates.py"
    spec = importlib.util.spec_from_file_location("due_list_dates", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return f"UPDATE employer SET {', '.join(f'{column} = {value}' for column, value in migration.KEPT.items())}"


def settle(app) -> None:
    """Statistics and (PostgreSQL) the visibility map, as autovacuum leaves a live database: without it
    a freshly bulk-loaded table defeats index-only scans."""
    with app.app_context():
        from app.models import db

        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))


def measure(label, work, bare=None) -> tuple:
    """Time ``work`` on its own, then run it again under tracemalloc for its peak memory (tracing slows
    Python code several times, so the two are never measured in the same run)."""
    work()  # warm the database's caches: every report is measured warm
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    bare_elapsed = None
    if bare is not None:
        started = time.perf_counter()
        bare()
        bare_elapsed = time.perf_counter() - started
    return label, elapsed, peak, bare_elapsed, result


def run(app) -> list[tuple]:
    from app.models import OrgUnit, db
    from app.reports.engine import grouped_query, query_groups, rollup
    from app.reports.indicators import INDICATORS
    from app.reports.periods import parse_period

    results = []
    with app.app_context():
        city = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id))
        district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "310115")) or db.session.scalar(
            select(OrgUnit).where(OrgUnit.level == "district").order_by(OrgUnit.code))
        period = parse_period("2025")

        def bare_aggregates(root):
            """The same grouped statements, one after another on one connection, nothing rolled up."""
            def run():
                for _, populations in query_groups(INDICATORS, period):
                    db.session.execute(grouped_query(populations, root)).all()
            return run

        results.extend(kept_measurements(city, period))
        results.append(measure(f"{city.level} rollup, {len(INDICATORS)} indicators, year 2025",
                               lambda: rollup(INDICATORS, period, city), bare_aggregates(city)))
        results.append(measure(f"district drill-down ({district.name}), year 2025",
                               lambda: rollup(INDICATORS, period, district), bare_aggregates(district)))
        results.extend(register_measurements(db))
    return results


def kept_measurements(root, period) -> list[tuple]:
    """The rollup page's work (every indicator with 同比, ``compared_rollup``) as a leader meets it: the
    first time ever (nothing kept: every township scanned), right after a clerk's save in one township
    (that township scanned again), and with nothing saved since (only the kept rows read)."""
    from sqlalchemy import delete

    from app.models import TownshipSummary, db
    from app.reports.comparison import compared_rollup
    from app.reports.indicators import INDICATORS

    def forget():
        db.session.execute(delete(TownshipSummary))
        db.session.commit()

    def work():
        return compared_rollup(INDICATORS, period, root)

    name = f"{root.level} rollup with 同比, {len(INDICATORS)} indicators, {period.key}"
    return [measure_after(f"{name}: nothing kept (first ever)", forget, work),
            measure_after(f"{name}: after a save in one township", save_in_one_township, work),
            measure(f"{name}: nothing saved since", work)]


def save_in_one_township() -> None:
    """A clerk's save (in the app context): an employer row written, which makes its township's kept
    rollup sums stale."""
    from sqlalchemy import update

    from app.models import Employer, db

    first = db.session.scalar(select(func.min(Employer.id)))
    db.session.execute(update(Employer).where(Employer.id == first).values(name=Employer.name))
    db.session.commit()


def measure_after(label, setup, work) -> tuple:
    """``measure`` with ``setup`` run before each run of ``work`` (and not timed)."""
    setup()
    work()
    setup()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    setup()
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return label, elapsed, peak, None, result


def register_measurements(db) -> list[tuple]:
    """The patrol register's xlsx export for the largest township-year, and for 100 000 rows (the
    largest township-years one after another, as a district would print them)."""
    from itertools import chain, islice

    from app.models import Patrol
    from app.reports.register import patrol_register, register_query
    from app.reports.register_xlsx import register_sheet
    from app.xlsx import workbook_file

    headers = ["序号", "巡查地点及内容", "发现的主要问题", "巡查日期", "巡查人", "备注"]
    year = func.extract("year", Patrol.visit_date)
    sizes = db.session.execute(select(Patrol.org_unit_id, year, func.count()).group_by(Patrol.org_unit_id, year)
                               .order_by(func.count().desc())).all()
    unit, largest_year, largest = sizes[0]

    def register(rows):
        with workbook_file(lambda book: register_sheet(book, "巡查工作登记表", "基准", headers, rows)) as file:
            return file.seek(0, 2)

    def township_year():
        return register(patrol_register(unit, int(largest_year)))

    def hundred_thousand():
        return register(islice(chain.from_iterable(patrol_register(u, int(y)) for u, y, _ in sizes), 100_000))

    def bare(pairs):
        def run():
            fetched = 0
            for u, y, _ in pairs:
                fetched += len(db.session.execute(register_query(u, int(y))).all())
                if fetched >= 100_000:
                    return
        return run

    enough, total = [], 0
    for size in sizes:
        enough.append(size)
        total += size[2]
        if total >= 100_000:
            break
    return [measure(f"register xlsx, largest township-year ({largest} patrols)", township_year,
                    bare([sizes[0]])),
            measure("register xlsx, 100 000 rows", hundred_thousand, bare(enough))]


def arguments(parser: argparse.ArgumentParser | None = None) -> argparse.Namespace:
    """``--scale``: how many times the full bench (1: Shanghai's city; above 1: a province), set in SCALE."""
    parser = parser or argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1, help="times the full bench city (10: the province)")
    options = parser.parse_args()
    set_scale(options.scale)
    return options


def main() -> None:
    arguments()
    app = make_app()
    generate(app)
    settle(app)
    results = run(app)
    with app.app_context():
        from app.models import db
        dialect = db.engine.dialect.name
    print(f"\nDatabase: {dialect}\n")
    print(f"| {'report':<78} | {'time (s)':>8} | {'peak memory (MB)':>16} | {'bare SQL (s)':>12} |")
    print(f"|{'-' * 80}|{'-' * 10}|{'-' * 18}|{'-' * 14}|")
    for label, elapsed, peak, bare, _ in results:
        bare_text = f"{bare:.3f}" if bare is not None else "—"
        print(f"| {label:<78} | {elapsed:>8.3f} | {peak / 2**20:>16.1f} | {bare_text:>12} |")


if __name__ == "__main__":
    main()
