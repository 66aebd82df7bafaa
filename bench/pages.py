"""Page benchmark: every page each business role opens, at bench scale, timed on the server.

    .venv/bin/python bench/pages.py                 # SQLite file instance/bench.db (bench/reports.py makes it)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/pages.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench10 .venv/bin/python bench/pages.py --scale 10

Generates the bench city if the database has none (as bench/reports.py does), adds one account per
business role — city admin and leader at the city (at --scale 10 the province's admin and leader), district
admin at 浦东新区 (the province's first county), clerk at its first township
— then signs in as each through the login form, as a person would, and opens the home page, every link of
the navigation menu (the lists and reports the role reaches) and, of every list, the add form and the
first record's page and edit form where the list offers them. Each page is opened once to warm the caches, then ``--runs`` times; the median of those is its server
time (Flask's test client: no network, no browser). Prints a table per page and the worst page of each
role against the targets: every page ≤ 500 ms and ≤ 300 KB, the indicator rollup and the score's ranking
(a rollup of every township's score) ≤ 1 s, the 5-year trend of the heaviest indicator (the rollup's
engine over five years, issue 16) ≤ 2 s.
"""
import argparse
import re
import statistics
import sys
import time
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import arguments, generate, make_app, save_in_one_township, settle  # noqa: E402

PASSWORD = "Bench@2026!"
PAGE_MS, PAGE_KB, ROLLUP_MS, TREND_MS = 500, 300, 1000, 2000
ROLLUP_PATH = "/reports/rollup"
RANKING_PATH = "/score/ranking"
TREND_PATH = "/reports/trend"
SKIPPED = re.compile(r"^/(static|login|logout|lang|users/userinfo|resetmypassword|swagger|api)/?")
MENU_LINK = re.compile(r'<a[^>]+href="(/[^"#]*)"[^>]*>')
ADD_LINK = re.compile(r'href="(/[a-z0-9_]+/add)(?:\?[^"]*)?"')
RECORD_LINK = re.compile(r'href="(/[a-z0-9_]+/(?:show|edit)/\d+)(?:\?[^"]*)?"')


def accounts(app) -> list[tuple[str, str]]:
    """(role, username) of the four business roles, created in the bench city if missing."""
    from sqlalchemy import select

    from app.models import DISTRICT, PROVINCE, TOWNSHIP, OrgUnit, PortalUser, db
    from app.roles import (CITY_ADMIN, DISTRICT_ADMIN, LEADER, PROVINCE_ADMIN, PROVINCIAL_LEADER,
                           TOWNSHIP_CLERK)
    from app.seed.demo import make_user

    with app.app_context():
        city = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id))
        district = db.session.scalar(select(OrgUnit).where(OrgUnit.level == DISTRICT, OrgUnit.code == "310115")) \
            or db.session.scalar(select(OrgUnit).where(OrgUnit.level == DISTRICT).order_by(OrgUnit.code))
        township = db.session.scalar(select(OrgUnit).where(OrgUnit.level == TOWNSHIP,
                                                           OrgUnit.parent_id == district.id).order_by(OrgUnit.code))
        if city.level == PROVINCE:  # the bench at --scale above 1: the province's admin and leader
            wanted = [(PROVINCE_ADMIN, "benchprovince", city), (PROVINCIAL_LEADER, "benchleader", city)]
        else:
            wanted = [(CITY_ADMIN, "benchcity", city), (LEADER, "benchleader", city)]
        wanted += [(DISTRICT_ADMIN, "benchdistrict", district), (TOWNSHIP_CLERK, "benchclerk", township)]
        for role, username, unit in wanted:
            if db.session.scalar(select(PortalUser.id).where(PortalUser.username == username)) is None:
                db.session.add(make_user(app.appbuilder.sm, username, role, unit, PASSWORD))
        db.session.commit()
        return [(role, username) for role, username, _ in wanted]


def sign_in(client, username: str) -> None:
    client.get("/logout/")
    answer = client.post("/login/", data={"username": username, "password": PASSWORD})
    home = client.get("/")
    if answer.status_code != 302 or home.status_code != 200 or "/login" in home.headers.get("Location", ""):
        raise SystemExit(f"could not sign in as {username}")


def saved_in(app) -> None:
    with app.app_context():
        save_in_one_township()


def timed(client, path: str, runs: int, before=None) -> tuple[int, float, int]:
    """Status, median server time (ms) and size (bytes) of a page, opened warm (``before`` each run)."""
    client.get(path)
    times, answer = [], None
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return answer.status_code, statistics.median(times), len(answer.data)


def pages_of(client) -> list[str]:
    """The home page, the menu's links, and of every list the add form and the first record's page and
    edit form (where the list offers them), in menu order."""
    home = client.get("/").get_data(as_text=True)
    links = []
    for href in (unescape(h) for h in MENU_LINK.findall(home)):
        if not SKIPPED.match(href) and href not in links:
            links.append(href)
    pages = ["/"] + [link for link in links if link != "/"]
    # The score's ranking of the user's own unit (a city's districts): reached from the score pages, not
    # the menu, and the heaviest of them.
    if "/score/" in pages and client.get(RANKING_PATH).status_code == 200:
        pages.append(RANKING_PATH)
    # The 5-year trend of the heaviest indicator of the default set, reached from the rollup.
    if ROLLUP_PATH in pages:
        from app.reports.indicators import INDICATORS
        heaviest = max((indicator for indicator in INDICATORS if indicator.used), key=lambda i: i.cost)
        pages.append(f"{TREND_PATH}?indicator={heaviest.code}&span=years")
    for link in list(pages):
        if link.endswith("/list/"):
            listed = client.get(link).get_data(as_text=True)
            first_record = {}
            for found in RECORD_LINK.findall(listed):
                first_record.setdefault(found.split("/")[2], found)
            for page in ADD_LINK.findall(listed) + list(first_record.values()):
                if page not in pages:
                    pages.append(page)
    return pages


def over_target(path: str, ms: float, size: int) -> bool:
    limit_ms = TREND_MS if path.startswith(TREND_PATH) else \
        ROLLUP_MS if path.startswith((ROLLUP_PATH, RANKING_PATH)) else PAGE_MS
    return ms > limit_ms or size > PAGE_KB * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per page after a warm one (median)")
    parser.add_argument("--role", help="only this username (benchcity or at --scale 10 benchprovince, "
                                       "benchleader, benchdistrict, benchclerk)")
    args = arguments(parser)
    app = make_app()
    app.config.update(WTF_CSRF_ENABLED=False)
    generate(app)
    settle(app)
    with app.app_context():
        from app.models import db
        dialect = db.engine.dialect.name
    print(f"\nDatabase: {dialect}\n")
    print(f"| {'role':<14} | {'page':<48} | {'status':>6} | {'time (ms)':>9} | {'HTML (KB)':>9} | over |")
    print(f"|{'-' * 16}|{'-' * 50}|{'-' * 8}|{'-' * 11}|{'-' * 11}|------|")
    worst, over = {}, 0
    for role, username in accounts(app):
        if args.role and username != args.role:
            continue
        client = app.test_client()
        sign_in(client, username)
        paths = pages_of(client)
        # the reports that read kept sums (app/reports/summary.py), also right after a save in a township
        paths += [(path, "after a save") for path in paths if path.startswith((ROLLUP_PATH, TREND_PATH, RANKING_PATH))]
        for path in paths:
            path, before = (path[0] + " (after a save)", lambda: saved_in(app)) \
                if isinstance(path, tuple) else (path, None)
            status, ms, size = timed(client, path.removesuffix(" (after a save)"), args.runs, before)
            # A redirect is no failure: a clerk's edit link of an accepted record leads to its page.
            flag = over_target(path, ms, size) or status >= 400
            over += flag
            print(f"| {username:<14} | {path[:48]:<48} | {status:>6} | {ms:>9.0f} | {size / 1024:>9.1f} | "
                  f"{'×' if flag else '':^4} |", flush=True)
            slowest, largest = worst.get(username, ((0, ""), (0, "")))
            worst[username] = (max(slowest, (ms, path)), max(largest, (size, path)))
    print(f"\nWorst page of each role (targets: ≤ {PAGE_MS} ms and ≤ {PAGE_KB} KB; {ROLLUP_PATH} ≤ {ROLLUP_MS} ms; "
          f"{TREND_PATH} ≤ {TREND_MS} ms)\n")
    print(f"| {'role':<14} | {'slowest page':<40} | {'ms':>6} | {'largest page':<40} | {'KB':>7} |")
    print(f"|{'-' * 16}|{'-' * 42}|{'-' * 8}|{'-' * 42}|{'-' * 9}|")
    for username, ((ms, slow), (size, large)) in worst.items():
        print(f"| {username:<14} | {slow[:40]:<40} | {ms:>6.0f} | {large[:40]:<40} | {size / 1024:>7.1f} |")
    print(f"\n{over} page(s) over target or not 200")


if __name__ == "__main__":
    main()
