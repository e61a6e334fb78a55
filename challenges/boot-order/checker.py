#!/usr/bin/env python3
"""Custom checker: python3 checker.py INPUT EXPECTED ACTUAL -> 'OK'/'NO' + one line of feedback."""
import sys
from collections import deque


def verdict(ok, msg):
    print("OK" if ok else "NO")
    print(msg)
    sys.exit(0)


def parse_input(path):
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8", "replace").split("\n")
    n = int(lines[0])
    names, deps = [], {}
    for i in range(1, n + 1):
        head, _, rest = lines[i].partition(":")
        name = head.strip()
        names.append(name)
        deps[name] = rest.split()
    return names, deps


def find_cycle(names, deps):
    """Kahn's algorithm; returns None if acyclic, otherwise one cycle as a list of names."""
    indeg = {u: len(deps[u]) for u in names}
    users = {u: [] for u in names}
    for u in names:
        for d in deps[u]:
            users[d].append(u)
    q = deque(u for u in names if indeg[u] == 0)
    done = set()
    while q:
        u = q.popleft()
        done.add(u)
        for v in users[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                q.append(v)
    if len(done) == len(names):
        return None
    # every unit left has a dependency that is left too: walk until a unit repeats
    u = next(x for x in names if x not in done)
    seen, path = {}, []
    while u not in seen:
        seen[u] = len(path)
        path.append(u)
        u = next(d for d in deps[u] if d not in done)
    return path[seen[u]:] + [u]


def main():
    inp, _expected, actual = sys.argv[1:4]
    names, deps = parse_input(inp)
    with open(actual, "rb") as f:
        out = f.read().decode("utf-8", "replace").split()   # one name per line; any whitespace is tolerated
    cycle = find_cycle(names, deps)
    if cycle is not None:
        if out == ["CYCLE"]:
            verdict(True, "correctly reported the ordering cycle")
        shown = " -> ".join(cycle) if len(cycle) <= 6 else " -> ".join(cycle[:5]) + " -> ..."
        if not out:
            verdict(False, "empty output; expected CYCLE")
        if len(cycle) == 2:
            verdict(False, "expected CYCLE: unit %s depends on itself" % cycle[0])
        verdict(False, "expected CYCLE: %d units form an ordering cycle (each needs the next): %s"
                % (len(cycle) - 1, shown))
    if not out:
        verdict(False, "empty output; expected %d unit names" % len(names))
    if out[0] == "CYCLE":
        verdict(False, "printed CYCLE, but a valid order exists")
    known = set(names)
    pos = {}
    for i, name in enumerate(out, 1):
        if name not in known:
            verdict(False, "line %d: unknown unit %r" % (i, name[:80]))
        if name in pos:
            verdict(False, "line %d: unit %s is started twice (first on line %d)" % (i, name, pos[name]))
        for d in deps[name]:
            if d not in pos:
                verdict(False, "line %d: unit %s starts before its dependency %s" % (i, name, d))
        pos[name] = i
    if len(out) != len(names):
        missing = next(u for u in names if u not in pos)
        verdict(False, "only %d of %d units started; %s is missing" % (len(out), len(names), missing))
    verdict(True, "valid order of %d units" % len(names))


main()
