# Plausible bug: a depth-first search (iterative, so no recursion limit) that marks units as
# visited but never notices a unit that is still being visited — it prints an "order" even
# when there is a cycle. Passes the sample.
import sys

lines = sys.stdin.read().split("\n")
n = int(lines[0])
names, deps = [], {}
for i in range(1, n + 1):
    head, _, rest = lines[i].partition(":")
    names.append(head.strip())
    deps[names[-1]] = rest.split()
seen, order = set(), []
for root in names:
    if root in seen:
        continue
    seen.add(root)
    stack = [(root, iter(deps[root]))]
    while stack:
        u, it = stack[-1]
        for d in it:
            if d not in seen:
                seen.add(d)
                stack.append((d, iter(deps[d])))
                break
        else:
            stack.pop()
            order.append(u)
print("\n".join(order))
