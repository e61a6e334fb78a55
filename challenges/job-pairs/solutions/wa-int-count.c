/* Plausible bug: the right algorithm with an `int` counter, which overflows when there are
 * more than 2^31 - 1 pairs. */
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n, b;
    if (scanf("%d %d", &n, &b) != 2) return 1;
    int *m = malloc(sizeof *m * (size_t)n);
    for (int i = 0; i < n; i++)
        if (scanf("%d", &m[i]) != 1) return 1;
    qsort(m, (size_t)n, sizeof *m, cmp);
    int count = 0;
    int i = 0, j = n - 1;
    while (i < j) {
        if (m[i] + m[j] <= b) {
            count += j - i;
            i++;
        } else {
            j--;
        }
    }
    printf("%d\n", count);
    return 0;
}
