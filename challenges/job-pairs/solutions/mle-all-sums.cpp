// "Sort all pair sums and binary-search B": materialises every one of the N(N-1)/2 sums.
// For N = 2*10^5 that is 2*10^10 sums; the vector grows (and is written to) until it blows
// far past the 256 MiB limit.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n, b;
    if (std::scanf("%d %d", &n, &b) != 2) return 1;
    std::vector<int> m(n);
    for (int &x : m) std::scanf("%d", &x);
    std::vector<long long> sums;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) sums.push_back((long long)m[i] + m[j]);
    std::sort(sums.begin(), sums.end());
    long long count = std::upper_bound(sums.begin(), sums.end(), (long long)b) - sums.begin();
    std::printf("%lld\n", count);
}
