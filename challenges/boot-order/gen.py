#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution).
The .out files hold one valid answer; checker.py accepts any valid order."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-kahn.py")
rng = random.Random(1969)
KINDS = ["service", "service", "service", "mount", "socket", "target", "timer", "path"]


def unit_names(k):
    out, seen = [], set()
    while len(out) < k:
        nm = "%s%d.%s" % (rng.choice(["app", "db", "net", "log", "var-lib", "user@", "cron", "dns"]),
                          rng.randint(1, 99999), rng.choice(KINDS))
        if nm not in seen:
            seen.add(nm)
            out.append(nm)
    return out


def render(names, deps, shuffle=True):
    order = list(range(len(names)))
    if shuffle:
        rng.shuffle(order)
    lines = []
    for u in order:
        d = [names[v] for v in deps[u]]
        rng.shuffle(d)
        lines.append((names[u] + ": " + " ".join(d)).rstrip() + "\n")
    return "%d\n" % len(names) + "".join(lines)


def random_dag(k, m):
    names = unit_names(k)
    perm = list(range(k))
    rng.shuffle(perm)           # perm[i] may only depend on perm[j], j < i
    deps = [set() for _ in range(k)]
    while sum(map(len, deps)) < m:
        i, j = sorted(rng.sample(range(k), 2))
        deps[perm[j]].add(perm[i])
    return names, [sorted(d) for d in deps]


REAL = """\
local-fs-pre.target:
local-fs.target: local-fs-pre.target var.mount var-lib.mount boot.mount
var.mount: local-fs-pre.target
var-lib.mount: var.mount
boot.mount: local-fs-pre.target
systemd-journald.socket:
systemd-journald.service: systemd-journald.socket
systemd-tmpfiles-setup.service: local-fs.target systemd-journald.service
sysinit.target: local-fs.target systemd-tmpfiles-setup.service systemd-journald.service
network-pre.target:
systemd-networkd.service: network-pre.target sysinit.target
network.target: systemd-networkd.service
systemd-resolved.service: network.target
network-online.target: network.target systemd-resolved.service
sockets.target: sysinit.target systemd-journald.socket
dbus.socket: sysinit.target
dbus.service: dbus.socket
basic.target: sysinit.target sockets.target
sshd.service: network.target basic.target
postgresql.service: network.target var-lib.mount basic.target
redis.service: network.target basic.target
app@web.service: network-online.target postgresql.service redis.service
app@worker.service: network-online.target postgresql.service redis.service
nginx.service: network-online.target app@web.service
logrotate.timer: sysinit.target
logrotate.service: logrotate.timer var.mount
multi-user.target: basic.target sshd.service nginx.service app@worker.service dbus.service
"""


def real_case(extra=None):
    lines = REAL.splitlines()
    if extra:
        lines = [l + (" " + extra[l.split(":")[0]] if l.split(":")[0] in extra else "") for l in lines]
    rng.shuffle(lines)
    return "%d\n" % len(lines) + "".join(l.rstrip() + "\n" for l in lines)


samples = [
    '6\nnginx.service: network-online.target var-www.mount\nnetwork-online.target: network.target\nnetwork.target:\nvar-www.mount: local-fs.target\nlocal-fs.target:\npostgresql.service: network.target local-fs.target\n',
]

tests = []
tests.append("1\nemergency.target:\n")                                            # 01
tests.append("3\nfoo.service: foo.service\nbar.service:\nbaz.service: bar.service\n")  # 02 self-dependency
tests.append(real_case())                                                          # 03 a realistic boot
tests.append(real_case({"var.mount": "systemd-tmpfiles-setup.service"}))           # 04 realistic cycle
k = 5000                                                                           # 05 one chain 5000 deep
names = unit_names(k)
tests.append(render(names, [[i - 1] if i else [] for i in range(k)]))
tests.append(render(*random_dag(4000, 12000)))                                    # 06 random DAG
names, deps = random_dag(3000, 8000)                                              # 07 long cycle hidden in a DAG
chain = list(range(len(names)))
rng.shuffle(chain)
chain = chain[:1500]
deps = [[] for _ in names]
for a, b in zip(chain, chain[1:]):
    deps[b].append(a)
deps[chain[0]].append(chain[-1])
tests.append(render(names, deps))
k = 3000                                                                           # 08 one unit needs all the others
names = unit_names(k)
tests.append(render(names, [list(range(1, k)) if i == 0 else [] for i in range(k)]))
parts = []                                                                         # 09 many small components
names = unit_names(3000)
deps = [[] for _ in names]
for base in range(0, 3000, 6):
    for i in range(1, 6):
        if rng.random() < 0.8:
            deps[base + i].append(base + rng.randrange(i))
tests.append(render(names, deps))


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
