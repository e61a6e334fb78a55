# Plausible bug: shows s/t whenever the special bit is set, never the capital S/T used when
# the underlying execute bit is missing. Passes the sample.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
res = []
for i in range(n):
    kind = data[1 + 2 * i].decode()
    mode = int(data[2 + 2 * i], 8)
    s = kind
    for shift, special, mark in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = (mode >> shift) & 7
        s += "r" if bits & 4 else "-"
        s += "w" if bits & 2 else "-"
        s += mark if mode & special else ("x" if bits & 1 else "-")
    res.append(s)
print("\n".join(res))
