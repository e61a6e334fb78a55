#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-mode.py")
rng = random.Random(755)
TYPES = "-dlcbps"


def case(rows):
    return f"{len(rows)}\n" + "".join(f"{k} {m:o}\n" for k, m in rows)


samples = [case([("-", 0o644), ("d", 0o755), ("d", 0o1777), ("-", 0o4755), ("d", 0o2750)])]
common = [("-", 0o644), ("-", 0o600), ("-", 0o755), ("d", 0o700), ("l", 0o777), ("-", 0o400),
          ("d", 0o775), ("-", 0o664), ("c", 0o620), ("b", 0o660), ("p", 0o644), ("s", 0o755)]
tests = [
    case([("-", 0)]),                                                   # 01 no permissions at all
    case(common),                                                       # 02 everyday modes
    case([("-", 0o4644), ("d", 0o1770), ("-", 0o2644), ("d", 0o3750)]),  # 03 capital S and T
    case([("-", 0o7000), ("d", 0o7777), ("-", 0o6711), ("d", 0o1000)]),  # 04 all special bits
    case([(t, m) for m in range(0o10000) for t in "-d"]),                # 05 every mode, files and dirs
    case([(rng.choice(TYPES), rng.randrange(0o10000)) for _ in range(10000)]),  # 06 random
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
