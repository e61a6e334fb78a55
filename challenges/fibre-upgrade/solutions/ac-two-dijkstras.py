# dist from 1 and dist from N; the best upgraded link (u, v) gives d1[u] + dN[v].
import heapq
import sys


def dijkstra(n, adj, src):
    inf = float("inf")
    dist = [inf] * (n + 1)
    dist[src] = 0
    heap = [(0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    edges = []
    for i in range(m):
        u, v, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
        adj[u].append((v, w))
        adj[v].append((u, w))
        edges.append((u, v))
    d1 = dijkstra(n, adj, 1)
    dn = dijkstra(n, adj, n)
    best = d1[n]
    for u, v in edges:
        best = min(best, d1[u] + dn[v], d1[v] + dn[u])
    print(-1 if best == float("inf") else best)


main()
