#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    static char line[4096];
    size_t cap = 1024, k = 0;
    char **hits = malloc(cap * sizeof *hits);
    while (fgets(line, sizeof line, stdin)) {
        char *q1 = strchr(line, '"');
        if (!q1) continue;
        char *q2 = strchr(q1 + 1, '"');
        if (!q2) continue;
        char *p = q2 + 1;
        while (*p == ' ') p++;
        if (p[0] != '5') continue;
        size_t len = strcspn(line, " ");
        if (k == cap) hits = realloc(hits, (cap *= 2) * sizeof *hits);
        hits[k] = malloc(len + 1);
        memcpy(hits[k], line, len);
        hits[k][len] = '\0';
        k++;
    }
    if (k == 0) {
        puts("none");
        return 0;
    }
    qsort(hits, k, sizeof *hits, cmp);
    /* sorted, so the first run of maximal length is the byte-wise smallest address */
    size_t best = 0, bestn = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && strcmp(hits[i], hits[j]) == 0) j++;
        if (j - i > bestn) { bestn = j - i; best = i; }
        i = j;
    }
    printf("%s %zu\n", hits[best], bestn);
    return 0;
}
