#!/usr/bin/env python3
"""Deterministic generator: rewrites samples/ and tests/ (inputs, then outputs from the reference solution)."""
import os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "solutions", "ac-top5xx.py")
rng = random.Random(502)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PATHS = ["/api/v1/orders", "/api/v1/orders/%d", "/api/v1/users/%d", "/api/v1/cart", "/healthz",
         "/static/app.%d.js", "/static/logo.svg", "/login", "/logout", "/api/v2/search?q=%d",
         "/metrics", "/favicon.ico", "/api/v1/payments", "/api/v1/reports/%d.csv"]
METHODS = ["GET"] * 8 + ["POST"] * 3 + ["PUT", "DELETE", "HEAD", "OPTIONS"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
          "curl/8.4.0", "kube-probe/1.28", "Prometheus/2.47.2", "python-requests/2.31.0",
          "Go-http-client/1.1", "okhttp/4.12.0", "-"]
WEIRD = ['-', '\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03', 'GET /export?range=last 7 days HTTP/1.1',
         'POST /api/v1/orders?note=rush order please HTTP/1.1', 'GET / HTTP/1.1 500', 'SSH-2.0-Go',
         'GET /search?q=\\x22disk full\\x22 HTTP/1.1', 'PROPFIND / HTTP/1.1']


def ip_pool(k, v6_share=0.15):
    pool = set()
    while len(pool) < k:
        r = rng.random()
        if r < v6_share:
            pool.add("2001:db8:%x::%x" % (rng.randint(0, 0xffff), rng.randint(1, 0xffff)))
        elif r < 0.5:
            pool.add("10.%d.%d.%d" % (rng.randint(0, 3), rng.randint(0, 20), rng.randint(1, 254)))
        elif r < 0.7:
            pool.add("192.168.%d.%d" % (rng.randint(0, 9), rng.randint(1, 254)))
        else:
            pool.add("%s.%d" % (rng.choice(["203.0.113", "198.51.100", "192.0.2"]), rng.randint(1, 254)))
    return sorted(pool)


class Clock:
    def __init__(self):
        self.t = rng.randint(0, 10**6)

    def stamp(self):
        self.t += rng.randint(0, 3)
        s = self.t
        day, s = 1 + (s // 86400) % 28, s % 86400
        return "%02d/%s/2024:%02d:%02d:%02d +0000" % (day, MONTHS[(self.t // (86400 * 28)) % 12], s // 3600, s // 60 % 60, s % 60)


def request():
    path = rng.choice(PATHS)
    if "%d" in path:
        path = path % rng.randint(1, 99999)
    return "%s %s HTTP/%s" % (rng.choice(METHODS), path, rng.choice(["1.1", "1.1", "2.0", "1.0"]))


def line(clock, ip, status, req=None, body=None, user="-", referer=None):
    if req is None:
        req = request()
    if body is None:
        body = rng.choice([0, 0, 157, 500, 502, 503, rng.randint(0, 90000)])
    if referer is None:
        referer = rng.choice(["-", "-", "-", "https://shop.example/cart", "https://shop.example/?err= 500 "])
    return '%s - %s [%s] "%s" %d %d "%s" "%s"\n' % (ip, user, clock.stamp(), req, status, body, referer,
                                                    rng.choice(AGENTS))


def normal_status():
    return rng.choice([200] * 20 + [201, 204, 301, 302, 304, 400, 401, 403, 404, 404, 429, 499])


def random_log(n, ips, weights, p5xx):
    clock = Clock()
    out = []
    for _ in range(n):
        ip = rng.choices(ips, weights)[0]
        status = rng.choice([500, 502, 503, 504, 599]) if rng.random() < p5xx else normal_status()
        req = rng.choice(WEIRD) if rng.random() < 0.03 else None
        user = rng.choice(["alice", "deploy", "-"]) if rng.random() < 0.05 else "-"
        out.append(line(clock, ip, status, req=req, user=user))
    return "".join(out)


def scripted(events):
    """events: list of (ip, status[, request]); noise-free but with realistic fields."""
    clock = Clock()
    return "".join(line(clock, e[0], e[1], req=(e[2] if len(e) > 2 else None)) for e in events)


samples = [
    '203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /api/v1/orders HTTP/1.1" 502 157 "-" "curl/8.4.0"\n'
    '10.1.4.20 - - [10/Oct/2023:13:55:36 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.28"\n'
    '10.1.4.20 - alice [10/Oct/2023:13:55:37 +0000] "POST /api/v1/cart HTTP/1.1" 503 0 "-" "Mozilla/5.0"\n'
    '198.51.100.23 - - [10/Oct/2023:13:55:38 +0000] "GET /static/logo.svg HTTP/2.0" 200 500 "-" "Mozilla/5.0"\n'
    '203.0.113.7 - - [10/Oct/2023:13:55:39 +0000] "GET /api/v1/orders HTTP/1.1" 502 157 "-" "curl/8.4.0"\n'
    '198.51.100.23 - - [10/Oct/2023:13:55:40 +0000] "GET /api/v1/orders/42 HTTP/1.1" 499 0 "-" "Mozilla/5.0"\n'
    '10.1.4.20 - - [10/Oct/2023:13:55:41 +0000] "GET /missing HTTP/1.1" 404 153 "-" "curl/8.4.0"\n',
]

tests = []
# 01 one line, one 5xx
tests.append(scripted([("192.0.2.1", 500)]))
# 02 no 5xx at all (404s, 499s, bodies of 500 bytes)
clock = Clock()
tests.append("".join(line(clock, rng.choice(["10.0.0.1", "10.0.0.2", "2001:db8::1"]), rng.choice([200, 404, 499, 301]),
                          body=rng.choice([500, 503, 0])) for _ in range(40)))
# 03 tie: 10.0.0.9 is seen first and is numerically smaller, 10.0.0.12 wins byte-wise
ev = [("10.0.0.9", 502), ("10.0.0.9", 503), ("10.0.0.12", 200), ("10.0.0.9", 500), ("10.0.0.12", 504),
      ("10.0.0.12", 502), ("192.168.1.5", 502), ("10.0.0.12", 500), ("10.0.0.9", 404)]
tests.append(scripted(ev))
# 04 the 5xx-looking numbers are bodies and referers; the real winner has fewer lines
clock = Clock()
t = [line(clock, "203.0.113.50", 200, body=rng.choice([500, 502, 503]), referer="https://shop.example/?err= 500 ")
     for _ in range(30)]
t += [line(clock, "198.51.100.77", 503) for _ in range(3)]
t += [line(clock, "203.0.113.50", 504)]
rng.shuffle(t)
tests.append("".join(t))
# 05 5xx on malformed / space-containing requests: the status is not always field 9
ev = [("10.2.3.4", 504, "GET /export?range=last 7 days HTTP/1.1")] * 5
ev += [("10.2.3.4", 400, "-"), ("10.2.3.5", 400, WEIRD[1])]
ev += [("10.2.3.5", 502, "GET /api/v1/orders HTTP/1.1")] * 3
ev += [("10.2.3.6", 500, "-")] * 2 + [("10.2.3.6", 200, "GET / HTTP/1.1 500")] * 4
rng.shuffle(ev)
tests.append(scripted(ev))
# 06 an IPv6 client wins; IPv4 runner-up; tie-break across families ('2' < '3')
ev = [("2001:db8:42::17", 503)] * 6 + [("203.0.113.9", 503)] * 6 + [("2001:db8:42::17", 200)] * 10
ev += [("2001:db8:ff::1", 500)] * 5
rng.shuffle(ev)
tests.append(scripted(ev))
# 07 medium random log
ips = ip_pool(60)
tests.append(random_log(2000, ips, [rng.randint(1, 30) for _ in ips], 0.05))
# 08 big random log, one heavy hitter among many clients
ips = ip_pool(400)
w = [rng.randint(1, 10) for _ in ips]
w[rng.randrange(len(ips))] = 200
tests.append(random_log(2500, ips, w, 0.08))
# 09 big random log, crafted tie at the top between two clients that appear in opposite orders
ips = ip_pool(150)
body = random_log(2000, ips, [1] * len(ips), 0.03)
counts = {}
for ln in body.splitlines():
    parts = ln.split('"')
    if parts[2].split()[0].startswith("5"):
        ip = parts[0].split()[0]
        counts[ip] = counts.get(ip, 0) + 1
top = max(counts.values()) + 5
a, b = "192.168.9.200", "192.168.10.3"   # numerically a < b, byte-wise b < a
clock = Clock()
extra = [line(clock, a, rng.choice([500, 503])) for _ in range(top)] + [line(clock, b, 502) for _ in range(top)]
lines = body.splitlines(keepends=True)
lines = [l for l in lines if not l.startswith(a + " ") and not l.startswith(b + " ")]
tests.append("".join(extra[:top]) + "".join(lines) + "".join(extra[top:]))


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
