"""The browser stories' fixtures: the portal started as a new user starts it (``run.py``, a fresh SQLite
instance with the demo city, one per test session), Debian's chromium driven by Playwright, and pages signed
in as the demo users. A failing test keeps a screenshot of each of its pages under test-artifacts/."""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Demo@2026!"  # app/seed/demo.py
ARTIFACTS = ROOT / "test-artifacts"

from playwright.sync_api import sync_playwright


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """``run.py`` as a new user starts it: a fresh SQLite instance with the demo city."""
    port = free_port()
    env = {**os.environ, "PORTAL_INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    log = open(tmp_path_factory.mktemp("log") / "portal.log", "w+")
    process = subprocess.Popen([sys.executable, "run.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the portal stopped:\n{log.read()[-3000:]}")
        time.sleep(0.5)
    else:
        process.kill()
        raise RuntimeError("the portal did not start within 2 minutes")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page_as(portal, browser, request):
    """A fresh browser context signed in as a demo user; a screenshot is kept if the test fails. Any
    script the Content-Security-Policy blocked (an inline script without the page's nonce) fails the test."""
    pages, blocked = [], []

    def sign_in(username: str, **context_options):
        """``context_options`` (Playwright's, e.g. a phone's viewport) replace the desktop defaults."""
        context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, "accept_downloads": True,
                                         "locale": "zh-CN", **context_options})
        page = context.new_page()
        page.on("console", lambda message: blocked.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text else None)
        page.goto(f"{portal}/login/")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
        pages.append((username, page))
        return page

    yield sign_in
    failed = getattr(request.node, "rep_call", None)
    for username, page in pages:
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{username}.png"), full_page=True)
        page.context.close()
    assert not blocked, blocked


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
