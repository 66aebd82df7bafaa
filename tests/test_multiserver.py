"""Stateless app servers (issue 15, item 1): "two gunicorn servers on two loopback ports on one PostgreSQL
database behind Debian's nginx balancing round-robin", checked through the proxy as a user meets them.

Each server has an instance directory of its own, so nothing on one server's disk can serve the other; the
test's nginx names the server of every answer (X-Upstream) so that each story shows it crossed servers."""
import io
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, func, select

from app import create_app
from app.cli import prepare_database
from app.imports.employers import township_label
from app.models import CITY, DISTRICT, TOWNSHIP, AuditLog, Employer, OrgUnit, PortalUser, db
from app.roles import TOWNSHIP_CLERK
from app.seed.demo import make_credit_code, make_user
from config import TestConfig
from tests.postgres import own_database

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "Test@2026!"
CLERKS = ("clerk", "locked", "leaver")

NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream portal {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser's cookie jar speaking to the proxy; every answer notes the server that gave it."""

    def __init__(self, base: str):
        self.base, self.jar = base, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.servers: list[str] = []

    def request(self, path, data=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            self.servers.append(response.headers.get("X-Upstream"))
            return response.status, response.headers.get("Location", ""), response.read().decode()

    def get(self, path):
        return self.request(path)

    def post(self, path, fields: dict, files: dict | None = None):
        if not files:
            return self.request(path, urllib.parse.urlencode(fields).encode())
        boundary = secrets.token_hex(16)
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                       f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request(path, body.getvalue(), f"multipart/form-data; boundary={boundary}")

    def csrf(self, path) -> str:
        return csrf_token(self.get(path)[2])

    def sign_in(self, username, password=PASSWORD):
        return self.post("/login/", {"username": username, "password": password, "csrf_token": self.csrf("/login/")})

    def last_two_servers(self) -> set[str]:
        return set(self.servers[-2:])


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def signed_in(answer) -> bool:
    status, location, _ = answer
    return status == 302 and "/login" not in location


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within 2 minutes:\n{log.read_text()[-3000:]}")


def prepare(url: str) -> str:
    """Schema, roles and dictionaries as ``flask portal init`` makes them, one township and its clerks;
    returns the township's label as the import template names it."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        prepare_database(with_demo=False)
        city = OrgUnit(level=CITY, code="310000", name="上海市")
        district = OrgUnit(level=DISTRICT, code="310101", name="黄浦区", parent=city)
        township = OrgUnit(level=TOWNSHIP, code="310101002", name="南京东路街道", parent=district)
        db.session.add_all([city, district, township])
        for username in CLERKS:
            db.session.add(make_user(app.appbuilder.sm, username, TOWNSHIP_CLERK, township, PASSWORD))
        db.session.commit()
        label = township_label(township)  # as the import template's drop-down names it
        db.engine.dispose()
    return label


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two gunicorn servers (own instance directories, one SECRET_KEY from the environment) on one
    PostgreSQL database, behind nginx balancing round-robin; yields the proxy's URL and the database's."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            raise RuntimeError("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("Debian's nginx is not installed (apt-get install -y nginx)")
    with own_database("multiserver") as database:
        url = database.render_as_string(hide_password=False)
        township = prepare(url)
        folder = tmp_path_factory.mktemp("cluster")
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
               "SESSION_COOKIE_SECURE": "0", "TRUSTED_PROXIES": "1"}
        processes, ports = [], [free_port(), free_port()]
        try:
            for number, port in enumerate(ports):
                instance, log = folder / f"instance{number}", folder / f"gunicorn{number}.log"
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "app:create_app()"],
                    cwd=ROOT, env={**env, "PORTAL_INSTANCE_DIR": str(instance)},
                    stdout=log.open("w"), stderr=subprocess.STDOUT))
                wait_for(f"http://127.0.0.1:{port}/health", processes[-1], log)
            proxy_port, prefix = free_port(), folder / "nginx"
            prefix.mkdir()
            conf = prefix / "nginx.conf"
            conf.write_text(NGINX_CONF.format(prefix=prefix, first=ports[0], second=ports[1], port=proxy_port))
            log = prefix / "error.log"
            log.touch()
            processes.append(subprocess.Popen([NGINX, "-p", str(prefix), "-e", str(log), "-c", str(conf),
                                               "-g", "daemon off;"], stdout=log.open("a"), stderr=subprocess.STDOUT))
            wait_for(f"http://127.0.0.1:{proxy_port}/health", processes[-1], log)
            yield {"proxy": f"http://127.0.0.1:{proxy_port}", "database": url, "township": township,
                   "servers": {f"127.0.0.1:{port}" for port in ports},
                   "instances": [folder / f"instance{number}" for number in range(len(ports))]}
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=20)


def count(url: str, statement) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        answer = connection.scalar(statement)
    engine.dispose()
    return answer


def test_health_answers_through_the_proxy_from_both_servers(cluster):
    client = Client(cluster["proxy"])
    answers = [client.get("/health") for _ in range(2)]
    assert [(status, json.loads(body)) for status, _, body in answers] == [(200, {"status": "ok"})] * 2
    assert client.last_two_servers() == cluster["servers"]


def test_a_sign_in_on_one_server_serves_the_next_request_on_the_other(cluster):
    client = Client(cluster["proxy"])
    assert signed_in(client.sign_in("clerk"))
    status, _, html = client.get("/employers/list/")
    assert status == 200 and "/logout" in html
    assert client.last_two_servers() == cluster["servers"]


def import_file(township: str, name: str, credit_code: str | None) -> bytes:
    """One employer in the import template's columns; without a credit code it has none yet (尚未取得)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["说明"])
    sheet.append(["企业名称 *", "统一社会信用代码", "尚未取得统一社会信用代码", "工作场所所在街道（乡镇） *",
                  "在岗职工总人数", "其中女职工人数", "存在职业病危害"])
    sheet.append([name, credit_code, None if credit_code else "是", township, 20, 5, "否"])
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def preview(client: Client, content: bytes) -> str:
    """Upload the file; returns the preview's form token."""
    token = client.csrf("/employers/import/")
    status, _, page = client.post("/employers/import/upload", {"csrf_token": token},
                                  files={"file": ("list.xlsx", content)})
    assert status == 200 and "/employers/import/commit" in page, page[-2000:]
    return csrf_token(page)


def named(cluster, name: str) -> int:
    return count(cluster["database"], select(func.count()).select_from(Employer).where(Employer.name == name))


def test_an_import_previewed_through_one_server_and_committed_through_the_other_lands_once(cluster):
    name = f"两台服务器导入企业{secrets.token_hex(4)}"
    client = Client(cluster["proxy"])
    assert signed_in(client.sign_in("clerk"))
    token = preview(client, import_file(cluster["township"], name, make_credit_code(random.Random(), "310101")))
    status, location, _ = client.post("/employers/import/commit", {"csrf_token": token})
    assert status == 302 and "/employers/list" in location
    assert client.last_two_servers() == cluster["servers"]
    status, location, _ = client.post("/employers/import/commit", {"csrf_token": token})
    assert status == 302 and "/employers/import" in location  # committed once: nothing left to commit
    assert named(cluster, name) == 1


def test_one_preview_committed_through_both_servers_at_once_lands_once(cluster):
    """A double click, or two tabs: both commits reach different servers together. The file has no credit
    code, so no unique index would catch a second insert — the pending file itself is taken once."""
    name = f"同时提交企业{secrets.token_hex(4)}"
    client = Client(cluster["proxy"])
    assert signed_in(client.sign_in("clerk"))
    token = preview(client, import_file(cluster["township"], name, None))
    tabs = [Client(cluster["proxy"]) for _ in range(2)]
    for tab in tabs:
        for cookie in client.jar:
            tab.jar.set_cookie(cookie)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda tab: tab.post("/employers/import/commit", {"csrf_token": token}), tabs))
    assert sorted(location.rsplit("/employers/", 1)[1] for _, location, _ in answers) == ["import/", "list/"]
    assert {tab.servers[0] for tab in tabs} == cluster["servers"]
    assert named(cluster, name) == 1


def test_five_failed_sign_ins_spread_over_both_servers_lock_the_account(cluster):
    client = Client(cluster["proxy"])
    for _ in range(5):
        assert not signed_in(client.sign_in("locked", "Wrong@2026!"))
    assert set(client.servers) == cluster["servers"]
    assert not signed_in(client.sign_in("locked"))  # the right password, refused while locked
    user = select(PortalUser.id).where(PortalUser.username == "locked").scalar_subquery()
    assert count(cluster["database"], select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == "PortalUser", AuditLog.record_id == user, AuditLog.action == "lockout")) == 1


def test_a_sign_out_ends_the_session_on_both_servers(cluster):
    client = Client(cluster["proxy"])
    assert signed_in(client.sign_in("leaver"))
    copy = Client(cluster["proxy"])  # the session cookie as it was before the sign-out (e.g. copied)
    for cookie in client.jar:
        copy.jar.set_cookie(cookie)
    assert [copy.get("/employers/list/")[0] for _ in range(2)] == [200, 200]
    assert set(copy.servers) == cluster["servers"]
    client.get("/logout/")
    answers = [copy.get("/employers/list/") for _ in range(2)]
    assert all(status == 302 and "/login" in location for status, location, _ in answers), answers
    assert copy.last_two_servers() == cluster["servers"]


def test_no_server_keeps_anything_on_its_own_disk(cluster):
    """After every story above: "nothing a request needs lives on one server's disk" — no key, no file."""
    assert [sorted(instance.rglob("*")) for instance in cluster["instances"]] == [[], []]
