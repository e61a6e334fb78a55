"""The abuse suite: attacks from inside real sandboxes, started through the real server's API and
driven through the real terminal WebSocket. Run by scripts/abuse.sh (which starts the server).

Environment: BREAKFIX_URL (the server under test), BREAKFIX_ABUSE_SCENARIO (a shell scenario whose
user has sudo; default access-log-forensics), BREAKFIX_ABUSE_TABLE (where the table is written).
"""

import os

import pytest

from abuse import RESULTS, Server


@pytest.fixture(scope="session")
def server():
    url = os.environ.get("BREAKFIX_URL", "http://127.0.0.1:18091").rstrip("/")
    srv = Server(url, os.environ.get("BREAKFIX_ABUSE_SCENARIO", "access-log-forensics"))
    srv.require_healthy()
    return srv


@pytest.fixture(scope="session")
def bystander(server):
    """Another user's session that every attack must leave usable."""
    session = server.start_session()
    term = session.terminal()
    term.run("true")
    yield session, term
    term.close()
    session.end()


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    widths = [max(len(r[i]) for r in RESULTS + [("attack", "expected", "observed", "verdict")]) for i in range(4)]
    widths[2] = min(widths[2], 90)
    lines = []
    header = ("attack", "expected", "observed", "verdict")
    for row in [header] + RESULTS:
        cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(4)]
        lines.append(" | ".join(cells).rstrip())
        if row is header:
            lines.append("-+-".join("-" * w for w in widths))
    terminalreporter.write_sep("=", "abuse table")
    for line in lines:
        terminalreporter.write_line(line)
    path = os.environ.get("BREAKFIX_ABUSE_TABLE")
    if path:
        with open(path, "w") as f:
            f.write("| attack | expected | observed | verdict |\n|---|---|---|---|\n")
            for row in RESULTS:
                f.write("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |\n")
