#!/usr/bin/python3
"""pushgw: accepts metric pushes over HTTP and spools them for the collector."""
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def need(name):
    value = os.environ.get(name)
    if value is None or value == "":
        print(f"FATAL: required setting {name} is not set (check the service's environment)", flush=True)
        sys.exit(78)
    return value


port = need("PUSHGW_PORT")
if not port.isdigit():
    print(f"FATAL: PUSHGW_PORT={port!r} is not a port number", flush=True)
    sys.exit(78)
node = need("PUSHGW_NODE_ID")
spool = need("PUSHGW_SPOOL")
if not os.path.isdir(spool):
    print(f"FATAL: spool directory {spool!r} does not exist", flush=True)
    sys.exit(78)
if not os.access(spool, os.W_OK):
    print(f"FATAL: spool directory {spool!r} is not writable", flush=True)
    sys.exit(73)


class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, {"status": "ok", "service": "pushgw", "node": node, "spool": spool})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length)
        name = os.path.join(spool, f"push-{time.time_ns()}.json")
        with open(name, "wb") as f:
            f.write(payload)
        self._send(202, {"spooled": os.path.basename(name)})

    def log_message(self, fmt, *args):
        pass


print(f"pushgw node {node} listening on 127.0.0.1:{port}, spool {spool}", flush=True)
ThreadingHTTPServer(("127.0.0.1", int(port)), Handler).serve_forever()
