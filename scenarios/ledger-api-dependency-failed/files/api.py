#!/usr/bin/python3
"""ledger API 2.7: read-only JSON view of the ledger (needs schema version 7)."""
import json, sqlite3, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DB = "/var/lib/ledger/ledger.db"
NEEDS = 7


def connect():
    return sqlite3.connect(f"file:{DB}?mode=ro", uri=True, timeout=2)


db = connect()
version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
if version != NEEDS:
    print(f"FATAL: database schema is at version {version}, ledger-api 2.7 needs version {NEEDS}: "
          f"the migrations (ledger-migrate.service) must run before the API starts", flush=True)
    sys.exit(1)
db.close()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/health":
            self.send_error(404)
            return
        db = connect()
        try:
            ledger_id = db.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()[0]
            n, total = db.execute("SELECT count(*), coalesce(sum(amount_cents), 0) FROM entries "
                                  "WHERE currency = 'EUR'").fetchone()
            schema = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        finally:
            db.close()
        body = json.dumps({"status": "ok", "service": "ledger-api", "schema": int(schema),
                           "ledger_id": ledger_id, "entries": n, "total_cents": total}).encode() + b"\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


print(f"ledger-api 2.7 on 127.0.0.1:8080, schema version {version}", flush=True)
ThreadingHTTPServer(("127.0.0.1", 8080), Handler).serve_forever()
