"""Export benchmark: lists exported as xlsx (导出Excel) on the bench city, as the city admin.

    BENCH_SQLITE=/path/to/bench.db .venv/bin/python bench/exports.py       # opened read-only
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/exports.py

The city must exist: ``bench/reports.py`` generates it. Each export is what the list's 导出Excel does —
``app.exports.list_rows`` read under the list's filters (given as the list's query string), written by
``app.exports.write_list`` into a workbook of ``app.xlsx`` — run in a process of its own: once to warm
the database's caches, once timed (wall and CPU time; the growth of the process's maximum resident set
over its memory before), once under tracemalloc for the peak of Python's own allocations. Targets:
100 000 rows in ≤ 10 s and ≤ 200 MB.
"""
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import database_url, make_app  # noqa: E402

# name: (view, the list's query string). Filters chosen for about 100 000 rows of the bench city.
EXPORTS = {
    "patrols, visited 2025-01-01 … 2025-04-02": ("PatrolView", "_flt_1_visit_date=2024-12-31&_flt_2_visit_date=2025-04-03"),
    "employers, hazard project declared": ("EmployerView", "_flt_0_hazard_declared=y"),
    "archives (hybrid properties: plain rows)": ("ArchiveView", ""),
}


def read_only(url: str) -> str:
    """SQLite opened read-only: the bench city may be another checkout's, and is never written here."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url


def export(app, view_name: str, query: str) -> tuple[int, int]:
    """The list's export as the city admin: (rows, bytes of the xlsx)."""
    from flask import g
    from sqlalchemy import select

    from app.exports import list_headers, list_rows, write_list
    from app.models import OrgUnit, db
    from app.xlsx import workbook_file

    view = next(view for view in app.appbuilder.baseviews if type(view).__name__ == view_name)
    with app.test_request_context(f"/?{query}"):
        city = db.session.scalar(select(OrgUnit).where(OrgUnit.level == "city"))
        # Who the scope is read from (app.scoping): a city admin, without writing a user into the database.
        g.user = SimpleNamespace(id=0, is_authenticated=True, org_unit=city)
        filters, order_column, order_direction = view.listed()
        written = []
        with workbook_file(lambda book: written.append(write_list(
                book, list_headers(view), list_rows(view, filters, order_column, order_direction)))) as file:
            size = file.seek(0, 2)
        db.session.remove()
    return written[0], size


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_one(name: str) -> None:
    """In this process: warm run, timed run, traced run; prints one tab-separated line."""
    app = make_app(read_only(database_url()))
    view_name, query = EXPORTS[name]
    before = resident_mb()
    export(app, view_name, query)
    started, cpu = time.perf_counter(), time.process_time()
    rows, size = export(app, view_name, query)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    tracemalloc.start()
    export(app, view_name, query)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print("\t".join(map(str, (rows, elapsed, cpu, peak, rss_growth, size / 2**20))))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure_one(sys.argv[2])
        return
    with make_app(read_only(database_url())).app_context():
        from app.models import db
        dialect = db.engine.dialect.name
    print(f"\nDatabase: {dialect}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"| {'export':<44} | {'rows':>7} | {'time (s)':>8} | {'CPU (s)':>7} | {'Python peak (MB)':>16} "
          f"| {'max RSS growth (MB)':>19} | {'xlsx (MB)':>9} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 18}|{'-' * 21}|{'-' * 11}|")
    for name in EXPORTS:
        result = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True,
                                check=True)
        rows, elapsed, cpu, peak, rss, size = result.stdout.strip().splitlines()[-1].split("\t")
        print(f"| {name:<44} | {int(rows):>7} | {float(elapsed):>8.2f} | {float(cpu):>7.2f} | {float(peak):>16.1f} "
              f"| {float(rss):>19.1f} | {float(size):>9.1f} |")


if __name__ == "__main__":
    main()
