#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-stats.py")
rng = random.Random(10**9)


def case(values):
    return f"{len(values)}\n" + " ".join(map(str, values)) + "\n"


samples = [case([2, 4, 4, 4, 5, 5, 7, 9]), case([1000000000, 1000000000, 1000000000])]
tests = [
    case([0]),                                                                   # 01
    case([1000000000]),                                                          # 02
    case([rng.randint(0, 100) for _ in range(20)]),                              # 03 small
    case([10**9] * 1000),                                                        # 04 constant, sigma 0
    case([10**9 + rng.randint(-5, 5) for _ in range(5000)]),                     # 05 jitter of a few ns
    case([999999990 + rng.randint(0, 20) for _ in range(15000)]),                # 06 jitter, bigger
    case([rng.randint(0, 10**9) for _ in range(15000)]),                         # 07 uniform
    case([rng.choice([rng.randint(100, 400), 10**9]) for _ in range(10000)]),    # 08 bimodal
    case([0] * 49999 + [10**9]),                                                 # 09 one outlier
    case([10**9 - (i % 3) for i in range(20000)]),                               # 10 periodic pattern
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
