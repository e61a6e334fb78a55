import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.PriorityQueue;

// Dijkstra on (router, upgrade used?) states: a link costs w, or 0 if the upgrade is unused.
public class Main {
    static DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(System.in, 1 << 16));

    static int nextInt() throws IOException {
        int ret = 0, b = in.read();
        while (b < '0' || b > '9') {
            if (b == '-') { b = in.read(); int r = 0; while (b >= '0' && b <= '9') { r = r * 10 + (b - '0'); b = in.read(); } return -r; }
            b = in.read();
        }
        while (b >= '0' && b <= '9') { ret = ret * 10 + (b - '0'); b = in.read(); }
        return ret;
    }

    public static void main(String[] args) throws IOException {
        int n = nextInt(), m = nextInt();
        int[] head = new int[n + 1], nxt = new int[2 * m], to = new int[2 * m], wt = new int[2 * m];
        Arrays.fill(head, -1);
        for (int i = 0; i < m; i++) {
            int u = nextInt(), v = nextInt(), w = nextInt();
            to[2 * i] = v; wt[2 * i] = w; nxt[2 * i] = head[u]; head[u] = 2 * i;
            to[2 * i + 1] = u; wt[2 * i + 1] = w; nxt[2 * i + 1] = head[v]; head[v] = 2 * i + 1;
        }
        long inf = Long.MAX_VALUE / 4;
        long[] dist = new long[2 * (n + 1)];      // state = router * 2 + used
        Arrays.fill(dist, inf);
        dist[2] = 0;
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        pq.add(new long[] {0, 2});
        while (!pq.isEmpty()) {
            long[] top = pq.poll();
            long d = top[0];
            int s = (int) top[1];
            if (d > dist[s]) continue;
            int u = s >> 1, used = s & 1;
            for (int e = head[u]; e != -1; e = nxt[e]) {
                int t = to[e] * 2 + used;
                if (d + wt[e] < dist[t]) { dist[t] = d + wt[e]; pq.add(new long[] {dist[t], t}); }
                if (used == 0) {
                    int t2 = to[e] * 2 + 1;
                    if (d < dist[t2]) { dist[t2] = d; pq.add(new long[] {d, t2}); }
                }
            }
        }
        long best = Math.min(dist[2 * n], dist[2 * n + 1]);
        System.out.println(best >= inf ? -1 : best);
    }
}
