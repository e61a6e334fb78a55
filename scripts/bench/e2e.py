#!/usr/bin/env python3
"""End-to-end figures of Breakfix against the raw Docker Engine API, measured in the same run.

    e2e.py ready  --url URL --scenario SLUG [--runs N]           ready_cold_ratio
    e2e.py warm   --url URL --scenario SLUG [--runs N]           ready_warm_p50_ms (server with BREAKFIX_POOL)
    e2e.py check  --url URL --scenario SLUG [--runs N]           check_ratio
    e2e.py rate   --url URL --scenario SLUG [--seconds S] [--concurrency C]   start_rate_ratio
    e2e.py load   --url URL --scenario SLUG --pid PID [--echo-sessions 100] [--cap 500]
                                                                 echo_p99_ms, idle_sessions, server_rss_kb_per_session
    e2e.py sweep                                                 removes every breakfix.bench=1 container

Each prints its samples and baseline, then `name value`. The server is driven over its public
API and terminal WebSocket (asyncio, one thread); the raw baselines talk to dockerd over its unix
socket (http.client; no `docker` CLI anywhere).
"""
import argparse, asyncio, concurrent.futures, json, os, queue, random, sys, threading, time
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bfbench import (BENCH_LABEL, Docker, RawTerminal, Server, containers_with_label, cpu_by_command, cpu_seconds, cpu_split, fmt, med,
                     mem_available_kib, pct, raw_breakfix_sequence, raw_exec_script, raw_run_to_first_output, remove_containers, rss_kib)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_TAG = f"{os.getpid()}-{int(time.time())}"


def say(*a):
    print(*a, flush=True)


def container_of(session_id):
    d = Docker()
    flt = quote(json.dumps({"label": [f"breakfix.session={session_id}"]}))
    found = d.call("GET", f"/containers/json?all=1&filters={flt}")
    d.close()
    if not found:
        raise RuntimeError(f"no container for session {session_id}")
    return found[0]["Id"], found[0]["Image"]


async def session_to_prompt(server, scenario, poll=0.01):
    """POST /api/sessions → ready → terminal WebSocket → prompt. Returns (ms, id, cookie, terminal)."""
    t0 = time.monotonic()
    sid, cookie, _ = await server.start_session(scenario, poll=poll)
    term = await server.terminal(sid, cookie)
    await term.wait_prompt()
    return (time.monotonic() - t0) * 1000, sid, cookie, term


async def image_of(server, scenario):
    """A warm-up session; its sandbox names the scenario image (the raw baselines use the same)."""
    _, sid, cookie, term = await session_to_prompt(server, scenario)
    _, image = container_of(sid)
    await term.close()
    await server.end_session(sid, cookie)
    return image


# ---------------------------------------------------------------- ready_cold_ratio

async def cmd_ready(a):
    server = Server(a.url)
    image = await image_of(server, a.scenario)
    say(f"ready: scenario {a.scenario}, image {image}, {a.runs} rounds, raw and Breakfix alternately")
    start_path = os.path.join(ROOT, "scenarios", a.scenario, "start.sh")
    start_script = open(start_path, "rb").read() if os.path.exists(start_path) else None
    docker = Docker()
    raw, bf, seq, raw_ids, live = [], [], [], [], []
    try:
        for i in range(a.runs):
            order = ["raw", "bf", "seq"] if i % 2 == 0 else ["bf", "raw", "seq"]
            for kind in order:
                if kind == "seq":
                    ms, cid = raw_breakfix_sequence(docker, image, start_script, a.user, f"/home/{a.user}", RUN_TAG)
                    seq.append(ms)
                    raw_ids.append(cid)
                elif kind == "raw":
                    ms, cid = raw_run_to_first_output(docker, image, RUN_TAG)
                    raw.append(ms)
                    raw_ids.append(cid)
                else:
                    ms, sid, cookie, term = await session_to_prompt(server, a.scenario)
                    bf.append(ms)
                    live.append((sid, cookie, term))
            say(f"  round {i + 1}: raw {raw[-1]:.0f} ms, breakfix {bf[-1]:.0f} ms, raw Breakfix-sequence {seq[-1]:.0f} ms")
    finally:
        for sid, cookie, term in live:
            await term.close()
            await server.end_session(sid, cookie)
        remove_containers(raw_ids)
        docker.close()
    say(f"ready_cold raw Engine API create+attach+start → first output (ms): {fmt(raw)}")
    say(f"ready_cold breakfix POST /api/sessions → prompt over the WebSocket (ms): {fmt(bf)}")
    say(f"ready_cold (for the analysis, not the ratio) raw Engine API create+start+exec start.sh+exec bash -l TTY → prompt (ms): {fmt(seq)}")
    say(f"ready_cold_ratio {med(bf) / med(raw):.2f}")


# ---------------------------------------------------------------- ready_warm_p50_ms

async def pool_ready(server, scenario):
    text = await server.metrics()
    for line in text.splitlines():
        if line.startswith("breakfix_pool_ready") and f'scenario="{scenario}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return None


async def cmd_warm(a):
    server = Server(a.url)
    deadline = time.monotonic() + a.pool_wait
    level = await pool_ready(server, a.scenario)
    while (level is None or level < 1) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        level = await pool_ready(server, a.scenario)
    if level is None:
        say(f"warm: no breakfix_pool_ready metric after {a.pool_wait} s with BREAKFIX_POOL set")
        say("ready_warm_p50_ms n/a (no pool in this build)")
        return
    say(f"warm: pool of {a.scenario} ready ({level:.0f}); {a.runs} runs, each after the pool is refilled")
    times, live = [], []
    try:
        for i in range(a.runs):
            t_wait = time.monotonic()
            while (await pool_ready(server, a.scenario) or 0) < 1 and time.monotonic() - t_wait < 30:
                await asyncio.sleep(0.2)
            ms, sid, cookie, term = await session_to_prompt(server, a.scenario, poll=0.005)
            times.append(ms)
            live.append((sid, cookie, term))
            say(f"  run {i + 1}: {ms:.0f} ms")
            await term.close()
            await server.end_session(sid, cookie)
    finally:
        pass
    say(f"ready_warm breakfix POST /api/sessions → prompt, pool warm (ms): {fmt(times)}")
    say(f"ready_warm_p50_ms {med(times):.0f}")


# ---------------------------------------------------------------- check_ratio

async def cmd_check(a):
    server = Server(a.url)
    script = open(os.path.join(ROOT, "scenarios", a.scenario, "check.sh"), "rb").read()
    _, sid, cookie, term = await session_to_prompt(server, a.scenario)
    cid, _ = container_of(sid)
    say(f"check: session {sid}, container {cid[:12]}, check.sh {len(script)} bytes, {a.runs} rounds alternately")
    docker = Docker()
    raw, bf, wrapped = [], [], []
    try:
        for i in range(a.runs):
            for kind in (["raw", "bf", "wrapped"] if i % 2 == 0 else ["bf", "raw", "wrapped"]):
                if kind == "wrapped":
                    ms, _, _ = raw_exec_script(docker, cid, script, timeout_wrapper=True)
                    wrapped.append(ms)
                elif kind == "raw":
                    ms, code, _ = raw_exec_script(docker, cid, script)
                    raw.append(ms)
                else:
                    t0 = time.monotonic()
                    status, _, body = await server.http("POST", f"/api/sessions/{sid}/check", cookie=cookie)
                    bf.append((time.monotonic() - t0) * 1000)
                    if status != 200:
                        raise RuntimeError(f"check: {status} {body}")
            say(f"  round {i + 1}: raw exec {raw[-1]:.0f} ms (exit {code}), API check {bf[-1]:.0f} ms ({body.get('verdict')}), raw exec under timeout {wrapped[-1]:.0f} ms")
    finally:
        docker.close()
        await term.close()
        await server.end_session(sid, cookie)
    say(f"check raw Engine API exec create+start (stdin, to EOF)+inspect of check.sh (ms): {fmt(raw)}")
    say(f"check breakfix POST /api/sessions/{{id}}/check (ms): {fmt(bf)}")
    say(f"check (for the analysis, not the ratio) raw exec as the server wraps it, under `timeout -s KILL 10s` (ms): {fmt(wrapped)}")
    say(f"check_ratio {med(bf) / med(raw):.2f}")


# ---------------------------------------------------------------- start_rate_ratio

def raw_rate(image, seconds, concurrency, start_script=None, user=None):
    """C threads, each create+attach+start → first output in a loop; removal by 2 other threads.
    With start_script: the Breakfix sequence instead (create, start, start.sh, bash -l → prompt)."""
    done, lat, stop = [], [], time.monotonic() + seconds
    removals: "queue.Queue[str|None]" = queue.Queue()
    lock = threading.Lock()
    t0 = time.monotonic()

    def client():
        d = Docker()
        while time.monotonic() < stop:
            if start_script is None:
                ms, cid = raw_run_to_first_output(d, image, RUN_TAG)
            else:
                ms, cid = raw_breakfix_sequence(d, image, start_script, user, f"/home/{user}", RUN_TAG)
            removals.put(cid)
            with lock:
                if time.monotonic() <= stop:
                    done.append(time.monotonic() - t0)
                    lat.append(ms)
        d.close()

    def remover():
        d = Docker()
        while True:
            cid = removals.get()
            if cid is None:
                break
            d.call("DELETE", f"/containers/{cid}?force=1&v=1", ok=(200, 204, 404))
        d.close()

    removers = [threading.Thread(target=remover) for _ in range(2)]
    for r in removers:
        r.start()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: client(), range(concurrency)))
    for _ in removers:
        removals.put(None)
    for r in removers:
        r.join()
    return len(done) / seconds, lat


async def breakfix_rate(server, scenario, seconds, concurrency):
    done, lat, errors, ends = [], [], [], []
    t0 = time.monotonic()
    stop = t0 + seconds
    enders = asyncio.Semaphore(2)  # as the raw baseline's 2 removal threads

    async def end(sid, cookie):
        async with enders:
            await server.end_session(sid, cookie)

    async def client():
        while time.monotonic() < stop:
            s0 = time.monotonic()
            try:
                sid, cookie, _ = await server.start_session(scenario, poll=0.02)
            except Exception as exc:
                errors.append(str(exc))
                await asyncio.sleep(0.5)
                continue
            now = time.monotonic()
            if now <= stop:
                done.append(now - t0)
                lat.append((now - s0) * 1000)
            # Ended at once, without waiting for the answer (the raw clients hand removal to other threads too).
            ends.append(asyncio.ensure_future(end(sid, cookie)))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    await asyncio.gather(*ends)
    return len(done) / seconds, lat, errors


async def wait_drained(owner_label, limit=120):
    """Until the server's reaper has removed the sandboxes of ended sessions."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if not owner_label or len(containers_with_label(owner_label)) == 0:
            return
        await asyncio.sleep(1)


async def cmd_rate(a):
    server = Server(a.url)
    image = await image_of(server, a.scenario)
    await wait_drained(a.owner)
    say(f"rate: image {image}, {a.seconds} s each, {a.concurrency} concurrent clients, raw first")
    loop = asyncio.get_running_loop()
    raw_rps, raw_lat = await loop.run_in_executor(None, raw_rate, image, a.seconds, a.concurrency)
    say(f"rate raw Engine API create+attach+start → first output, {a.concurrency} concurrent: "
        f"{raw_rps:.2f}/s ({len(raw_lat)} starts in {a.seconds} s; latency ms {fmt(raw_lat)})")
    await asyncio.sleep(2)
    bf_rps, bf_lat, errors = await breakfix_rate(server, a.scenario, a.seconds, a.concurrency)
    say(f"rate breakfix POST /api/sessions → ready, ended at once, {a.concurrency} concurrent: "
        f"{bf_rps:.2f}/s ({len(bf_lat)} starts in {a.seconds} s; latency ms {fmt(bf_lat)}; {len(errors)} errors"
        + (f", first: {errors[0]}" if errors else "") + ")")
    await wait_drained(a.owner)
    start_path = os.path.join(ROOT, "scenarios", a.scenario, "start.sh")
    if a.sequence_rate and os.path.exists(start_path):
        seq_rps, seq_lat = await loop.run_in_executor(
            None, raw_rate, image, a.seconds, a.concurrency, open(start_path, "rb").read(), a.user)
        say(f"rate (for the analysis, not the ratio) raw Engine API Breakfix sequence create+start+start.sh+bash -l → prompt, "
            f"{a.concurrency} concurrent: {seq_rps:.2f}/s ({len(seq_lat)} in {a.seconds} s; latency ms {fmt(seq_lat)})")
    say(f"start_rate_ratio {bf_rps / raw_rps:.2f}")


# ---------------------------------------------------------------- echo_p99_ms, idle_sessions, server_rss_kb_per_session

async def open_sessions(server, scenario, n, concurrency):
    """n anonymous users, each a session with its terminal at a prompt. Returns (held, start ms, errors)."""
    held, times, errors = [], [], []
    sem = asyncio.Semaphore(concurrency)

    async def one():
        async with sem:
            try:
                ms, sid, cookie, term = await session_to_prompt(server, scenario, poll=0.05)
                held.append((sid, cookie, term))
                times.append(ms)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(one() for _ in range(n)))
    return held, times, errors


async def typing(terms, seconds, lo=0.05, hi=0.1):
    """Every terminal types a key every lo–hi s (alternately `x` and backspace, so the line stays
    short); each keystroke's latency is the time until the shell's echo arrives."""
    lat, errors = [], []
    stop = time.monotonic() + seconds

    async def typist(term):
        key = 0
        await asyncio.sleep(random.uniform(0, hi))
        while time.monotonic() < stop:
            try:
                lat.append(await term.keystroke(b"x" if key % 2 == 0 else b"\x7f"))
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            key += 1
            await asyncio.sleep(random.uniform(lo, hi))

    await asyncio.gather(*(typist(t) for t in terms))
    return lat, errors


async def cmd_load(a):
    server = Server(a.url)
    base_rss = rss_kib(a.pid)
    base_mem = mem_available_kib()
    say(f"load: server pid {a.pid}, RSS before {base_rss} KiB, MemAvailable {mem_available_kib() // 1024} MiB")
    held, times, errors = await open_sessions(server, a.scenario, a.echo_sessions, a.concurrency)
    say(f"echo: {len(held)} sessions at a prompt ({len(errors)} failed"
        + (f", first: {errors[0]}" if errors else "") + f"); start→prompt ms {fmt(times)}")
    # The raw baseline: a second `bash -l` in each of the same sandboxes, straight through the
    # Engine API. Both sets type in turns (raw, Breakfix, raw, Breakfix), half the time each.
    raws = []
    for sid, _, _ in held:
        cid, _ = container_of(sid)
        rt = RawTerminal(cid, a.user, f"/home/{a.user}")
        await rt.connect()
        await rt.wait_prompt()
        raws.append(rt)
    lat, raw_lat, terr, rerr, cpu, wall = [], [], [], [], 0.0, 0.0
    for turn in range(4):
        kind = "raw" if turn % 2 == 0 else "bf"
        perf = None
        if a.perf_out and turn == 1:  # the first Breakfix turn: sample the server's stacks
            import subprocess
            perf = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-e", "cpu-clock", "-g", "-p", str(a.pid),
                                     "-o", a.perf_out, "--", "sleep", str(a.echo_seconds / 2)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cpu0, wall0, split0 = cpu_seconds(), time.monotonic(), cpu_by_command()
        l, e = await typing(raws if kind == "raw" else [t for _, _, t in held], a.echo_seconds / 2)
        say(f"  echo turn {turn + 1} ({'raw' if kind == 'raw' else 'breakfix'}): p99 {pct(l, 99):.1f} ms over {len(l)} keys; "
            f"CPU by command (% of one core): {cpu_split(split0, cpu_by_command(), time.monotonic() - wall0)}")
        if perf is not None:
            perf.wait()
        if kind == "raw":
            raw_lat += l
            rerr += e
        else:
            lat += l
            terr += e
            cpu += cpu_seconds() - cpu0
            wall += time.monotonic() - wall0
    for rt in raws:
        await rt.close()
    say(f"echo: load client asyncio (selector event loop, one thread), {len(held)} terminals typing a key every "
        f"50–100 ms each for {a.echo_seconds:.0f} s; it used {cpu:.1f} s CPU in {wall:.1f} s "
        f"({100 * cpu / max(wall, 0.001):.0f}% of one core); {len(terr)} errors")
    say(f"echo raw Engine API exec TTY (same sandboxes, same load, alternating turns) keystroke → echo (ms): "
        f"{fmt(raw_lat)} p99={pct(raw_lat, 99):.1f}; {len(rerr)} errors")
    say(f"echo breakfix WebSocket keystroke → echo (ms): {fmt(lat)} p99={pct(lat, 99):.1f}")
    say(f"echo_p99_ms {pct(lat, 99):.1f}")

    # Density: keep every session (with its terminal) and add batches until something degrades.
    reason = f"cap {a.cap} reached"
    all_times = list(times)
    while len(held) < a.cap:
        mem = mem_available_kib()
        if mem < 2 * 1024 * 1024:
            reason = f"free memory {mem // 1024} MiB < 2 GiB"
            break
        n = min(a.batch, a.cap - len(held))
        new, btimes, berr = await open_sessions(server, a.scenario, n, a.concurrency)
        held += new
        all_times += btimes
        probe = random.sample([t for _, _, t in held], min(40, len(held)))
        plat, perr = await typing(probe, 3)
        if not perr and pct(plat, 99) > 100:
            # One more probe, so that a passing spike (this machine is shared) does not end the run.
            say(f"  held {len(held)}: echo p99 {pct(plat, 99):.1f} ms > 100 ms; probing again")
            await asyncio.sleep(2)
            plat, perr = await typing(probe, 3)
        rss = rss_kib(a.pid)
        say(f"  held {len(held)}: batch start→prompt ms max {max(btimes) if btimes else float('nan'):.0f} "
            f"median {med(btimes):.0f}; echo p99 {pct(plat, 99):.1f} ms over {len(plat)} keys; "
            f"server RSS {rss} KiB; MemAvailable {mem_available_kib() // 1024} MiB")
        if berr:
            reason = f"a start failed: {berr[0]}"
            break
        if btimes and max(btimes) > 10_000:
            reason = f"a start took {max(btimes) / 1000:.1f} s > 10 s"
            break
        if perr or pct(plat, 99) > 100:
            reason = f"echo p99 {pct(plat, 99):.1f} ms > 100 ms twice in a row" if not perr else f"terminal error: {perr[0]}"
            break
    split0, wall0 = cpu_by_command(), time.monotonic()
    await asyncio.sleep(5)
    say(f"idle: CPU by command over 5 s with every session held idle (% of one core): "
        f"{cpu_split(split0, cpu_by_command(), time.monotonic() - wall0)}")
    closed = sum(1 for _, _, t in held if t.closed)
    rss = rss_kib(a.pid)
    n = len(held)
    say(f"idle: stopped because {reason}; {n} sessions held with terminals ({closed} terminals closed by the server)")
    say(f"idle server RSS before {base_rss} KiB, after {rss} KiB; start→prompt ms over all {fmt(all_times)}")
    say(f"idle host MemAvailable dropped {(base_mem - mem_available_kib()) / max(1, n):.0f} KiB per session "
        f"(sandbox, containerd-shim, dockerd and server together; the raw cost of a sandbox is most of it)")
    say(f"idle_sessions {n - closed}")
    say(f"server_rss_kb_per_session {(rss - base_rss) / max(1, n):.0f}")
    for _, _, t in held:
        await t.close()


def cmd_sweep(_a):
    ids = containers_with_label(f"{BENCH_LABEL}=1")
    remove_containers(ids)
    say(f"sweep: removed {len(ids)} benchmark containers")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["ready", "warm", "check", "rate", "load", "sweep"])
    p.add_argument("--url", default="http://127.0.0.1:18100")
    p.add_argument("--scenario", default="access-log-forensics")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--pool-wait", type=float, default=30)
    p.add_argument("--seconds", type=float, default=40)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--owner", default="")
    p.add_argument("--user", default="admin", help="the scenario's user (scenario.yaml `user:`)")
    p.add_argument("--pid", type=int, default=0)
    p.add_argument("--perf-out", default="", help="perf record the server during a Breakfix typing turn into this file")
    p.add_argument("--sequence-rate", type=int, default=1, help="also time the raw Breakfix sequence's rate (analysis)")
    p.add_argument("--echo-sessions", type=int, default=100)
    p.add_argument("--echo-seconds", type=float, default=20)
    p.add_argument("--cap", type=int, default=500)
    p.add_argument("--batch", type=int, default=50)
    a = p.parse_args()
    if a.what == "sweep":
        return cmd_sweep(a)
    asyncio.run({"ready": cmd_ready, "warm": cmd_warm, "check": cmd_check, "rate": cmd_rate, "load": cmd_load}[a.what](a))


if __name__ == "__main__":
    main()
