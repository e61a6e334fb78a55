# Plausible but wrong: take the fastest path, then upgrade its slowest link. Right on the
# samples; wrong when a path with a slightly worse total but one huge link is better.
import heapq
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    u, v, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
    adj[u].append((v, w))
    adj[v].append((u, w))
inf = float("inf")
dist = [inf] * (n + 1)
via = [0] * (n + 1)       # weight of the link used to reach the router
prev = [0] * (n + 1)
dist[1] = 0
heap = [(0, 1)]
while heap:
    d, u = heapq.heappop(heap)
    if d > dist[u]:
        continue
    for v, w in adj[u]:
        if d + w < dist[v]:
            dist[v], prev[v], via[v] = d + w, u, w
            heapq.heappush(heap, (d + w, v))
if dist[n] == inf:
    print(-1)
else:
    heaviest, u = 0, n
    while u != 1:
        heaviest = max(heaviest, via[u])
        u = prev[u]
    print(dist[n] - heaviest)
