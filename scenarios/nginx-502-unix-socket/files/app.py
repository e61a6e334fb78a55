#!/usr/bin/env python3
"""orders-api: small internal JSON API for the orders dashboard.

Speaks HTTP on a unix socket (path from $ORDERS_SOCKET); nginx proxies /api/ to it.
"""
import json
import os
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler

SOCKET = os.environ.get("ORDERS_SOCKET", "/run/orders-api/api.sock")
with open("/etc/orders-api/instance-id") as f:
    INSTANCE = f.read().strip()
STARTED = time.time()

RECENT = [
    {"id": 48213, "customer": "Hartley Nurseries", "items": 4, "total": "182.40", "status": "shipped"},
    {"id": 48214, "customer": "M. Okafor", "items": 1, "total": "32.00", "status": "paid"},
    {"id": 48215, "customer": "Greenway Landscaping", "items": 12, "total": "1046.75", "status": "picking"},
]


class Handler(BaseHTTPRequestHandler):
    server_version = "orders-api/1.4"

    def address_string(self):
        return "unix-client"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))

    def send_json(self, code, obj):
        body = (json.dumps(obj) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/api/health":
            self.send_json(200, {"status": "ok", "service": "orders-api", "instance": INSTANCE,
                                 "uptime_s": int(time.time() - STARTED)})
        elif path == "/api/orders/recent":
            self.send_json(200, {"orders": RECENT})
        else:
            self.send_json(404, {"error": "not found", "path": self.path})


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    server = Server(SOCKET, Handler)
    print("orders-api %s listening on unix:%s" % (INSTANCE, SOCKET), flush=True)
    server.serve_forever()
