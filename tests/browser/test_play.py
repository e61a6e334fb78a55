"""End-to-end: register, start `chmod-not-executable`, fix it in the browser terminal,
check, end, see the results and the leaderboard.

Needs a running server at BREAKFIX_URL (see conftest.py) that can boot real sandboxes.
"""

import re
import secrets

from selenium.common.exceptions import (
    JavascriptException,
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SCENARIO = "chmod-not-executable"
FIX_COMMAND = (
    "sudo /lib64/ld-linux-x86-64.so.2 /bin/chmod 755 /bin/chmod"
    " && chmod +x ~/deploy.sh && ~/deploy.sh"
)
BOOT_TIMEOUT = 60  # sandbox boot until the shell prompt shows
FIX_TIMEOUT = 30  # the fix command until deploy.sh prints SUCCESS
CHECK_TIMEOUT = 60  # the Check button until a verdict

TERMINAL_TEXT_JS = """
const rows = document.querySelector('#terminal .xterm-rows');
return rows ? rows.innerText : null;
"""

SESSION_DIAGNOSTICS_JS = """
const q = (s) => document.querySelector(s);
const shown = (el) => !!el && !el.hidden && getComputedStyle(el).display !== 'none'
                     && el.getClientRects().length > 0;
return {
  url: location.href,
  Terminal: typeof window.Terminal,
  FitAddon: typeof window.FitAddon,
  xterm: !!q('#terminal .xterm'),
  xtermRows: !!q('#terminal .xterm-rows'),
  xtermCanvas: !!q('#terminal canvas'),
  progressShown: shown(q('#progress')),
  progressLabel: q('#progress-label') ? q('#progress-label').innerText : null,
  ended: shown(q('#ended')) ? q('#ended').innerText : null,
  verdict: q('#verdict') ? [q('#verdict').className, q('#verdict').innerText] : null,
};
"""


def wait(driver, timeout, condition, message):
    return WebDriverWait(
        driver, timeout, poll_frequency=0.25,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    ).until(condition, message)


def terminal_text(driver):
    try:
        text = driver.execute_script(TERMINAL_TEXT_JS)
    except JavascriptException:
        return None
    return None if text is None else text.replace("\u00a0", " ")


def terminal_contains(driver, needle):
    text = terminal_text(driver)
    if text is None:
        return False
    if needle in text:
        return True
    # xterm 4's DOM renderer can drop spaces from innerText (cells are inline-block spans);
    # compare with whitespace removed as a fallback.
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squash(needle) in squash(text)


def console_errors(driver):
    """SEVERE browser-console entries (reading them empties chromedriver's buffer)."""
    try:
        return [e.get("message") for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:
        return []


def diagnostics(driver):
    try:
        info = driver.execute_script(SESSION_DIAGNOSTICS_JS)
    except Exception as exc:  # the diagnostics must never mask the real failure
        info = {"diagnostics-error": repr(exc)}
    tail = (terminal_text(driver) or "")[-600:]
    return f"{info}\nconsole errors: {console_errors(driver)}\n--- terminal (tail) ---\n{tail}"


def is_displayed(driver, css):
    try:
        return driver.find_element(By.CSS_SELECTOR, css).is_displayed()
    except NoSuchElementException:
        return False


def accept_confirm(driver, timeout=3):
    """Accept a window.confirm()/alert if one shows up; fine if none does."""
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.2).until(EC.alert_is_present())
        driver.switch_to.alert.accept()
    except (TimeoutException, NoAlertPresentException):
        pass


def register(driver, base_url):
    username = "tester_" + secrets.token_hex(4)
    password = secrets.token_hex(12)
    driver.get(base_url + "/register")
    form_user = wait(driver, 15, EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=username]")),
                     "register page: no input[name=username]")
    form_user.send_keys(username)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, 15, lambda d: d.current_url.rstrip("/") == base_url,
         f"after registering {username!r} the browser should land on / "
         f"(is at {driver.current_url}; errors: "
         f"{[e.text for e in driver.find_elements(By.CSS_SELECTOR, 'p.error')]})")
    wait(driver, 10, lambda d: username in d.find_element(By.CSS_SELECTOR, "span.user").text,
         f"header span.user should show {username!r} after registering")
    return username


def test_headless_chromium_starts(driver):
    driver.get("data:text/html,<p>hi</p>")
    assert driver.find_element(By.TAG_NAME, "p").text == "hi"


def test_play_chmod_not_executable(server, driver, artifacts):
    base_url = server

    # Anonymous players are not ranked: play as a fresh account.
    username = register(driver, base_url)

    # a) the catalog lists the scenario
    driver.get(base_url + "/")
    wait(driver, 15, EC.presence_of_element_located((By.CSS_SELECTOR, "div.cards a.card")),
         "catalog: no a.card inside div.cards")
    cards = driver.find_elements(By.CSS_SELECTOR, "a.card")
    card_sel = f'a.card[href$="/scenarios/{SCENARIO}"]'
    card = wait(driver, 5, EC.element_to_be_clickable((By.CSS_SELECTOR, card_sel)),
                f"catalog: no visible card linking to /scenarios/{SCENARIO} among "
                f"{[c.get_attribute('href') for c in cards]}")
    assert len(cards) >= 1

    # b) scenario page -> Start -> session page with a live shell
    card.click()
    wait(driver, 15, EC.url_matches(rf"/scenarios/{SCENARIO}/?$"),
         f"clicking the card should open /scenarios/{SCENARIO}")
    wait(driver, 15, EC.element_to_be_clickable((By.ID, "start-btn")),
         "scenario page: #start-btn not clickable").click()
    session_re = re.compile(r"/sessions/([^/?#]+)/?(?:[?#].*)?$")

    def on_session_page(d):
        if is_displayed(d, "#conflict"):
            raise AssertionError("a fresh user should have no other live session, but #conflict is shown: "
                                 + d.find_element(By.ID, "conflict").text)
        return session_re.search(d.current_url)

    try:
        match = wait(driver, 30, on_session_page, "session page")
    except TimeoutException:
        errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#start-error, .error") if e.text]
        raise AssertionError(
            f"after #start-btn the browser should go to /sessions/<id>; it is at {driver.current_url}, "
            f"page errors: {errors}, console: {console_errors(driver)}"
        ) from None
    session_id = match.group(1)
    session_url = driver.current_url

    def shell_ready(d):
        return (not is_displayed(d, "#progress")
                and d.find_elements(By.CSS_SELECTOR, "#terminal .xterm")
                and terminal_contains(d, "admin@"))

    try:
        wait(driver, BOOT_TIMEOUT, shell_ready, "shell prompt")
    except TimeoutException:
        raise AssertionError(
            f"within {BOOT_TIMEOUT}s #progress should hide and #terminal .xterm-rows should show "
            f"the 'admin@' prompt (terminal must use rendererType 'dom').\n{diagnostics(driver)}"
        ) from None

    # c) fix it by typing into xterm
    driver.find_element(By.ID, "terminal").click()
    helper = wait(driver, 5, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#terminal textarea.xterm-helper-textarea")),
        "no xterm helper textarea in #terminal")
    helper.send_keys(FIX_COMMAND + Keys.ENTER)
    try:
        wait(driver, FIX_TIMEOUT, lambda d: terminal_contains(d, "deploy: SUCCESS"), "deploy: SUCCESS")
    except TimeoutException:
        raise AssertionError(
            f"the fix command should end with 'deploy: SUCCESS' within {FIX_TIMEOUT}s\n{diagnostics(driver)}"
        ) from None

    # d) Check -> solved
    wait(driver, 10, EC.element_to_be_clickable((By.ID, "check-btn")), "#check-btn not clickable").click()

    def verdict(d):
        el = d.find_element(By.ID, "verdict")
        classes = (el.get_attribute("class") or "").split()
        if "no" in classes or "error" in classes:
            raise AssertionError(f"#verdict says not solved: class={classes} text={el.text!r}")
        return "ok" in classes and "Solved" in el.text and el

    try:
        verdict_el = wait(driver, CHECK_TIMEOUT, verdict, "verdict")
    except TimeoutException:
        raise AssertionError(
            f"#verdict should get class 'ok' and text 'Solved ...' within {CHECK_TIMEOUT}s\n{diagnostics(driver)}"
        ) from None
    assert re.search(r"Solved in \d+m\d{1,2}s", verdict_el.text), \
        f"verdict text should look like 'Solved in 0m42s', got {verdict_el.text!r}"

    # e)
    driver.save_screenshot(str(artifacts / "session.png"))

    # f) End -> results
    wait(driver, 10, EC.element_to_be_clickable((By.ID, "end-btn")), "#end-btn not clickable").click()
    accept_confirm(driver)
    results_path = f"/sessions/{session_id}/results"
    wait(driver, 30, lambda d: d.current_url.split("?")[0].split("#")[0].rstrip("/").endswith(results_path),
         f"after #end-btn the browser should go to {results_path} (from {session_url})")
    heading = wait(driver, 15, EC.visibility_of_element_located((By.CSS_SELECTOR, "div.summary h2.ok")),
                   "results page: no div.summary h2.ok")
    assert "Solved in" in heading.text, f"results heading should say 'Solved in ...', got {heading.text!r}"
    driver.save_screenshot(str(artifacts / "results.png"))

    # g) leaderboard lists the new user
    driver.get(f"{base_url}/leaderboard/{SCENARIO}")
    wait(driver, 15, EC.presence_of_element_located((By.CSS_SELECTOR, "table.board")),
         "leaderboard page: no table.board")
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "table.board tr") if r.find_elements(By.TAG_NAME, "td")]
    assert rows, "table.board has no data rows after a solved, ranked session"
    assert any(username in r for r in rows), f"{username!r} should be on the leaderboard, rows: {rows}"
    driver.save_screenshot(str(artifacts / "leaderboard.png"))
