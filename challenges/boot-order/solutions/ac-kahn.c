/* Kahn's algorithm; unit names interned in an open-addressing hash table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXU 10000
#define MAXE 50000
#define HSIZE (1 << 15)

static char name[MAXU][64];
static int nunits;
static int table[HSIZE]; /* unit id + 1, 0 = empty */
static int eu[MAXE], ev[MAXE], ne; /* edge: ev depends on eu */
static int indeg[MAXU], head[MAXU], nxt[MAXE], q[MAXU];

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int intern(const char *s) {
    unsigned h = hash(s) & (HSIZE - 1);
    while (table[h]) {
        if (strcmp(name[table[h] - 1], s) == 0) return table[h] - 1;
        h = (h + 1) & (HSIZE - 1);
    }
    strcpy(name[nunits], s);
    table[h] = nunits + 1;
    return nunits++;
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    char tok[80];
    int cur = -1;
    int order_in[MAXU], k = 0; /* units in input order */
    while (scanf("%79s", tok) == 1) {
        size_t len = strlen(tok);
        if (tok[len - 1] == ':') {
            tok[len - 1] = '\0';
            cur = intern(tok);
            order_in[k++] = cur;
        } else {
            int d = intern(tok);
            eu[ne] = d;
            ev[ne] = cur;
            ne++;
        }
    }
    memset(head, -1, sizeof head);
    for (int e = 0; e < ne; e++) {
        indeg[ev[e]]++;
        nxt[e] = head[eu[e]];
        head[eu[e]] = e;
    }
    int qh = 0, qt = 0;
    for (int i = 0; i < k; i++)
        if (indeg[order_in[i]] == 0) q[qt++] = order_in[i];
    while (qh < qt) {
        int u = q[qh++];
        for (int e = head[u]; e != -1; e = nxt[e])
            if (--indeg[ev[e]] == 0) q[qt++] = ev[e];
    }
    if (qt < n) {
        puts("CYCLE");
        return 0;
    }
    for (int i = 0; i < qt; i++) puts(name[q[i]]);
    return 0;
}
