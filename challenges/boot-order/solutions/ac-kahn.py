import sys
from collections import deque

lines = sys.stdin.buffer.read().decode().split("\n")
n = int(lines[0])
names = []
deps = []
for i in range(1, n + 1):
    head, _, rest = lines[i].partition(":")
    names.append(head.strip())
    deps.append(rest.split())
idx = {name: i for i, name in enumerate(names)}
indeg = [len(d) for d in deps]
users = [[] for _ in range(n)]
for u in range(n):
    for d in deps[u]:
        users[idx[d]].append(u)
q = deque(u for u in range(n) if indeg[u] == 0)
order = []
while q:
    u = q.popleft()
    order.append(u)
    for v in users[u]:
        indeg[v] -= 1
        if indeg[v] == 0:
            q.append(v)
if len(order) < n:
    print("CYCLE")
else:
    sys.stdout.write("\n".join(names[u] for u in order) + "\n")
