#!/usr/bin/env python3
"""The judge's figures for `make bench`, each against the raw Engine API in the same run.

  judge_overhead_ratio      median wall time of judging a C ac- on the 10 hidden tests of
                            sum-of-integers (`breakfix challenge run --hidden-only`) ÷ the same work
                            raw: one container of the same image with the judge's settings, the
                            source written and compiled with one exec each, the binary run 10
                            times with each test's input on stdin, outputs compared, container
                            removed. Alternating, same run.
  judge_throughput_per_min  submissions judged per minute with 2 at a time for a fixed time, with
                            the raw sequence's rate at 2 at a time beside it.
  judge_cpu_time_error_ms   |reported CPU time − 500| for a C program that burns exactly 500 ms of
                            CPU from main (it spins on CLOCK_PROCESS_CPUTIME_ID), median of 5.

Usage: judge.py --bin PATH [--runs N] [--seconds S]
"""

import argparse
import concurrent.futures
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bfbench import BENCH_LABEL, Docker, fmt, med  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
SLUG = "sum-of-integers"
IMAGE = "breakfix/lang-native:bookworm"
COMPILE = ["gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"]

BURN_C = r"""
#include <stdio.h>
#include <time.h>
static long cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}
int main(void) {
    /* 500 ms of its own work, from main: the process's CPU clock also holds what runc's init
       spent in this process before its execve (about 20 ms, measured), which is not the
       program's and which the judge subtracts. */
    long start = cpu_ns();
    volatile unsigned long x = 0;
    for (;;) {
        for (int i = 0; i < 100000; i++) x += i;
        if (cpu_ns() - start >= 500000000L) break;
    }
    printf("done\n");
    return 0;
}
"""


def judge_config():
    """The settings DockerJudge gives a submission's container (JudgeContainerConfig.swift)."""
    return {
        "Image": IMAGE, "Cmd": ["/bin/sleep", "infinity"], "Labels": {BENCH_LABEL: "1"}, "User": "0:0",
        "NetworkDisabled": True, "Hostname": "judge",
        "HostConfig": {
            "CapDrop": ["ALL"], "Privileged": False, "NetworkMode": "none", "Init": True, "ReadonlyRootfs": True,
            "Memory": 512 << 20, "MemorySwap": 512 << 20, "NanoCpus": 1_000_000_000, "PidsLimit": 66,
            "SecurityOpt": ["no-new-privileges:true"],
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 1024}, {"Name": "core", "Soft": 0, "Hard": 0}],
            "Tmpfs": {"/work": f"rw,exec,nosuid,nodev,size={64 << 20},mode=1777",
                      "/tmp": f"rw,noexec,nosuid,nodev,size={128 << 20},mode=1777"},
        },
    }


def exec_stdin(docker, cid, cmd, stdin):
    """One exec with stdin attached (hijacked), to EOF; returns (exit code, stdout bytes)."""
    e = docker.call("POST", f"/containers/{cid}/exec", {
        "AttachStdin": True, "AttachStdout": True, "AttachStderr": True, "Tty": False, "User": "65534:65534",
        "WorkingDir": "/work", "Cmd": cmd})
    s, rest = docker.hijack(f"/exec/{e['Id']}/start", {"Detach": False, "Tty": False})
    raw = bytearray(rest)
    try:
        if stdin:
            s.sendall(stdin)
        s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            raw += chunk
    finally:
        s.close()
    # Demultiplex the 8-byte-header frames; keep stdout.
    out, i = bytearray(), 0
    while i + 8 <= len(raw):
        kind, size = raw[i], int.from_bytes(raw[i + 4:i + 8], "big")
        if kind == 1:
            out += raw[i + 8:i + 8 + size]
        i += 8 + size
    info = docker.call("GET", f"/exec/{e['Id']}/json")
    return info.get("ExitCode"), bytes(out)


def raw_judge(source, tests):
    """The judge's work, raw: returns (ms, all outputs matched)."""
    docker = Docker()
    t0 = time.monotonic()
    cid = docker.call("POST", "/containers/create", judge_config())["Id"]
    try:
        docker.call("POST", f"/containers/{cid}/start")
        code, _ = exec_stdin(docker, cid, ["/bin/sh", "-c", "cat > main.c"], source)
        assert code == 0, "writing the source failed"
        code, _ = exec_stdin(docker, cid, COMPILE, b"")
        assert code == 0, "compiling failed"
        ok = True
        for given, expected in tests:
            code, out = exec_stdin(docker, cid, ["./main"], given)
            ok = ok and code == 0 and out.split() == expected.split()
    finally:
        docker.call("DELETE", f"/containers/{cid}?force=1&v=1", ok=(200, 204, 404))
        docker.close()
    return (time.monotonic() - t0) * 1000, ok


def breakfix_judge(bin_path, program, slug=SLUG, challenges=None, extra=()):
    """`breakfix challenge run --json`: returns (ms, verdict, tests) of one judging."""
    cmd = [bin_path, "challenge", "run", slug, str(program), "--hidden-only", "--json", *extra]
    if challenges:
        cmd += ["--path", str(challenges)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"challenge run printed no result: {done.stdout[-400:]} {done.stderr[-400:]}")
    result = json.loads(lines[-1])
    return result["wall_ms"], result["verdict"], result["tests"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=45)
    args = parser.parse_args()

    folder = ROOT / "challenges" / SLUG
    program = sorted((folder / "solutions").glob("ac-*.c"))[0]
    source = program.read_bytes()
    tests = [(p.read_bytes(), p.with_suffix(".out").read_bytes()) for p in sorted((folder / "tests").glob("*.in"))]
    assert len(tests) == 10, f"{SLUG} should have 10 hidden tests, has {len(tests)}"

    # 1. Overhead: alternating, one at a time.
    raw_ms, bf_ms = [], []
    raw_judge(source, tests)  # warm the page cache and the image's layers for both sides
    breakfix_judge(args.bin, program)
    for _ in range(args.runs):
        ms, ok = raw_judge(source, tests)
        assert ok, "the raw sequence got a wrong output"
        raw_ms.append(ms)
        ms, verdict, _ = breakfix_judge(args.bin, program)
        assert verdict == "AC", f"breakfix judged {verdict}"
        bf_ms.append(ms)
    print(f"judge raw: {fmt(raw_ms)} ms (create+start, write, compile, 10 execs, compare, remove; n={len(raw_ms)})")
    print(f"judge breakfix: {fmt(bf_ms)} ms (challenge run --hidden-only, same program, alternating)")
    print(f"judge_overhead_ratio {med(bf_ms) / med(raw_ms):.2f}")

    # 2. Throughput, 2 at a time, for --seconds each.
    def rate(job):
        count, t0 = 0, time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            pending = {pool.submit(job) for _ in range(2)}
            while pending:
                done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for f in done:
                    f.result()
                    count += 1
                    if time.monotonic() - t0 < args.seconds:
                        pending.add(pool.submit(job))
        return count * 60 / (time.monotonic() - t0)

    raw_rate = rate(lambda: raw_judge(source, tests))
    # Breakfix's side in one process (`--repeat --concurrency 2`), so a CLI start per submission
    # is not counted against it: as many judgings as fit the same time at the measured latency.
    count = max(4, int(args.seconds * 2 / (med(bf_ms) / 1000)))
    t0 = time.monotonic()
    done = subprocess.run(
        [args.bin, "challenge", "run", SLUG, str(program), "--hidden-only", "--json", "--repeat", str(count),
         "--concurrency", "2"], capture_output=True, text=True, cwd=ROOT, timeout=1800)
    elapsed = time.monotonic() - t0
    verdicts = [json.loads(line)["verdict"] for line in done.stdout.splitlines() if line.startswith("{")]
    assert verdicts.count("AC") == count, f"{verdicts.count('AC')} of {count} judged AC: {done.stderr[-300:]}"
    bf_rate = count * 60 / elapsed
    print(f"judge throughput raw: {raw_rate:.1f} per min (2 at a time, {args.seconds} s)")
    print(f"judge throughput breakfix: {bf_rate:.1f} per min ({count} judged 2 at a time in {elapsed:.0f} s; {bf_rate / raw_rate:.2f} of raw)")
    print(f"judge_throughput_per_min {bf_rate:.1f}")

    # 3. CPU time accuracy: a challenge with one test and a program that burns 500 ms of CPU.
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="breakfix-bench-judge-"))
    try:
        burn = scratch / "burn-500ms"
        for sub in ("tests", "solutions"):
            (burn / sub).mkdir(parents=True)
        (burn / "challenge.yaml").write_text(
            'title: "Burn"\ndifficulty: easy\nlimits: { time: 2s, wall: 5s, memory: 64m, output: 1k }\n'
            "checker: tokens\nstatement: Burn 500 ms of CPU.\n")
        (burn / "tests" / "01.in").write_text("\n")
        (burn / "tests" / "01.out").write_text("done\n")
        (burn / "solutions" / "ac-burn.c").write_text(BURN_C)
        errors, reported = [], []
        for _ in range(5):
            _, verdict, results = breakfix_judge(args.bin, burn / "solutions" / "ac-burn.c", slug="burn-500ms", challenges=scratch)
            assert verdict == "AC", f"the burner got {verdict}"
            reported.append(results[0]["cpu_ms"])
            errors.append(abs(results[0]["cpu_ms"] - 500))
        print(f"judge cpu time of a 500 ms burner: reported {reported} ms (|error| {errors})")
        print(f"judge_cpu_time_error_ms {med(errors):.0f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
