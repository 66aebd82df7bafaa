"""Load test: simulated township clerks on loopback against the portal served by gunicorn.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/load .venv/bin/python bench/load.py --clerks 20 --seconds 60

Prepares the database (schema, demo city, one clerk account per township used), starts gunicorn on a
free loopback port, and lets each clerk loop for a bounded time: sign in once, then list patrols, open the
add form, create a patrol (checklist answered) and submit it. Prints requests/s, p50/p95 latency and
errors, then checks in the database that every patrol a clerk was told was created exists exactly once.
"""
import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "Load@2026!"
RUN = time.strftime("%Y%m%d%H%M%S")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(clerks: int):
    """Schema, demo city and ``clerks`` clerk accounts, each in its own township with its employers."""
    from sqlalchemy import select

    from app import create_app
    from app.cli import prepare_database
    from app.models import TOWNSHIP, ChecklistTemplate, Employer, OrgUnit, PortalUser, ProductionStatus, db
    from app.roles import TOWNSHIP_CLERK
    from app.seed.demo import make_user

    app = create_app()
    with app.app_context():
        prepare_database(with_demo=True)
        townships = db.session.scalars(select(OrgUnit).where(OrgUnit.level == TOWNSHIP).order_by(OrgUnit.path)).all()
        template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id))
        status = db.session.scalar(select(ProductionStatus.id).where(ProductionStatus.code == "1"))
        accounts = []
        for number, township in enumerate(townships[:clerks], start=1):
            username = f"loadclerk{number:02d}"
            if db.session.scalar(select(PortalUser.id).where(PortalUser.username == username)) is None:
                db.session.add(make_user(app.appbuilder.sm, username, TOWNSHIP_CLERK, township, PASSWORD))
            employers = db.session.scalars(select(Employer.id).where(Employer.org_unit_id == township.id)).all()
            accounts.append((username, employers))
        db.session.commit()
    return app, accounts, template, status


class Clerk(threading.Thread):
    def __init__(self, base, username, employers, template, status, until, record):
        super().__init__(daemon=True)
        self.base, self.username, self.employers = base, username, employers
        self.template, self.status, self.until, self.record = template, status, until, record
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.created = []

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                text = response.read().decode()
                url = response.geturl()
            self.record(time.perf_counter() - started, None)
            return url, text
        except (urllib.error.URLError, OSError) as error:
            self.record(time.perf_counter() - started, error)
            return None, ""

    @staticmethod
    def token(html):
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
            re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
        return match.group(1) if match else ""

    def run(self):
        _, html = self.request("/login/")
        self.request("/login/", {"username": self.username, "password": PASSWORD, "csrf_token": self.token(html)})
        number = 0
        while time.monotonic() < self.until:
            number += 1
            marker = f"负载测试 {RUN} {self.username} #{number}"  # unique across runs on one database
            self.request("/patrols/list/")
            _, form = self.request("/patrols/add")
            answers = {f"answers-answer-{item}": "yes" for item in range(1, 7)}
            answers["answers-answer-7"] = "no"
            url, _ = self.request("/patrols/add", {
                "csrf_token": self.token(form), "employer": str(self.employers[number % len(self.employers)]),
                "template": str(self.template), "production_status": str(self.status),
                "visit_date": date.today().isoformat(), "problems_found": marker, "disposal": "当场督促整改",
                **answers})
            match = re.search(r"/patrols/show/(\d+)", url or "")
            if match is None:
                self.record(0, RuntimeError(f"{self.username}: patrol not created"))
                continue
            self.created.append((int(match.group(1)), marker))
            _, shown = self.request(f"/patrols/show/{match.group(1)}")
            self.request(f"/patrols/action/submit/{match.group(1)}", {"csrf_token": self.token(shown)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))  # the server's key, as production sets it
    app, accounts, template, status = prepare(args.clerks)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "app:create_app()"], cwd=ROOT,
                              env={**os.environ, "SESSION_COOKIE_SECURE": "0"})  # driven by plain HTTP
    for _ in range(240):  # the port opens before the workers have built the app: wait for an answer
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=10):
                break
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    time.sleep(5)  # the other workers finish booting
    latencies, errors, lock = [], [], threading.Lock()

    def record(seconds, error):
        with lock:
            (errors.append(error) if error else latencies.append(seconds))

    until = time.monotonic() + args.seconds
    started = time.perf_counter()
    clerks = [Clerk(base, username, employers, template, status, until, record) for username, employers in accounts]
    for clerk in clerks:
        clerk.start()
    for clerk in clerks:
        clerk.join()
    elapsed = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=20)

    from sqlalchemy import func, select

    from app.models import Patrol, db
    created = [entry for clerk in clerks for entry in clerk.created]
    with app.app_context():
        counts = dict(db.session.execute(select(Patrol.problems_found, func.count()).where(
            Patrol.problems_found.in_([marker for _, marker in created])).group_by(Patrol.problems_found)).all())
        submitted = db.session.scalar(select(func.count()).where(
            Patrol.id.in_([pk for pk, _ in created]), Patrol.state == "submitted"))
    lost = [marker for _, marker in created if counts.get(marker, 0) == 0]
    doubled = [marker for marker, count in counts.items() if count > 1]
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print("\n| clerks | seconds | requests | requests/s | p50 (ms) | p95 (ms) | errors | patrols created | "
          "submitted | lost | doubled |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.clerks} | {elapsed:.0f} | {len(latencies)} | {len(latencies) / elapsed:.1f} | "
          f"{statistics.median(latencies) * 1000:.0f} | {p95 * 1000:.0f} | {len(errors)} | {len(created)} | "
          f"{submitted} | {len(lost)} | {len(doubled)} |")
    for error in errors[:5]:
        print("error:", error)
    sys.exit(1 if errors or lost or doubled else 0)


if __name__ == "__main__":
    main()
