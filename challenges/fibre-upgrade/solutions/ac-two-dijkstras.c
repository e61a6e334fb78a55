/* Two Dijkstras (from 1 and from N) with a binary heap; answer = min over links (u, v) of
 * d1[u] + dN[v] (the link upgraded to 0), or d1[N] with no upgrade. */
#include <stdio.h>
#include <stdlib.h>

typedef long long ll;
static const ll INF = (ll)4e18;

static int n, m;
static int *head, *nxt, *to, *eu, *ev;
static ll *wt;

typedef struct { ll d; int v; } item;
static item *heap;
static int hsize;

static void push(ll d, int v) {
    int i = hsize++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (heap[p].d <= d) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i].d = d;
    heap[i].v = v;
}

static item pop(void) {
    item top = heap[0], last = heap[--hsize];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= hsize) break;
        if (c + 1 < hsize && heap[c + 1].d < heap[c].d) c++;
        if (heap[c].d >= last.d) break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = last;
    return top;
}

static void dijkstra(int src, ll *dist) {
    for (int i = 1; i <= n; i++) dist[i] = INF;
    dist[src] = 0;
    hsize = 0;
    push(0, src);
    while (hsize) {
        item it = pop();
        if (it.d > dist[it.v]) continue;
        for (int e = head[it.v]; e != -1; e = nxt[e]) {
            ll nd = it.d + wt[e];
            if (nd < dist[to[e]]) {
                dist[to[e]] = nd;
                push(nd, to[e]);
            }
        }
    }
}

int main(void) {
    if (scanf("%d %d", &n, &m) != 2) return 1;
    head = malloc(sizeof(int) * (size_t)(n + 1));
    nxt = malloc(sizeof(int) * (size_t)(2 * m + 1));
    to = malloc(sizeof(int) * (size_t)(2 * m + 1));
    wt = malloc(sizeof(ll) * (size_t)(2 * m + 1));
    eu = malloc(sizeof(int) * (size_t)(m + 1));
    ev = malloc(sizeof(int) * (size_t)(m + 1));
    heap = malloc(sizeof(item) * (size_t)(2 * m + 2));
    for (int i = 0; i <= n; i++) head[i] = -1;
    for (int i = 0; i < m; i++) {
        int u, v;
        ll w;
        if (scanf("%d %d %lld", &u, &v, &w) != 3) return 1;
        eu[i] = u;
        ev[i] = v;
        to[2 * i] = v; wt[2 * i] = w; nxt[2 * i] = head[u]; head[u] = 2 * i;
        to[2 * i + 1] = u; wt[2 * i + 1] = w; nxt[2 * i + 1] = head[v]; head[v] = 2 * i + 1;
    }
    ll *d1 = malloc(sizeof(ll) * (size_t)(n + 1)), *dn = malloc(sizeof(ll) * (size_t)(n + 1));
    dijkstra(1, d1);
    dijkstra(n, dn);
    ll best = d1[n];
    for (int i = 0; i < m; i++) {
        int u = eu[i], v = ev[i];
        if (d1[u] < INF && dn[v] < INF && d1[u] + dn[v] < best) best = d1[u] + dn[v];
        if (d1[v] < INF && dn[u] < INF && d1[v] + dn[u] < best) best = d1[v] + dn[u];
    }
    printf("%lld\n", best >= INF ? -1LL : best);
    return 0;
}
