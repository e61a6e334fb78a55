#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-sum.py")
rng = random.Random(20240601)
BIG = 10**12


def fmt(values, per_line=None):
    if per_line is None:
        return " ".join(map(str, values)) + "\n"
    lines = [" ".join(map(str, values[i:i + per_line])) for i in range(0, len(values), per_line)]
    return "\n".join(lines) + "\n"


def case(values, per_line=None):
    return f"{len(values)}\n" + fmt(values, per_line)


def mixed(n):
    # magnitudes spread over 1 .. 10^12, so a 32-bit accumulator overflows
    out = []
    for _ in range(n):
        digits = rng.choice([1, 2, 3, 4, 5, 6, 13])
        v = rng.randint(0, min(BIG, 10**digits - 1))
        out.append(v if rng.random() < 0.5 else -v)
    return out


samples = [
    "5\n1 2 3 4 5\n",
    "4\n7 -12 0 -3\n",
]
tests = [
    case([42]),                                                     # 01 one value
    case([-1000000000000]),                                         # 02 one extreme negative value
    case([rng.randint(-1000, 1000) for _ in range(100)], 10),       # 03 small, several lines
    case([BIG] * 3 + [-BIG] * 2),                                   # 04 overflows 32 bits
    case([rng.randint(-2**31, 2**31 - 1) for _ in range(5000)]),    # 05 32-bit values, 64-bit sum
    case([rng.randint(-BIG, BIG) for _ in range(10000)], 1),        # 06 one per line
    case([BIG] * 20000),                                            # 07 2*10^16
    case([0] * 100000 + [-1]),                                      # 08 many zeros
    case([rng.randint(0, 99) for _ in range(50000)]),               # 09 small values
    case(mixed(200000), 1000),                                      # 10 2*10^5 values, mixed magnitudes
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
