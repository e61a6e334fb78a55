// Sort, then for each job count the later jobs with m[j] <= B - m[i] by binary search.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n, b;
    if (std::scanf("%d %d", &n, &b) != 2) return 1;
    std::vector<int> m(n);
    for (int &x : m) std::scanf("%d", &x);
    std::sort(m.begin(), m.end());
    long long count = 0;
    for (int i = 0; i < n; i++) {
        auto end = std::upper_bound(m.begin() + i + 1, m.end(), b - m[i]);
        count += end - (m.begin() + i + 1);
    }
    std::printf("%lld\n", count);
}
