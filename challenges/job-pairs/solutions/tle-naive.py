# Correct but O(N^2): fine for N <= 2000, hopeless for N = 2*10^5 (2*10^10 pairs).
import sys

data = sys.stdin.buffer.read().split()
n, b = int(data[0]), int(data[1])
m = list(map(int, data[2:2 + n]))
count = 0
for i in range(n):
    mi = m[i]
    for j in range(i + 1, n):
        if mi + m[j] <= b:
            count += 1
print(count)
