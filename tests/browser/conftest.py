"""Browser tests for the Breakfix web UI (selenium + Debian's headless chromium).

Configuration (environment):
  BREAKFIX_URL        base URL of a running server (default http://127.0.0.1:8080);
                      the caller starts the server, these tests never do.
  BREAKFIX_ARTIFACTS  where screenshots (and failure dumps) go (default ./test-artifacts).
  CHROMIUM_BINARY     default /usr/bin/chromium
  CHROMEDRIVER        default /usr/bin/chromedriver
"""

import json
import os
import pathlib
import re
import sys
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

DEFAULT_URL = "http://127.0.0.1:8080"


@pytest.fixture(scope="session")
def base_url():
    return os.environ.get("BREAKFIX_URL", DEFAULT_URL).rstrip("/")


@pytest.fixture(scope="session")
def artifacts():
    path = pathlib.Path(os.environ.get("BREAKFIX_ARTIFACTS", "test-artifacts")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def server(base_url):
    """Fail fast, with a clear message, when nothing answers at BREAKFIX_URL."""
    problem = None
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=10) as resp:
            if resp.status != 200:
                problem = f"HTTP {resp.status}"
    except (urllib.error.URLError, OSError) as exc:
        problem = str(exc)
    if problem:
        pytest.fail(
            f"Breakfix server not healthy at {base_url}/healthz ({problem}); "
            "start it first (the browser tests do not start it)",
            pytrace=False,
        )
    return base_url


def chrome_options():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
    ):
        options.add_argument(arg)
    # A window.confirm() the test did not handle explicitly is accepted rather than dismissed.
    options.set_capability("unhandledPromptBehavior", "accept")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def new_driver():
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=chrome_options())


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def _dump_failure(driver, artifacts, name):
    """Screenshot, page source, terminal text and console log of a failed test."""
    stem = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    try:
        driver.save_screenshot(str(artifacts / f"{stem}.png"))
    except Exception:
        pass
    try:
        (artifacts / f"{stem}.html").write_text(
            f"<!-- {driver.current_url} -->\n" + driver.page_source, encoding="utf-8"
        )
    except Exception:
        pass
    try:
        logs = driver.get_log("browser")
        (artifacts / f"{stem}.console.json").write_text(json.dumps(logs, indent=1), encoding="utf-8")
    except Exception:
        pass


@pytest.fixture
def driver(request, artifacts):
    drv = new_driver()
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            _dump_failure(drv, artifacts, request.node.name)
        drv.quit()


def pytest_terminal_summary(terminalreporter):
    """The live view's latency, measured by the two browsers (test_interview), in the output."""
    module = sys.modules.get("test_interview")
    for ms in getattr(module, "LIVE_LATENCY", []):
        terminalreporter.write_line(f"interview live view: the observer saw the candidate's output {ms} ms after Enter")
