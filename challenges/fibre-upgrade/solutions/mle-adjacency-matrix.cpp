// Textbook O(N^2) Dijkstra on an adjacency matrix: fast enough, but the (N+1) x (N+1) matrix of
// 64-bit latencies needs 8 * N^2 bytes — 1.8 GB for N = 15000, against a 256 MiB limit.
#include <cstdio>
#include <vector>

typedef long long ll;
const ll INF = (ll)4e18;

static std::vector<ll> dijkstra(const std::vector<std::vector<ll>> &adj, int n, int src) {
    std::vector<ll> dist(n + 1, INF);
    std::vector<char> done(n + 1, 0);
    dist[src] = 0;
    for (int it = 0; it < n; it++) {
        int u = -1;
        for (int v = 1; v <= n; v++)
            if (!done[v] && dist[v] < INF && (u == -1 || dist[v] < dist[u])) u = v;
        if (u == -1) break;
        done[u] = 1;
        for (int v = 1; v <= n; v++)
            if (adj[u][v] < INF && dist[u] + adj[u][v] < dist[v]) dist[v] = dist[u] + adj[u][v];
    }
    return dist;
}

int main() {
    int n, m;
    if (std::scanf("%d %d", &n, &m) != 2) return 1;
    std::vector<std::vector<ll>> adj(n + 1, std::vector<ll>(n + 1, INF));
    for (int i = 0; i < m; i++) {
        int u, v;
        ll w;
        std::scanf("%d %d %lld", &u, &v, &w);
        if (w < adj[u][v]) adj[u][v] = adj[v][u] = w;
    }
    std::vector<ll> d1 = dijkstra(adj, n, 1), dn = dijkstra(adj, n, n);
    ll best = d1[n];
    for (int u = 1; u <= n; u++)
        for (int v = 1; v <= n; v++)
            if (adj[u][v] < INF && d1[u] < INF && dn[v] < INF && d1[u] + dn[v] < best) best = d1[u] + dn[v];
    std::printf("%lld\n", best >= INF ? -1LL : best);
}
