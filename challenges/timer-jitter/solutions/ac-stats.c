/* Two passes: the mean first, then the squared deviations from it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long *x = malloc(sizeof *x * (size_t)n);
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        if (scanf("%lld", &x[i]) != 1) return 1;
        sum += x[i];
    }
    double mean = (double)sum / n;
    double acc = 0;
    for (int i = 0; i < n; i++) {
        double d = (double)x[i] - mean;
        acc += d * d;
    }
    printf("%.9f %.9f\n", mean, sqrt(acc / n));
    free(x);
    return 0;
}
