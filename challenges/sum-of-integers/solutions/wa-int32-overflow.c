/* Plausible bug: a 32-bit accumulator (and 32-bit reads). Passes the samples, not the big values. */
#include <stdio.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int sum = 0;
    long long x;
    for (int i = 0; i < n; i++) {
        if (scanf("%lld", &x) != 1) return 1;
        sum += (int)x;
    }
    printf("%d\n", sum);
    return 0;
}
