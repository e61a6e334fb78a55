# Correct algorithm (DFS with colours), but recursive: on a dependency chain thousands of
# units deep it exceeds Python's default recursion limit (1000) -> RecursionError.
import sys

lines = sys.stdin.read().split("\n")
n = int(lines[0])
names, deps = [], {}
for i in range(1, n + 1):
    head, _, rest = lines[i].partition(":")
    names.append(head.strip())
    deps[names[-1]] = rest.split()
state, order = {}, []


def visit(u):
    state[u] = 1
    for d in deps[u]:
        s = state.get(d, 0)
        if s == 1:
            return False
        if s == 0 and not visit(d):
            return False
    state[u] = 2
    order.append(u)
    return True


for u in names:
    if state.get(u, 0) == 0 and not visit(u):
        print("CYCLE")
        break
else:
    print("\n".join(order))
