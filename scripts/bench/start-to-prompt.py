#!/usr/bin/env python3
"""Time from `POST /api/sessions` to a usable prompt in the terminal, through the real server.

    scripts/bench/start-to-prompt.py [--url http://127.0.0.1:8080] [--scenario SLUG] [--runs N]

Each run: start a session (fresh anonymous identity), poll its state every 20 ms until ready,
open the terminal WebSocket, wait for the shell's prompt ("$ "), then end the session. Prints
every run and the median, in milliseconds. Standard library only.
"""
import argparse, base64, json, os, socket, statistics, time, urllib.request


def request(url, method="GET", body=None, cookie=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if cookie:
        req.add_header("Cookie", cookie)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.headers, json.loads(resp.read() or b"{}")


def wait_prompt(host, port, path, cookie, timeout=20):
    """A minimal WebSocket client: handshake, then read frames until a prompt shows up."""
    sock = socket.create_connection((host, port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: {cookie}\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, rest = data.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise RuntimeError(f"no upgrade: {head[:80]!r}")
    seen = b""
    buf = rest
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        while len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126:
                if len(buf) < 4: break
                n, off = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10: break
                n, off = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < off + n: break
            seen += buf[off:off + n]
            buf = buf[off + n:]
            if b"$ " in seen or b"# " in seen:
                sock.close()
                return
        buf += sock.recv(65536)
    sock.close()
    raise RuntimeError("no prompt within the timeout")


def run_once(base, scenario):
    host, port = base.split("//")[1].split(":")[0], int(base.rsplit(":", 1)[1])
    t0 = time.monotonic()
    status, headers, body = request(base + "/api/sessions", "POST", {"scenario": scenario})
    cookie = headers.get("Set-Cookie").split(";")[0]
    sid = body["id"]
    while True:
        _, _, s = request(f"{base}/api/sessions/{sid}", cookie=cookie)
        if s["state"] in ("ready", "solved"):
            break
        if s["state"] not in ("queued", "provisioning"):
            raise RuntimeError(f"session ended: {s}")
        time.sleep(0.02)
    wait_prompt(host, port, f"/api/sessions/{sid}/terminal", cookie)
    elapsed = (time.monotonic() - t0) * 1000
    request(f"{base}/api/sessions/{sid}", "DELETE", cookie=cookie)
    return elapsed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--scenario", default="access-log-forensics")
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    times = []
    for i in range(a.runs):
        ms = run_once(a.url.rstrip("/"), a.scenario)
        times.append(ms)
        print(f"run {i + 1}: {ms:.0f} ms")
    print(f"start_to_prompt_median_ms {statistics.median(times):.0f}")


if __name__ == "__main__":
    main()
