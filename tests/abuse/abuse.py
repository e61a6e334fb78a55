"""Helpers of the abuse suite: the server's API, the terminal WebSocket, the host's view of a
sandbox (Docker Engine API on the unix socket, cgroup files). Standard library + websocket-client."""

import base64
import http.client
import json
import os
import re
import secrets
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import websocket

RESULTS = []  # (attack, expected, observed, verdict)
DOCKER_SOCKET = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").replace("unix://", "")
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def record(attack, expected, observed, ok=True):
    RESULTS.append((attack, expected, observed.replace("\n", " ").strip(), "contained" if ok else "NOT CONTAINED"))


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("docker", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def docker(method, path, body=None):
    conn = UnixHTTP(DOCKER_SOCKET)
    if body is None:
        conn.request(method, path)
    else:
        conn.request(method, path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, (json.loads(body) if body and body[:1] in b"[{" else body)


def container_of(session_id):
    filters = urllib.parse.quote(json.dumps({"label": [f"breakfix.session={session_id}"]}))
    _, found = docker("GET", f"/containers/json?all=1&filters={filters}")
    return found[0]["Id"] if found else None


def inspect(container):
    status, body = docker("GET", f"/containers/{container}/json")
    return body if status == 200 else None


def cgroup_file(container, controller, name):
    """Reads one of the sandbox's cgroup v1 files on the host (or v2 if that is the host's)."""
    pid = inspect(container)["State"]["Pid"]
    with open(f"/proc/{pid}/cgroup") as f:
        groups = [line.strip().split(":", 2) for line in f]
    for _, controllers, path in groups:
        if controller in controllers.split(","):
            candidate = f"/sys/fs/cgroup/{controllers}{path}/{name}"
            if os.path.exists(candidate):
                return open(candidate).read().strip()
    v2 = [path for hid, c, path in groups if hid == "0"]
    if v2:
        return open(f"/sys/fs/cgroup{v2[0]}/{name}").read().strip()
    raise FileNotFoundError(f"{controller}/{name} of {container}")


def host_mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def host_disk_free(path="/var/lib/docker"):
    st = os.statvfs(path if os.path.exists(path) else "/")
    return st.f_bavail * st.f_frsize


def host_processes_matching(text):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class HTTPError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status, self.body = status, body


class Server:
    def __init__(self, url, scenario):
        self.url, self.scenario = url, scenario
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port

    def request(self, path, method="GET", body=None, cookie=None, timeout=60):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("Content-Type", "application/json")
        if cookie:
            req.add_header("Cookie", cookie)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, resp.headers, (json.loads(raw) if raw[:1] in (b"{", b"[") else raw)
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw
            return err.code, err.headers, parsed

    def ready(self):
        try:
            status, _, _ = self.request("/readyz", timeout=10)
            return status == 200
        except OSError:
            return False

    def require_healthy(self):
        if not self.ready():
            raise RuntimeError(f"the server at {self.url} does not answer /readyz; scripts/abuse.sh starts one")

    def start_session(self, cookie=None, scenario=None):
        status, headers, body = self.request("/api/sessions", "POST", {"scenario": scenario or self.scenario}, cookie)
        if status != 202:
            raise HTTPError(status, body)
        cookie = cookie or headers.get("Set-Cookie").split(";")[0]
        session = Session(self, body["id"], cookie)
        session.wait_ready()
        return session


class Session:
    def __init__(self, server, sid, cookie):
        self.server, self.id, self.cookie = server, sid, cookie

    def state(self):
        _, _, body = self.server.request(f"/api/sessions/{self.id}", cookie=self.cookie)
        return body

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.state()
            if s["state"] in ("ready", "solved"):
                return
            if s["state"] not in ("queued", "provisioning"):
                raise RuntimeError(f"session {self.id} ended while starting: {s}")
            time.sleep(0.1)
        raise RuntimeError(f"session {self.id} not ready within {timeout} s")

    def container(self):
        return container_of(self.id)

    def terminal(self):
        return Terminal(self)

    def check(self):
        t0 = time.monotonic()
        status, _, body = self.server.request(f"/api/sessions/{self.id}/check", "POST", {}, self.cookie)
        return status, body, time.monotonic() - t0

    def end(self):
        self.server.request(f"/api/sessions/{self.id}", "DELETE", cookie=self.cookie)


class Terminal:
    """The session's shell through the terminal WebSocket. `run` sends a command line and reads up
    to an end marker that the typed line itself cannot contain (the quotes split it).

    A reader thread reads all the time, as a browser tab does, so the server's keep-alive pings
    (every 30 s; a connection that leaves one unanswered until the next is closed) are answered
    while a test is busy elsewhere for minutes."""

    def __init__(self, session, timeout=30):
        self.session = session
        url = f"ws://{session.server.host}:{session.server.port}/api/sessions/{session.id}/terminal"
        self.ws = websocket.create_connection(url, header=[f"Cookie: {session.cookie}"], timeout=timeout)
        self.ws.settimeout(None)
        self.buffer = b""
        self.closed = None  # why the connection ended, once it has
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, name=f"terminal-{session.id[:8]}", daemon=True)
        self.reader.start()
        self.run("stty -echo; export PS1= PS2= PROMPT_COMMAND=", timeout=timeout)

    def _read(self):
        while True:
            try:
                opcode, data = self.ws.recv_data()  # answers pings itself
            except Exception as err:  # the socket closed or broke
                reason = f"connection lost ({type(err).__name__}: {err})"
                break
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                reason = "the server closed the terminal"
                break
            with self.changed:
                self.buffer += ANSI.sub(b"", data)
                self.changed.notify_all()
        with self.changed:
            self.closed = reason
            self.changed.notify_all()

    def send(self, text):
        self.ws.send_binary(text.encode())

    def read_until(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.changed:
            while True:
                match = regex.search(self.buffer)
                if match:
                    out = self.buffer[: match.start()]
                    self.buffer = self.buffer[match.end():]
                    return out, match
                if self.closed:
                    raise ConnectionError(f"terminal closed: {self.closed}; last output: {self.buffer[-300:]!r}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {pattern!r} within {timeout} s; last output: {self.buffer[-300:]!r}")
                self.changed.wait(remaining)

    def run(self, command, timeout=30):
        """Runs one command line in the shell; returns (exit status, output)."""
        nonce = secrets.token_hex(4)
        self.send(f'echo BF"BEG"{nonce}; {command}\necho BF"END"{nonce}:$?\n')
        self.read_until(rb"BFBEG" + nonce.encode() + rb"\n", timeout)
        out, match = self.read_until(rb"BFEND" + nonce.encode() + rb":(\d+)\n", timeout)
        return int(match.group(1)), out.decode(errors="replace")

    def root(self, script, timeout=30):
        """Runs a bash script as root (sudo, as the scenario's user may)."""
        encoded = base64.b64encode(script.encode()).decode()
        return self.run(f"echo {encoded} | base64 -d | sudo -n bash 2>&1", timeout)

    def echoes(self, timeout=20):
        token = secrets.token_hex(6)
        rc, out = self.run(f"echo {token}", timeout)
        return rc == 0 and token in out

    def close(self):
        try:
            self.ws.send_close()  # the reader sees the server's close frame and stops
        except Exception:
            pass
        self.reader.join(timeout=5)
        self.ws.shutdown()
