"""End-to-end code challenges on the real server, judge and dockerd, in headless Chromium:

- a player opens a challenge from the catalog's "Code challenges" filter, types in the editor
  (Tab and auto-indent), submits a wrong program and watches each test's verdict appear while
  the judge is still running, then a right one and gets AC, sees the history and the leaderboard;
- an admin (made with `breakfix user add --admin`) creates a contest in the UI, a player joins
  and solves an item, and the admin's open scoreboard page updates by itself.
"""

import json
import os
import pathlib
import secrets
import subprocess
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from conftest import new_driver
from test_play import register, wait

ROOT = pathlib.Path(__file__).resolve().parents[2]
SLUG = "sum-of-integers"
JUDGE_TIMEOUT = 90

# Records every state the result panel shows, with the number of test rows at that moment.
WATCH_JS = """
window.__states = [];
const line = document.getElementById('verdict-line');
new MutationObserver(() => {
  window.__states.push({state: line.dataset.state, verdict: line.dataset.verdict,
                        rows: document.querySelectorAll('#test-rows tr').length});
}).observe(document.getElementById('result'), {subtree: true, childList: true, characterData: true});
"""


def solution(prefix, ext):
    files = sorted((ROOT / "challenges" / SLUG / "solutions").glob(f"{prefix}-*.{ext}"))
    assert files, f"challenges/{SLUG}/solutions has no {prefix}-*.{ext}"
    return files[0].read_text()


def set_source(driver, text):
    driver.execute_script(
        "const e = document.getElementById('source'); e.value = arguments[0];"
        "e.dispatchEvent(new Event('input'));", text)


def choose_language(driver, language):
    driver.execute_script(
        "const s = document.getElementById('language'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change'));", language)


def final_verdict(driver):
    line = driver.find_element(By.ID, "verdict-line")
    return line.get_attribute("data-verdict") if line.get_attribute("data-state") == "done" else None


def submit_and_wait(driver):
    driver.execute_script(WATCH_JS)
    button = driver.find_element(By.ID, "submit-btn")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    wait(driver, JUDGE_TIMEOUT, final_verdict,
         f"no verdict within {JUDGE_TIMEOUT}s; error: {driver.find_element(By.ID, 'submit-error').text!r}")
    return final_verdict(driver), driver.execute_script("return window.__states")


def languages(base_url):
    with urllib.request.urlopen(base_url + "/api/languages", timeout=10) as response:
        return json.load(response)


def test_languages_list_their_toolchain_versions(server):
    """The server asks its engine for each language's version at start (in the background)."""
    deadline = time.time() + 60
    while True:
        listed = {lang["id"]: lang.get("version") for lang in languages(server)}
        if all(listed.values()) or time.time() > deadline:
            break
        time.sleep(1)
    assert set(listed) >= {"c", "cpp", "python3", "go", "rust", "java", "bash"}, listed
    assert "gcc" in (listed["c"] or "") and "Python 3" in (listed["python3"] or ""), listed
    assert all(listed.values()), f"every language has a version line: {listed}"


def test_submit_watch_verdicts_history_and_leaderboard(server, driver, artifacts):
    base_url = server
    username = register(driver, base_url)
    driver.get(base_url + "/")
    driver.find_element(By.CSS_SELECTOR, "button.kind-filter[data-kind=challenge]").click()
    visible = [c for c in driver.find_elements(By.CSS_SELECTOR, "a.card") if c.is_displayed()]
    assert visible and all(c.get_attribute("data-kind") == "challenge" for c in visible), \
        "the Code challenges filter shows only challenges"
    driver.find_element(By.CSS_SELECTOR, f"a.card[href='/challenges/{SLUG}']").click()
    wait(driver, 15, EC.visibility_of_element_located((By.ID, "source")), "the challenge page has no editor")
    assert "Sample 1" in driver.find_element(By.CSS_SELECTOR, "section.statement").text

    # The editor: real keystrokes; Tab indents by four spaces and Enter after ':' indents.
    choose_language(driver, "python3")
    editor = driver.find_element(By.ID, "source")
    set_source(driver, "")
    editor.click()
    editor.send_keys("def f(x):", Keys.ENTER, "return x", Keys.ENTER, Keys.TAB, "pass")
    typed = driver.execute_script("return document.getElementById('source').value")
    assert typed.startswith("def f(x):\n    return x\n    " + "    pass"), f"auto-indent and Tab: {typed!r}"

    # A wrong program: WA on a hidden test, and the rows appear while judging.
    set_source(driver, solution("wa", "c"))
    choose_language(driver, "c")
    set_source(driver, solution("wa", "c"))
    verdict, states = submit_and_wait(driver)
    assert verdict == "WA", f"the wa- solution got {verdict}: {states[-3:]}"
    failing = driver.find_element(By.CSS_SELECTOR, "#test-rows tr[data-verdict=WA]")
    assert failing.find_element(By.CSS_SELECTOR, "td").text.isdigit()
    partial = [s for s in states if s["state"] == "running" and 0 < s["rows"]]
    assert partial, f"test rows should appear before the verdict (pushed, not at the end): {states}"
    assert "Wrong answer on test" in driver.find_element(By.ID, "verdict-line").text
    assert not driver.find_elements(By.CSS_SELECTOR, "p.notice"), "outside a contest the page says nothing of one"
    driver.set_window_size(1280, 1000)
    driver.execute_script("document.querySelector('.editor-bar').scrollIntoView({block: 'start'}); window.scrollBy(0, -80)")
    driver.save_screenshot(str(artifacts / "challenge-wa.png"))

    # The accepted program.
    set_source(driver, solution("ac", "c"))
    verdict, states = submit_and_wait(driver)
    assert verdict == "AC", f"the ac- solution got {verdict}"
    rows = driver.find_elements(By.CSS_SELECTOR, "#test-rows tr")
    assert rows and all(r.get_attribute("data-verdict") == "AC" for r in rows)
    cpu = [int(r.find_elements(By.CSS_SELECTOR, "td")[2].text.split()[0]) for r in rows]
    assert all(0 <= ms < 1000 for ms in cpu), f"measured CPU per test: {cpu}"
    driver.save_screenshot(str(artifacts / "challenge-ac.png"))

    wait(driver, 10, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history-rows tr")) >= 2,
         "the history lists both submissions")
    wait(driver, 10, lambda d: username in d.find_element(By.ID, "board-rows").text,
         "the leaderboard lists the player after AC")


def test_admin_runs_a_contest_with_a_live_scoreboard(server, driver, artifacts):
    base_url = server
    data_dir = pathlib.Path(os.environ["BREAKFIX_E2E_DIR"]) / "data"
    admin = "admin_" + secrets.token_hex(3)
    password = secrets.token_hex(12)
    created = subprocess.run(
        [str(ROOT / ".build/debug/breakfix"), "user", "add", admin, "--admin", "--data-dir", str(data_dir)],
        input=password + "\n", capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr

    driver.get(base_url + "/login")
    driver.find_element(By.CSS_SELECTOR, "input[name=username]").send_keys(admin)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, 15, lambda d: admin in d.find_element(By.CSS_SELECTOR, "span.user").text, "the admin is logged in")

    driver.get(base_url + "/contests")
    form = wait(driver, 15, EC.visibility_of_element_located((By.ID, "contest-form")), "admins see the new-contest form")
    form.find_element(By.NAME, "title").send_keys("Friday cup")
    now = time.time()
    local = lambda t: time.strftime("%Y-%m-%dT%H:%M", time.localtime(t))  # noqa: E731
    driver.execute_script(
        "document.querySelector('[name=starts_at]').value = arguments[0];"
        "document.querySelector('[name=ends_at]').value = arguments[1];", local(now - 120), local(now + 3600))
    form.find_element(By.CSS_SELECTOR, f"input[value='challenge:{SLUG}']").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, 15, lambda d: "/contests/" in d.current_url and d.current_url.rstrip("/") != base_url + "/contests",
         "creating the contest opens its page")
    contest_url = driver.current_url
    contest_id = contest_url.rstrip("/").split("/")[-1]

    player = new_driver()
    try:
        name = register(player, base_url)
        player.get(contest_url)
        wait(player, 15, EC.element_to_be_clickable((By.ID, "join-btn")), "a player can join").click()
        link = wait(player, 15, EC.visibility_of_element_located((By.CSS_SELECTOR, f"a[href='/challenges/{SLUG}?contest={contest_id}']")),
                    "a participant sees the contest's items")
        wait(driver, 15, lambda d: name in d.find_element(By.ID, "board-body").text,
             "the admin's open scoreboard shows the new participant without a reload")
        link.click()
        wait(player, 15, EC.visibility_of_element_located((By.ID, "source")), "the item opens its challenge")
        assert "count for" in player.find_element(By.CSS_SELECTOR, "p.notice").text
        choose_language(player, "c")
        set_source(player, solution("ac", "c"))
        verdict, _ = submit_and_wait(player)
        assert verdict == "AC"
    finally:
        player.quit()

    def solved(d):
        for row in d.find_elements(By.CSS_SELECTOR, "#board-body tr"):
            if row.get_attribute("data-user") == name:
                cells = row.find_elements(By.CSS_SELECTOR, "td")
                return cells[2].text == "1"
        return False
    wait(driver, 15, solved, "the admin's scoreboard counts the solve by itself (pushed)")
    driver.save_screenshot(str(artifacts / "contest-scoreboard.png"))
