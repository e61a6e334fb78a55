/* Plausible bug: the textbook one-pass formula var = E[x^2] - E[x]^2 in doubles. Exact on the
 * samples; catastrophic cancellation on intervals around 1e9 that differ by a few ns. */
#include <math.h>
#include <stdio.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    double s1 = 0, s2 = 0, x;
    for (int i = 0; i < n; i++) {
        if (scanf("%lf", &x) != 1) return 1;
        s1 += x;
        s2 += x * x;
    }
    double mean = s1 / n;
    double var = s2 / n - mean * mean;
    if (var < 0) var = 0;
    printf("%.9f %.9f\n", mean, sqrt(var));
    return 0;
}
