# Exact integer arithmetic: N^2 * variance = N * sum(x^2) - sum(x)^2, then one sqrt.
import math
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
xs = list(map(int, data[1:n + 1]))
s1 = sum(xs)
s2 = sum(x * x for x in xs)
num = n * s2 - s1 * s1          # >= 0, exact
print("%.9f %.9f" % (s1 / n, math.sqrt(num) / n))
