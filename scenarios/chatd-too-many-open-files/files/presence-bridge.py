#!/usr/bin/python3
"""presence-bridge: keeps one subscription connection per chat room open to chatd."""
import socket, time

ROOMS = 120
conns = {}
while True:
    for room in range(ROOMS):
        if room in conns:
            continue
        try:
            s = socket.create_connection(("127.0.0.1", 6767), timeout=1)
            s.settimeout(0.5)
            s.recv(100)          # greeting; times out while chatd can't accept
            s.settimeout(None)
            s.setblocking(False)
            conns[room] = s
        except OSError:
            try:
                s.close()
            except Exception:
                pass
            break
    for room, s in list(conns.items()):   # drop connections chatd has closed
        try:
            if s.recv(100) == b"":
                s.close(); del conns[room]
        except BlockingIOError:
            pass
        except OSError:
            s.close(); del conns[room]
    time.sleep(2)
