#!/usr/bin/python3
"""gallery: PUT /upload/<name> stores a photo under uploads/YYYY/MM/, GET /files/<path>
serves it back. Uploads are staged in uploads/.incoming and renamed into place."""
import json, os, re, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = "/srv/gallery/uploads"
INCOMING = os.path.join(ROOT, ".incoming")
NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def log(msg):
    print(msg, flush=True)


def store(name, data):
    part = os.path.join(INCOMING, f"{uuid.uuid4().hex}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    month = time.strftime("%Y/%m")
    os.makedirs(os.path.join(ROOT, month), mode=0o2770, exist_ok=True)
    os.rename(part, os.path.join(ROOT, month, name))
    return f"{month}/{name}"


class Handler(BaseHTTPRequestHandler):
    def reply(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if not self.path.startswith("/upload/") or not NAME.match(self.path[8:]):
            return self.reply(400, {"error": "bad name"})
        name = self.path[8:]
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            stored = store(name, data)
        except Exception:
            # TODO: better error reporting (GAL-211)
            log(f"upload of {name} failed")
            return self.reply(500, {"error": "upload failed"})
        log(f"stored {stored} ({len(data)} bytes)")
        self.reply(201, {"stored": stored})

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {"status": "ok", "service": "gallery"})
        if self.path.startswith("/files/"):
            rel = os.path.normpath(self.path[7:]).lstrip("/")
            if rel.startswith(".") or "/." in rel:
                return self.reply(404, {"error": "not found"})
            try:
                with open(os.path.join(ROOT, rel), "rb") as f:
                    return self.reply(200, f.read(), "application/octet-stream")
            except FileNotFoundError:
                return self.reply(404, {"error": "not found"})
            except Exception:
                log(f"cannot serve {rel}")
                return self.reply(500, {"error": "cannot read file"})
        self.reply(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        pass


log(f"gallery serving {ROOT} on 127.0.0.1:8080")
ThreadingHTTPServer(("127.0.0.1", 8080), Handler).serve_forever()
