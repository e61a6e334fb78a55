/* Plausible bug: a warning for malformed request lines, followed by `continue` — which skips
 * the fgets() at the bottom of the loop, so the same line is warned about forever. The samples
 * have no malformed request, the hidden tests do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    static char line[4096];
    size_t cap = 1024, k = 0;
    char **hits = malloc(cap * sizeof *hits);
    int have = fgets(line, sizeof line, stdin) != NULL;
    while (have) {
        char *q1 = strchr(line, '"');
        char *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
        if (!q2) break;
        int words = 0, inword = 0;
        for (char *p = q1 + 1; p < q2; p++) {
            if (*p == ' ') inword = 0;
            else if (!inword) { inword = 1; words++; }
        }
        if (words != 3) {
            printf("warning: malformed request: %.*s\n", (int)(q2 - q1 - 1), q1 + 1);
            continue;
        }
        char *p = q2 + 1;
        while (*p == ' ') p++;
        if (p[0] == '5') {
            size_t len = strcspn(line, " ");
            if (k == cap) hits = realloc(hits, (cap *= 2) * sizeof *hits);
            hits[k] = malloc(len + 1);
            memcpy(hits[k], line, len);
            hits[k][len] = '\0';
            k++;
        }
        have = fgets(line, sizeof line, stdin) != NULL;
    }
    if (k == 0) {
        puts("none");
        return 0;
    }
    qsort(hits, k, sizeof *hits, cmp);
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
