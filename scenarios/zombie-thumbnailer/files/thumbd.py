#!/usr/bin/python3
"""thumbd: watches the upload queue and runs mkthumb for every job; small HTTP status API."""
import json, os, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

QUEUE = "/var/spool/thumbd/queue"
DONE = "/var/spool/thumbd/done"
MKTHUMB = "/opt/thumbd/bin/mkthumb"
INSTANCE = open("/etc/thumbd/instance-id").read().strip()
stats = {"jobs": 0, "started": time.time()}


def spawn(job):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(MKTHUMB, [MKTHUMB, job])
        finally:
            os._exit(127)
    # TODO(perf): waiting here made the queue slow, the child finishes on its own anyway
    return pid


def worker():
    while True:
        for name in sorted(os.listdir(QUEUE)):
            if not name.endswith(".job"):
                continue
            src = os.path.join(QUEUE, name)
            dst = os.path.join(DONE, name)
            try:
                os.rename(src, dst)
            except OSError:
                continue
            spawn(dst)
            stats["jobs"] += 1
        time.sleep(0.5)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/health":
            self.send_error(404)
            return
        body = json.dumps({"status": "ok", "service": "thumbd", "instance": INSTANCE,
                           "jobs_done": stats["jobs"],
                           "uptime_s": int(time.time() - stats["started"])}).encode() + b"\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


threading.Thread(target=worker, daemon=True).start()
print(f"thumbd {INSTANCE} up, queue {QUEUE}", flush=True)
ThreadingHTTPServer(("127.0.0.1", 8080), Handler).serve_forever()
