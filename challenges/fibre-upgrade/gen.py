#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-two-dijkstras.py")
rng = random.Random(1310)
W = 10**6


def case(n, edges, shuffle=True):
    edges = list(edges)
    if shuffle:
        rng.shuffle(edges)
    out = ["%d %d\n" % (n, len(edges))]
    for u, v, w in edges:
        if rng.random() < 0.5:
            u, v = v, u
        out.append("%d %d %d\n" % (u, v, w))
    return "".join(out)


def random_connected(n, m, wlo=1, whi=W):
    edges = []
    for v in range(2, n + 1):                    # a random spanning tree first
        edges.append((rng.randint(1, v - 1), v, rng.randint(wlo, whi)))
    while len(edges) < m:
        u, v = rng.sample(range(1, n + 1), 2)
        edges.append((u, v, rng.randint(wlo, whi)))
    return edges


def relabel(n, edges):
    """Random router numbers, keeping 1 and n in place."""
    mid = list(range(2, n))
    rng.shuffle(mid)
    mp = {1: 1, n: n}
    mp.update({i: mid[i - 2] for i in range(2, n)})
    return [(mp[u], mp[v], w) for u, v, w in edges]


def trap(n, offset):
    """Fastest path 1-a-n (10+10); but 1-b-n (1 + 100) is best after the upgrade."""
    a, b = offset, offset + 1
    return [(1, a, 10 * 1000), (a, n, 10 * 1000), (1, b, 1000), (b, n, 100 * 1000)]


samples = [
    '5 6\n1 2 4\n2 5 6\n1 3 2\n3 4 3\n4 5 8\n2 3 1\n',
    '3 1\n1 2 5\n',
]

tests = []
tests.append("1 0\n")                                                          # 01 already there
tests.append("2 0\n")                                                          # 02 unreachable
tests.append(case(2, [(1, 2, W)]))                                             # 03 upgrade the only link
tests.append(case(4, [(1, 2, 10), (2, 4, 10), (1, 3, 1), (3, 4, 100)]))         # 04 greedy trap
e = random_connected(500, 2000)                                                # 05 N in another component
e = [(u, v, w) for u, v, w in e if u != 500 and v != 500] + [(499, 500, 7)]
e = [(u, v, w) for u, v, w in e if not (499 in (u, v) and 500 not in (u, v))]
tests.append(case(500, e))
n = 4000                                                                       # 06 a long chain, sum > 2^31
tests.append(case(n, [(i, i + 1, W - rng.randint(0, 9)) for i in range(1, n)]))
n = 15000                                                                      # 07 random sparse graph
tests.append(case(n, relabel(n, random_connected(n, 35000))))
side = 100                                                                     # 08 grid with a few slow links
grid = []
for r in range(side):
    for c in range(side):
        v = r * side + c + 1
        if c + 1 < side:
            grid.append((v, v + 1, rng.choice([rng.randint(1, 100), rng.randint(1, 100), W])))
        if r + 1 < side:
            grid.append((v, v + side, rng.choice([rng.randint(1, 100), rng.randint(1, 100), W])))
tests.append(case(side * side, grid))
n = 5000                                                                       # 09 random graph + trap, slow links elsewhere
e = random_connected(n - 2, 10000, 10**5, W)
e = [(u, v, w) for u, v, w in e if v != 1 and u != 1]
tests.append(case(n, relabel(n, e + [(1, rng.randint(2, n - 2), 10**5)] + trap(n, n - 2))))
n = 300                                                                        # 10 dense, parallel links
tests.append(case(n, [(u, v, rng.randint(1, W)) for u, v in
                      (rng.sample(range(1, n + 1), 2) for _ in range(8000))]))


def write(folder, items):
    d = os.path.join(HERE, folder)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for i, text in enumerate(items, 1):
        name = os.path.join(d, f"{i:02d}")
        with open(name + ".in", "w") as f:
            f.write(text)
        out = subprocess.run([sys.executable, REF], input=text.encode(), capture_output=True, check=True).stdout
        with open(name + ".out", "wb") as f:
            f.write(out)


write("samples", samples)
write("tests", tests)
