"""Each indicator's grouped query at city scale, one after another, then the whole city rollup (side by side
as the page runs it), for the current year and a past one. On the database bench/reports.py generates:

    .venv/bin/python bench/indicators.py [--period 2026] [--runs 3]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/indicators.py

Prints a table of the best of ``--runs`` warm runs in milliseconds. ``--cpu`` times each query by the CPU
its thread used instead of the wall clock: on SQLite, which runs in this process, that holds steady while
other work loads the machine (not for the rollup side by side, which runs on threads of its own).
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, select  # noqa: E402

from bench.reports import make_app  # noqa: E402


def best_of(runs: int, work, clock=time.perf_counter) -> float:
    work()  # warm the caches
    times = []
    for _ in range(runs):
        started = clock()
        work()
        times.append(clock() - started)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", action="append", help="periods to time (default: this year and last)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="time each query by its thread's CPU time")
    args = parser.parse_args()
    app = make_app()
    from flask_migrate import upgrade

    from app.models import CITY, OrgUnit, db
    from app.reports.engine import grouped_query, query_groups, rollup
    from app.reports.indicators import INDICATORS
    from app.reports.periods import parse_period

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)  # the indexes of this checkout
        city = db.session.scalar(select(OrgUnit).where(OrgUnit.level == CITY))
        this_year = time.localtime().tm_year
        periods = args.period or [str(this_year), str(this_year - 1)]
        rows = {}
        for key in periods:
            period = parse_period(key)
            for group, populations in query_groups(INDICATORS, period):
                tables = sorted({table.name for table in populations[0].get_final_froms()
                                 if isinstance(table, Table)})
                label = " + ".join(indicator.code for indicator in group) + f" ({', '.join(tables)})"
                query = grouped_query(populations, city)
                rows.setdefault(label, {})[key] = best_of(args.runs, lambda: db.session.execute(query).all(),
                                                          time.thread_time if args.cpu else time.perf_counter)
            rows.setdefault("(sum, one after another)", {})[key] = sum(
                times.get(key, 0) for label, times in rows.items() if not label.startswith("("))
            rows.setdefault("(city rollup, side by side)", {})[key] = best_of(
                args.runs, lambda: rollup(INDICATORS, period, city))
        dialect = db.engine.dialect.name
    clock = "CPU time of each query" if args.cpu else "wall clock"
    print(f"\nDatabase: {dialect}; best of {args.runs} warm runs, ms ({clock})\n")
    print(f"| {'query':<58} | " + " | ".join(f"{key:>8}" for key in periods) + " |")
    print(f"|{'-' * 60}|" + "|".join("-" * 10 for _ in periods) + "|")
    for label, times in rows.items():
        print(f"| {label:<58} | " + " | ".join(f"{times[key]:>8.0f}" if key in times else f"{'':>8}" for key in periods) + " |")


if __name__ == "__main__":
    main()
