#!/usr/bin/python3
"""chatd: line-based chat gateway. Greets every client, echoes its lines back (the real
fan-out is elided here). One socket per connected client."""
import errno, os, selectors, socket, sys, time

PORT = int(os.environ.get("CHATD_PORT", "6767"))
INSTANCE = open("/etc/chatd/instance-id").read().strip()
sel = selectors.DefaultSelector()
clients = 0
emfile = 0
last_report = 0.0


def log(msg):
    print(msg, flush=True)


def accept(lsock):
    global clients, emfile, last_report
    while True:
        try:
            conn, _ = lsock.accept()
        except BlockingIOError:
            return
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE):
                emfile += 1
                now = time.monotonic()
                if now - last_report > 5:
                    log(f"accept() failed: [Errno {e.errno}] {os.strerror(e.errno)} "
                        f"({emfile} times so far, {clients} clients connected)")
                    last_report = now
                time.sleep(0.05)
                return
            raise
        conn.setblocking(False)
        try:
            conn.send(f"HELLO chatd {INSTANCE}\n".encode())
        except OSError:
            conn.close()
            continue
        sel.register(conn, selectors.EVENT_READ, serve)
        clients += 1


def serve(conn):
    global clients
    try:
        data = conn.recv(4096)
    except OSError:
        data = b""
    if not data:
        sel.unregister(conn)
        conn.close()
        clients -= 1
        return
    try:
        conn.send(b"ECHO " + data)
    except OSError:
        pass


lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsock.bind(("127.0.0.1", PORT))
lsock.listen(4096)
lsock.setblocking(False)
sel.register(lsock, selectors.EVENT_READ, accept)
log(f"chatd {INSTANCE} listening on 127.0.0.1:{PORT}")
while True:
    for key, _ in sel.select(timeout=1):
        key.data(key.fileobj)
