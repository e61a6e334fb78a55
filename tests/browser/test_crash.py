"""Crash test: start a session, check once, kill -9 the server, start it again. The session
and its attempt are still there, and the terminal reconnects to the same sandbox.

Needs scripts/e2e-server.sh managing the server (BREAKFIX_E2E_DIR set by scripts/e2e.sh).
"""

import json
import os
import pathlib
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from test_play import is_displayed, terminal_contains, wait, diagnostics

ROOT = pathlib.Path(__file__).resolve().parents[2]
SLUG = "access-log-forensics"


def server_ctl(action):
    subprocess.run(["bash", str(ROOT / "scripts/e2e-server.sh"), action], check=True)


def api_get(driver, path):
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done, e => done('ERR ' + e));",
        path)


def shell_ready(d):
    return (not is_displayed(d, "#progress") and d.find_elements(By.CSS_SELECTOR, "#terminal .xterm")
            and terminal_contains(d, "admin@"))


def type_line(driver, text, enter=True):
    driver.find_element(By.ID, "terminal").click()
    helper = wait(driver, 5, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#terminal textarea.xterm-helper-textarea")), "no xterm textarea")
    helper.send_keys(text + (Keys.ENTER if enter else ""))


@pytest.mark.skipif(not os.environ.get("BREAKFIX_E2E_DIR"), reason="needs scripts/e2e.sh to manage the server")
def test_kill_9_loses_nothing(server, driver, artifacts):
    driver.get(server + "/scenarios/" + SLUG)
    wait(driver, 10, EC.element_to_be_clickable((By.ID, "start-btn")), "no start button").click()
    wait(driver, 15, lambda d: "/sessions/" in d.current_url, "start should open the session page")
    session_id = driver.current_url.rstrip("/").split("/")[-1]
    wait(driver, 90, shell_ready, "shell prompt before the crash")
    type_line(driver, "echo before-$((6*7))-crash")
    wait(driver, 15, lambda d: terminal_contains(d, "before-42-crash"), "echo before the crash")
    wait(driver, 10, EC.element_to_be_clickable((By.ID, "check-btn")), "check button").click()
    wait(driver, 20, lambda d: "no" in d.find_element(By.ID, "verdict").get_attribute("class"),
         "the untouched sandbox must check NO")

    server_ctl("kill9")
    server_ctl("start")

    state = json.loads(api_get(driver, "/api/sessions/" + session_id))
    assert state["state"] == "ready", f"after kill -9 and restart the session should still be ready: {state}"
    results = api_get(driver, "/sessions/" + session_id + "/results")
    assert ">NO<" in results, "the check attempt made before the crash must still be recorded"

    driver.get(server + "/sessions/" + session_id)
    wait(driver, 60, shell_ready, "terminal after the restart\n" + diagnostics(driver))
    type_line(driver, "echo after-$((7*6))-restart; ls ~")
    wait(driver, 15, lambda d: terminal_contains(d, "after-42-restart"),
         "the reconnected terminal must run commands\n" + diagnostics(driver))
    driver.save_screenshot(str(artifacts / "after-restart.png"))
    driver.find_element(By.ID, "end-btn").click()
    try:
        driver.switch_to.alert.accept()
    except Exception:
        pass
    wait(driver, 15, lambda d: d.current_url.endswith("/results"), "end should open the results")
