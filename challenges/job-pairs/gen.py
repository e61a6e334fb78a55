#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-two-pointers.py")
rng = random.Random(256)


def case(b, ms):
    return f"{len(ms)} {b}\n" + " ".join(map(str, ms)) + "\n"


samples = [case(10, [3, 5, 7, 2, 8]), case(4, [2, 2, 2])]
tests = [
    case(5, [1]),                                                             # 01 a single job
    case(1000, [400, 600]),                                                   # 02 exactly B
    case(1000, [400, 601]),                                                   # 03 one over
    case(rng.randint(1, 2 * 10**6), [rng.randint(1, 10**6) for _ in range(1000)]),   # 04 random, small
    case(2000, [1000] * 2000),                                                # 05 all equal, all fit
    case(1500, [rng.randint(751, 10**6) for _ in range(2000)]),               # 06 nothing fits
    case(1000, [rng.randint(1, 999) for _ in range(200000)]),                 # 07 big random, N = 2*10^5
    case(2, [1] * 100000),                                                    # 08 big, ~5*10^9 pairs
    case(100, [rng.randint(1, 99) for _ in range(100000)]),                   # 09 big, many duplicates
    case(10**6 + 5, [rng.choice([rng.randint(1, 9), 10**6]) for _ in range(60000)]),  # 10 big, two clusters
]


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
