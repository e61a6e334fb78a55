"""inventory: stock levels for the shop, as JSON (WSGI app run by gunicorn)."""
import json
import os

INSTANCE_FILE = "/etc/inventory/instance-id"
STOCK = {"hori-hori-knife": 42, "bypass-pruner": 17, "border-fork": 5, "twine-tin": 230}


def _instance():
    try:
        with open(INSTANCE_FILE) as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path in ("/", "/health"):
        body = {"status": "ok", "service": "inventory", "instance": _instance(), "pid": os.getpid()}
    elif path == "/stock":
        body = {"stock": STOCK, "instance": _instance()}
    else:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": "not found"}\n']
    data = (json.dumps(body) + "\n").encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
