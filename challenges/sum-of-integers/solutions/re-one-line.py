# Plausible bug: assumes all the numbers are on the second line; when they are spread over
# several lines, a[i] runs past the end of the list -> IndexError (runtime error).
n = int(input())
a = list(map(int, input().split()))
s = 0
for i in range(n):
    s += a[i]
print(s)
