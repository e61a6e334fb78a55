# Sort, then for the smallest remaining job find how many larger ones it fits with.
import sys

data = sys.stdin.buffer.read().split()
n, b = int(data[0]), int(data[1])
m = sorted(map(int, data[2:2 + n]))
i, j, count = 0, n - 1, 0
while i < j:
    if m[i] + m[j] <= b:
        count += j - i      # m[i] fits with every job in i+1 .. j
        i += 1
    else:
        j -= 1
print(count)
