"""Each test attacks from inside a real sandbox (root via sudo, as every scenario user may) and
then proves the host, the server and another user's session are still healthy."""

import os
import pathlib
import re
import secrets
import subprocess
import time

import pytest

from abuse import (
    HTTPError, container_of, cgroup_file, docker, host_disk_free, host_mem_available,
    host_processes_matching, inspect, record,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
DISK_CAP_OFF = os.environ.get("BREAKFIX_DISK_CAP", "").lower() == "off"


@pytest.fixture
def attacker(server):
    session = server.start_session()
    term = session.terminal()
    yield session, term
    term.close()
    session.end()
    wait_gone(session.id)


def wait_gone(session_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if container_of(session_id) is None:
            return True
        time.sleep(0.2)
    return False


def healthy(server, bystander):
    """The server answers /readyz and the other user's terminal still echoes."""
    _, term = bystander
    return server.ready() and term.echoes(timeout=30)


def poll(seconds, every, probe):
    values, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            values.append(probe())
        except (OSError, ValueError, TypeError):
            pass
        time.sleep(every)
    return values


def test_fork_bomb(server, bystander, attacker):
    session, term = attacker
    container = session.container()
    limit = inspect(container)["HostConfig"]["PidsLimit"]
    # The stop file is written by a subshell forked before the bomb, without forking again.
    bomb = "(sleep 8; : > /tmp/bf-stop) & b(){ [ -e /tmp/bf-stop ] && exit 0; b | b & }; b"
    term.run(f"(echo '{bomb}' | sudo -n bash) >/dev/null 2>&1 &")
    counts = poll(7, 0.25, lambda: int(cgroup_file(container, "pids", "pids.current")))
    ok_during = healthy(server, bystander)
    peak = max(counts)
    settled = poll(25, 0.5, lambda: int(cgroup_file(container, "pids", "pids.current")))
    after = healthy(server, bystander)
    ok = peak <= limit and ok_during and after
    record("fork bomb", f"pids capped at {limit}; others unaffected",
           f"peak {peak} pids, then {settled[-1] if settled else '?'}; bystander echoed during and after: {ok_during and after}", ok)
    assert ok


def test_memory_bomb(server, bystander, attacker):
    session, term = attacker
    container = session.container()
    limit = inspect(container)["HostConfig"]["Memory"]
    before = host_mem_available()
    rc, out = term.root("timeout 30 bash -c 'x=$(head -c 1500M /dev/zero | tr \"\\0\" a); echo survived ${#x}'", timeout=60)
    peak = int(cgroup_file(container, "memory", "memory.max_usage_in_bytes"))
    failcnt = int(cgroup_file(container, "memory", "memory.failcnt"))
    time.sleep(1)
    after = host_mem_available()
    survived = re.search(r"survived \d", out) is not None  # bash's "Killed" line quotes the command
    ok = not survived and peak <= limit and healthy(server, bystander) and after > before - (1 << 30)
    record("memory bomb (1.5 GiB)", f"killed at {limit >> 20} MiB, no swap",
           f"exit {rc}, peak {peak >> 20} MiB, failcnt {failcnt}; host MemAvailable {before >> 20} -> {after >> 20} MiB", ok)
    assert ok


def test_fill_disk(server, bystander, attacker):
    session, term = attacker
    info = inspect(session.container())
    cap = (info["HostConfig"].get("StorageOpt") or {}).get("size")
    before = host_disk_free()
    rc, out = term.root("dd if=/dev/zero of=/var/tmp/bf-fill bs=1M count=1536 2>&1 | tail -1; "
                        "stat -c %s /var/tmp/bf-fill", timeout=120)
    written = int(out.strip().splitlines()[-1]) if out.strip().splitlines()[-1].isdigit() else -1
    term.root("rm -f /var/tmp/bf-fill")
    after = host_disk_free()
    if cap:
        ok = 0 <= written < 1536 << 20 and healthy(server, bystander)
        record("fill the disk (1.5 GiB)", f"write fails at the {int(cap) >> 20} MiB cap",
               f"{written >> 20} MiB written, then: {out.strip().splitlines()[0][:60]}", ok)
        assert ok
    else:
        # Only when the operator opted out (BREAKFIX_DISK_CAP=off); the server refuses otherwise.
        # Other work on the machine moves free space too: only a leak of the whole 1.5 GiB counts.
        ok = healthy(server, bystander) and after > before - (768 << 20)
        record("fill the disk (1.5 GiB)", "ENOSPC at the writable-layer cap",
               f"no cap (BREAKFIX_DISK_CAP=off on this engine): {written >> 20} MiB reached the host disk; "
               f"freed on rm and at sandbox removal", False)
        assert DISK_CAP_OFF, "the sandbox has no disk cap although BREAKFIX_DISK_CAP is not off"
        assert ok


def test_fill_tmp_and_run(server, bystander, attacker):
    session, term = attacker
    tmpfs = inspect(session.container())["HostConfig"]["Tmpfs"]
    observed, ok = [], True
    for path in ("/tmp", "/run", "/run/lock"):
        size = int(re.search(r"size=(\d+)", tmpfs[path]).group(1))
        rc, out = term.root(f"dd if=/dev/zero of={path}/bf-fill bs=1M count=512 2>&1 | grep -c 'No space' ; "
                            f"stat -c %s {path}/bf-fill; rm -f {path}/bf-fill", timeout=60)
        lines = out.split()
        written = int(lines[-1]) if lines and lines[-1].isdigit() else -1
        ok = ok and 0 <= written <= size and lines[0] == "1"
        observed.append(f"{path}: ENOSPC at {written >> 20} of {size >> 20} MiB")
    ok = ok and healthy(server, bystander)
    record("fill /tmp, /run, /run/lock", "ENOSPC at each tmpfs size", "; ".join(observed), ok)
    assert ok


def test_cpu_burn(server, bystander, attacker):
    session, term = attacker
    container = session.container()
    cpus = inspect(container)["HostConfig"]["NanoCpus"] / 1e9
    term.root("for i in $(seq 1 8); do timeout 15 sh -c 'while :; do :; done' & done", timeout=30)
    time.sleep(1)
    u0, t0 = int(cgroup_file(container, "cpuacct", "cpuacct.usage")), time.monotonic()
    other, _ = bystander
    checks = [other.check() for _ in range(2)]
    time.sleep(max(0.0, 4 - (time.monotonic() - t0)))
    u1, t1 = int(cgroup_file(container, "cpuacct", "cpuacct.usage")), time.monotonic()
    used = (u1 - u0) / 1e9 / (t1 - t0)
    # Bounded: each of the other user's checks answers with a verdict within the check timeout.
    answered = all(status == 200 and body.get("verdict") in ("OK", "NO") for status, body, _ in checks)
    ok = used <= cpus * 1.2 and answered and healthy(server, bystander)
    record("CPU burn, 8 spinning processes", f"<= {cpus:g} CPU; other checks answer",
           f"{used:.2f} CPU used; bystander checks answered in "
           + ", ".join(f"{s:.1f}s ({b.get('verdict') if isinstance(b, dict) else b})" for _, b, s in checks), ok)
    term.root("pkill -f 'while :; do :; done' || true")
    assert ok


def test_million_files(server, bystander, attacker):
    session, term = attacker
    nofile = [u for u in inspect(session.container())["HostConfig"]["Ulimits"] if u["Name"] == "nofile"][0]["Hard"]
    rc, out = term.root(
        "ulimit -n 1048576 2>&1 | tail -1; n=0; for i in $(seq 1 1000000); do "
        "exec {fd}</dev/null 2>/dev/null || break; n=$((n+1)); done; echo opened $n", timeout=120)
    opened = int(re.search(r"opened (\d+)", out).group(1))
    ok = opened < nofile and "not permitted" in out and healthy(server, bystander)
    record("open a million files", f"stops at nofile={nofile}; ulimit cannot be raised",
           f"opened {opened}; 'ulimit -n 1048576': {out.splitlines()[0].split(':')[-1].strip()}", ok)
    assert ok


def test_network_and_host_services(server, bystander, attacker):
    session, term = attacker
    rc, ifaces = term.run("ls /sys/class/net")
    host_ips = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    targets = [f"127.0.0.1/{server.port}", "127.0.0.1/5432", "127.0.0.1/55432"] + \
              [f"{ip}/{port}" for ip in host_ips if ":" not in ip for port in (server.port, 5432)] + \
              ["172.17.0.1/2375", "169.254.169.254/80"]
    script = "; ".join(f"timeout 3 bash -c 'echo > /dev/tcp/{t}' 2>&1 | tail -1 | sed 's|^|{t}: |'" for t in targets)
    rc, out = term.root(script, timeout=60)
    reached = [line for line in out.splitlines() if line.strip() and "refused" not in line and "unreachable" not in line]
    sock_rc, sock_out = term.root("ls -l /var/run/docker.sock /run/docker.sock 2>&1; "
                                  "find / -xdev -type s -name '*docker*' 2>/dev/null | head -3")
    other_net = inspect(container_of(bystander[0].id))["NetworkSettings"]
    other_ips = [n.get("IPAddress") for n in (other_net.get("Networks") or {}).values() if n.get("IPAddress")]
    ok = ifaces.split() == ["lo"] and not reached and "No such file" in sock_out and "docker" not in \
        sock_out.replace("/var/run/docker.sock", "").replace("/run/docker.sock", "") and not other_ips
    record("network interfaces", "only lo", " ".join(ifaces.split()), ifaces.split() == ["lo"])
    record("reach the Docker socket", "absent", "no docker.sock anywhere in the sandbox", "No such file" in sock_out)
    record("reach host loopback/LAN services (server, PostgreSQL, dockerd TCP, metadata)",
           "refused or unreachable", f"{len(targets)} targets: " + ("none reached" if not reached else "REACHED " + "; ".join(reached)),
           not reached)
    record("reach another sandbox", "no address to reach", f"other sandbox has addresses {other_ips or 'none'} (network none)",
           not other_ips)
    assert ok, (ifaces, out, sock_out, other_ips)


ROOT_DENIALS = [
    ("mount", "mount -t tmpfs none /mnt; mount --bind / /mnt; mount -t proc proc /mnt",
     "denied", lambda rc, out: out.count("permission denied") + out.count("Permission denied") >= 3),
    ("write /proc/sysrq-trigger ('h', harmless if it went through)", "echo h > /proc/sysrq-trigger",
     "refused (read-only, or absent on this kernel)",
     lambda rc, out: rc != 0 and ("Read-only" in out or "No such file" in out or "denied" in out)),
    ("load a kernel module (finit_module)",
     "perl -e 'open F, \"/dev/null\"; my $p = \"\"; $r = syscall(313, fileno(F), $p, 0); print \"rc=$r $!\\n\"'",
     "EPERM", lambda rc, out: "rc=-1 Operation not permitted" in out),
    ("unshare / user namespace",
     "for f in -Ur -m -n -p\\ -f -i -u -C; do unshare $f true 2>&1 | tail -1; done",
     "denied", lambda rc, out: out.count("Operation not permitted") >= 7),
    ("read /proc/kcore", "head -c 4096 /proc/kcore 2>&1 | wc -c; ls -l /proc/kcore 2>&1", "nothing (masked, or absent on this kernel)",
     lambda rc, out: out.split()[0] == "0" or "No such file" in out),
    ("dmesg", "dmesg 2>&1 | tail -1", "denied", lambda rc, out: "Operation not permitted" in out),
    ("change the hostname", "hostname evil 2>&1; hostname", "denied",
     lambda rc, out: ("not permitted" in out or "must be root" in out) and "evil" not in out.splitlines()[-1]),
    ("change the time", "date -s @0 2>&1 | head -1; date +%Y", "denied",
     lambda rc, out: "not permitted" in out and out.splitlines()[-1] != "1970"),
    ("nsenter into PID 1's namespaces", "nsenter -t 1 -m -u -i -n -p -- true 2>&1", "denied",
     lambda rc, out: rc != 0 and "not permitted" in out),
    ("chroot escape (mkdir x; chroot x; cd ../..; chroot .)",
     "mkdir -p /tmp/x; perl -e 'chroot \"/tmp/x\"; chdir \"..\" for 1..64; chroot \".\"; "
     "print -e \"/.dockerenv\" ? \"still in the sandbox\\n\" : \"ESCAPED\\n\"'",
     "still in the sandbox's root", lambda rc, out: "still in the sandbox" in out),
    ("raise capabilities (CapEff)", "grep CapEff /proc/self/status", "no SYS_ADMIN/SYS_MODULE/NET_ADMIN",
     lambda rc, out: not int(out.split()[-1], 16) & ((1 << 21) | (1 << 16) | (1 << 12) | (1 << 25))),
]


@pytest.mark.parametrize("attack,script,expected,contained", ROOT_DENIALS, ids=[d[0].split(" (")[0] for d in ROOT_DENIALS])
def test_denied_as_root(server, bystander, attacker, attack, script, expected, contained):
    _, term = attacker
    rc, out = term.root(script)
    ok = contained(rc, out) and healthy(server, bystander)
    record(attack, expected, f"exit {rc}: " + " / ".join(l.strip() for l in out.strip().splitlines()[-3:]), ok)
    assert ok, out


def test_other_processes_and_ptrace(server, bystander, attacker):
    session, term = attacker
    other, other_term = bystander
    marker = str(7_000_000 + secrets.randbelow(999_999))
    other_term.run(f"sleep {marker} &")
    host_pids, deadline = [], time.monotonic() + 10
    while not host_pids and time.monotonic() < deadline:  # until the fork has exec'd sleep
        host_pids = host_processes_matching(f"sleep\x00{marker}")
        time.sleep(0.1)
    server_pid = int(open(os.environ["BREAKFIX_E2E_DIR"] + "/server.pid").read()) if "BREAKFIX_E2E_DIR" in os.environ else 1
    rc, out = term.root(f"ps -eo args | grep -c '[s]leep {marker}'; ls /proc | grep -c '^[0-9]'; "
                        f"strace -p {host_pids[0] if host_pids else 1} -e trace=none -o /dev/null & sleep 1; kill %1 2>/dev/null; "
                        f"strace -p {server_pid} -o /dev/null 2>&1 & sleep 1; kill %1 2>/dev/null; wait", timeout=30)
    lines = out.strip().splitlines()
    visible, nprocs = int(lines[0]), int(lines[1])
    other_term.run(f"kill %1")
    attached = [p for p in host_pids[:1] + [server_pid] if f"Process {p} attached" in out]
    ok = bool(host_pids) and visible == 0 and nprocs < 40 and not attached and healthy(server, bystander)
    record("see other containers' processes", "own PID namespace only",
           f"other user's process visible: {visible}; {nprocs} pids in /proc", ok)
    record("ptrace a process outside (the other sandbox's, the server's host pid)", "no such process",
           " / ".join(l for l in lines[2:] if "strace" in l)[:120] or "no process to attach", ok)
    assert ok, out


def test_process_survives_exit_dies_with_sandbox(server, bystander):
    session = server.start_session()
    term = session.terminal()
    marker = str(8_000_000 + secrets.randbelow(999_999))
    term.run(f"setsid nohup sleep {marker} >/dev/null 2>&1 < /dev/null & disown; "
             f"sudo -n setsid nohup sleep {int(marker) + 1} >/dev/null 2>&1 < /dev/null &")
    term.send("exit\n")
    time.sleep(1)
    alive_after_exit = host_processes_matching(f"sleep\x00{marker}")
    term.close()
    session.end()
    gone = wait_gone(session.id)
    survivors = host_processes_matching(f"sleep\x00{marker}") + host_processes_matching(f"sleep\x00{int(marker) + 1}")
    ok = gone and not survivors and healthy(server, bystander)
    record("process that survives `exit` of the shell", "dies with the sandbox",
           f"alive after exit: {bool(alive_after_exit)}; after session end: sandbox removed {gone}, survivors {len(survivors)}", ok)
    assert ok


def test_many_session_starts(server, bystander):
    first = server.start_session()
    owner = inspect(first.container())["Config"]["Labels"]["breakfix.owner"]
    statuses = []
    for _ in range(15):
        status, _, _ = server.request("/api/sessions", "POST", {"scenario": server.scenario}, first.cookie)
        statuses.append(status)
    first.end()
    wait_gone(first.id)
    # Then start-and-end as fast as possible: the start rate limit answers 429.
    cycle = []
    for _ in range(15):
        status, _, body = server.request("/api/sessions", "POST", {"scenario": server.scenario}, first.cookie)
        cycle.append(status)
        if status != 202:
            break
        server.request(f"/api/sessions/{body['id']}", "DELETE", cookie=first.cookie)
    time.sleep(2)
    _, _, live = server.request(f"/api/sessions/{first.id}", cookie=first.cookie)
    filters = '{"label":["breakfix.owner=%s"]}' % owner
    import urllib.parse
    _, containers = docker("GET", "/containers/json?all=1&filters=" + urllib.parse.quote(filters))
    # The bystander's sandbox is the only one this server should still have (the ended ones go).
    leftover = [c for c in containers if c["Labels"].get("breakfix.session") != bystander[0].id]
    deadline = time.monotonic() + 30
    while leftover and time.monotonic() < deadline:
        time.sleep(1)
        _, containers = docker("GET", "/containers/json?all=1&filters=" + urllib.parse.quote(filters))
        leftover = [c for c in containers if c["Labels"].get("breakfix.session") != bystander[0].id]
    states = {c["Labels"].get("breakfix.session"): server.request(f"/api/sessions/{c['Labels'].get('breakfix.session')}", cookie=first.cookie)[2]
              for c in leftover}
    ok = set(statuses) == {409} and cycle[-1] == 429 and not leftover and healthy(server, bystander)
    record("many session starts from one user", "409 while one is live, 429 past the start rate; nothing queued",
           f"15 starts while live: {sorted(set(statuses))}; start/end cycle: {cycle.count(202)} accepted then {cycle[-1]}; "
           f"sandboxes left {len(leftover)}" + (f" {[(c['Labels'].get('breakfix.session'), c['State'], c['Created']) for c in leftover]} {states}" if leftover else ""), ok)
    assert ok, (statuses, cycle, states)


def test_check_and_solution_unreadable(server, bystander, attacker):
    session, term = attacker
    check = (ROOT / "scenarios" / server.scenario / "check.sh").read_text().splitlines()
    solution = (ROOT / "scenarios" / server.scenario / "solution.sh").read_text().splitlines()
    # The longest lines of each script are distinctive; grep the whole filesystem for them.
    needles = [max(check, key=len).strip(), max(solution, key=len).strip()]
    with_needles = "\n".join(needles)
    term.root(f"cat > /root/.bf-needles <<'BFEOF'\n{with_needles}\nBFEOF")
    rc, out = term.root(
        "find / -xdev \\( -name 'check*.sh' -o -name 'solution*.sh' \\) 2>/dev/null | head; "
        "grep -rlFf /root/.bf-needles / --exclude-dir=proc --exclude-dir=sys --exclude=.bf-needles 2>/dev/null | head -3; "
        "cat /proc/1/environ /proc/self/environ | tr '\\0' '\\n' | grep -ci -e check -e solution; "
        "rm -f /root/.bf-needles", timeout=90)
    labels = inspect(session.container())["Config"]["Labels"]
    found = [l for l in out.splitlines() if l.strip() and l.strip() != "0"]
    ok = not found and not any("check" in v or "solution" in v for v in labels.values()) and healthy(server, bystander)
    record("find check.sh / solution.sh (files, content, env, labels)", "not in the sandbox",
           "nothing found" if not found else "FOUND " + "; ".join(found), ok)
    assert ok, out


def test_terminal_websocket_refusals(server, bystander):
    """Cross-site WebSocket hijacking and IDOR on the terminal, against the real server."""
    import websocket
    other, _ = bystander
    url = f"ws://{server.host}:{server.port}/api/sessions/{other.id}/terminal"
    intruder = server.start_session()
    attempts = {
        "cross-site Origin with the owner's cookie": dict(header=[f"Cookie: {other.cookie}"], origin="http://evil.example"),
        "another user's cookie": dict(header=[f"Cookie: {intruder.cookie}"]),
        "no cookie": dict(header=[]),
        "observe mode, another user's cookie": dict(header=[f"Cookie: {intruder.cookie}"], url=url + "?mode=observe"),
    }
    refused = {}
    for name, options in attempts.items():
        target = options.pop("url", url)
        try:
            ws = websocket.create_connection(target, timeout=10, **options)
            ws.close()
            refused[name] = False
        except websocket.WebSocketBadStatusException as err:
            refused[name] = err.status_code
    intruder.end()
    ok = all(refused.values()) and healthy(server, bystander)
    record("terminal WebSocket: cross-site Origin, other user, no cookie", "no upgrade",
           "; ".join(f"{k}: {'HTTP ' + str(v) if v else 'UPGRADED'}" for k, v in refused.items()), ok)
    assert ok, refused


def test_expired_sandbox_is_destroyed(server, bystander):
    """A sandbox whose session expired while no server was running (only its labels left) goes
    within 60 s: made here through the Engine API with an expiry label in the past."""
    image = inspect(container_of(bystander[0].id))["Config"]["Image"]
    labels = {"breakfix.managed": "true", "breakfix.session": secrets.token_hex(16),
              "breakfix.expires": str(int(time.time()) - 1), "breakfix.test": "abuse-expiry"}
    status, created = docker("POST", "/containers/create", {
        "Image": image, "Cmd": ["/bin/sleep", "infinity"], "Labels": labels,
        "HostConfig": {"NetworkMode": "none", "Init": True}})
    assert status == 201, created
    docker("POST", f"/containers/{created['Id']}/start")
    t0 = time.monotonic()
    gone = wait_gone(labels["breakfix.session"], timeout=60)
    seconds = time.monotonic() - t0
    if not gone:
        docker("DELETE", f"/containers/{created['Id']}?force=1")
    ok = gone and healthy(server, bystander)
    record("sandbox past its expiry (server was down)", "destroyed within 60 s",
           f"removed by the reaper after {seconds:.1f} s" if gone else "STILL RUNNING after 60 s", ok)
    assert ok


def test_host_healthy_at_the_end(server, bystander):
    other, term = bystander
    status, body, seconds = other.check()
    ok = server.ready() and term.echoes() and status == 200
    record("afterwards", "server /readyz, other terminal echoes, its check answers",
           f"readyz {server.ready()}, echo ok, check {body.get('verdict') if isinstance(body, dict) else status} in {seconds:.1f}s", ok)
    assert ok
