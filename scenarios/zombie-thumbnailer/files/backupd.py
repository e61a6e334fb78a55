#!/usr/bin/python3
"""backupd: runs the long nightly backup as a few parallel stream workers and waits for them."""
import os, signal, subprocess, sys, time

streams = []
for name in ("db", "media", "config"):
    # each stream worker is a long-running child; backupd waits for all of them
    streams.append(subprocess.Popen(["/bin/sleep", "86400"]))
    print(f"backupd: stream {name} started as pid {streams[-1].pid}", flush=True)

signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
try:
    while any(p.poll() is None for p in streams):
        time.sleep(2)
finally:
    for p in streams:
        if p.poll() is None:
            p.terminate()
print("backupd: all streams finished", flush=True)
