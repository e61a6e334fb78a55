import sys

counts = {}
for line in sys.stdin.buffer:
    parts = line.split(b'"')
    if len(parts) < 3:
        continue
    status = parts[2].split()[0]
    if status.startswith(b"5"):
        ip = parts[0].split()[0]
        counts[ip] = counts.get(ip, 0) + 1

if not counts:
    print("none")
else:
    best = min(counts, key=lambda ip: (-counts[ip], ip))
    print(best.decode(), counts[best])
