# Plausible bug: on a tie keeps the address seen first (dicts keep insertion order), not the
# byte-wise smallest one. Passes the sample.
import sys

counts = {}
for line in sys.stdin.buffer:
    parts = line.split(b'"')
    status = parts[2].split()[0]
    if status.startswith(b"5"):
        ip = parts[0].split()[0]
        counts[ip] = counts.get(ip, 0) + 1

if not counts:
    print("none")
else:
    best = max(counts, key=lambda ip: counts[ip])
    print(best.decode(), counts[best])
