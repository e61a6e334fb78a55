#!/bin/bash
# Writes this session's capture of the edge segment with randomised roles (which host
# scans, which are the decoys) and keeps only a salted sha256 of the scanner's address.
set -u
STATE=/var/lib/breakfix-state
install -d -m 700 "$STATE"
install -d -m 750 -o root -g adm /var/log/capture
PCAP=/var/log/capture/edge-2024-06-01.pcap
ANS=$(mktemp "$STATE/ans.XXXXXX")
python3 - "$PCAP" "$ANS" <<'EOF'
import logging, random, socket, struct, sys
logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.all import Ether, IP, UDP, DNS, DNSQR, DNSRR
from scapy.utils import RawPcapWriter

out, ansfile = sys.argv[1], sys.argv[2]
R = random.SystemRandom()
T0 = 1717250400.0            # 2024-06-01 14:00:00 UTC
T1 = T0 + 3600
pkts = []                    # (time, bytes)

def mac(ip):
    o = [int(x) for x in ip.split(".")]
    return "52:54:00:%02x:%02x:%02x" % (o[1], o[2], o[3])

def emit(t, src, dst, l4):
    """A packet built by scapy (UDP/DNS)."""
    p = Ether(src=mac(src), dst=mac(dst)) / IP(src=src, dst=dst, ttl=64, id=R.randint(1, 65535)) / l4
    pkts.append((t, bytes(p)))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

FLAGS = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}

def temit(t, src, dst, sport, dport, flags, seq=0, ack=0, window=64240, payload=b"", mss=None):
    """A TCP packet, packed by hand: scapy is too slow for tens of thousands of them."""
    opts = struct.pack("!BBH", 2, 4, mss) if mss else b""
    s_, d_ = socket.inet_aton(src), socket.inet_aton(dst)
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      ((20 + len(opts)) // 4) << 4, sum(FLAGS[c] for c in flags), window, 0, 0) + opts + payload
    c = csum(s_ + d_ + struct.pack("!BBH", 0, 6, len(seg)) + seg)
    seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), R.randint(1, 65535), 0x4000, 64, 6, 0, s_, d_)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = bytes.fromhex(mac(dst).replace(":", "")) + bytes.fromhex(mac(src).replace(":", "")) + b"\x08\x00"
    pkts.append((t, eth + ip + seg))

def tcp_session(t, c, s, dport, req=b"", resp_len=0, close="FIN"):
    """A complete TCP conversation from client c to server s."""
    sp = R.randint(32768, 60999); ci = R.randint(1, 2**31); si = R.randint(1, 2**31)
    rtt = R.uniform(0.0002, 0.002)
    temit(t, c, s, sp, dport, "S", seq=ci, window=64240, mss=1460)
    temit(t + rtt, s, c, dport, sp, "SA", seq=si, ack=ci + 1, window=65160, mss=1460)
    t += 2 * rtt
    temit(t, c, s, sp, dport, "A", seq=ci + 1, ack=si + 1)
    ci += 1; si += 1
    if req:
        temit(t + 0.0001, c, s, sp, dport, "PA", seq=ci, ack=si, payload=req)
        ci += len(req); t += rtt
        sent = 0
        while sent < resp_len:
            n = min(1448, resp_len - sent)
            temit(t, s, c, dport, sp, "PA" if sent + n >= resp_len else "A", seq=si, ack=ci, payload=b"x" * n)
            si += n; sent += n; t += 0.00005
        temit(t + rtt / 2, c, s, sp, dport, "A", seq=ci, ack=si)
        t += rtt
    if close == "RST":
        temit(t + 0.0001, c, s, sp, dport, "RA", seq=ci, ack=si)
    else:
        temit(t + 0.0001, c, s, sp, dport, "FA", seq=ci, ack=si)
        temit(t + rtt, s, c, dport, sp, "FA", seq=si, ack=ci + 1)
        temit(t + 1.5 * rtt, c, s, sp, dport, "A", seq=ci + 1, ack=si + 1)

def dns(t, c, name, server="10.20.0.2"):
    sp = R.randint(32768, 60999); qid = R.randint(0, 65535)
    emit(t, c, server, UDP(sport=sp, dport=53) / DNS(id=qid, rd=1, qd=DNSQR(qname=name)))
    emit(t + R.uniform(0.0003, 0.004), server, c, UDP(sport=53, dport=sp) /
         DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=name),
             an=DNSRR(rrname=name, ttl=300, rdata="10.20.0.%d" % R.choice([10, 11, 20, 5]))))

servers = {"10.20.0.10": [80, 443], "10.20.0.11": [80, 443], "10.20.0.20": [5432, 22],
           "10.20.0.5": [22], "10.20.0.30": [22, 6379]}
names = ["web01.edge.lan", "web02.edge.lan", "db01.edge.lan", "bastion.edge.lan",
         "cache01.edge.lan", "deb.debian.org", "api.github.com", "time.cloudflare.com"]
pool = ["10.20.0.%d" % i for i in R.sample(range(101, 160), 12)]
scanner, monitor, retrier, backup, chatty = pool[:5]
ordinary = pool[5:]

# ordinary clients: DNS lookups, web requests, some ssh to the bastion
for c in ordinary + [scanner]:
    for _ in range(R.randint(25, 45)):
        t = R.uniform(T0, T1 - 5)
        dns(t, c, R.choice(names))
        web = R.choice(["10.20.0.10", "10.20.0.11"])
        tcp_session(t + 0.01, c, web, R.choice([80, 443]),
                    b"GET /api/v1/items?page=%d HTTP/1.1\r\nHost: web01.edge.lan\r\n\r\n" % R.randint(1, 40),
                    R.randint(300, 4000))
    for _ in range(R.randint(0, 3)):
        tcp_session(R.uniform(T0, T1 - 60), c, "10.20.0.5", 22, b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", R.randint(800, 4000))

# web servers talk to the database and the cache
for w in ["10.20.0.10", "10.20.0.11"]:
    for _ in range(R.randint(90, 130)):
        tcp_session(R.uniform(T0, T1 - 5), w, "10.20.0.20", 5432, b"Q\x00\x00\x00\x2aSELECT ...", R.randint(200, 3000))
    for _ in range(R.randint(40, 70)):
        tcp_session(R.uniform(T0, T1 - 5), w, "10.20.0.30", 6379, b"*2\r\n$3\r\nGET\r\n", R.randint(20, 400), close="RST")

# decoy 1: the load balancer's TCP health checks, every 3 s: the most SYNs of all
for i in range(1200):
    srv = ["10.20.0.10", "10.20.0.11"][i % 2]
    tcp_session(T0 + i * 3 + R.uniform(0, 0.05), monitor, srv, 80, close="RST")

# decoy 2: an app with a wrong database port, retrying: the most RSTs received
for i in range(R.randint(1300, 1500)):
    t = T0 + R.uniform(0, 3590)
    sp = R.randint(32768, 60999); seq = R.randint(1, 2**31)
    temit(t, retrier, "10.20.0.20", sp, 5433, "S", seq=seq, window=64240, mss=1460)
    temit(t + 0.0003, "10.20.0.20", retrier, 5433, sp, "RA", seq=0, ack=seq + 1)

# decoy 3: a backup over ssh: the most bytes
tcp_session(T0 + R.uniform(300, 900), backup, "10.20.0.5", 22, b"SSH-2.0-OpenSSH_9.2p1\r\n", R.randint(1000000, 1500000))

# decoy 4: a chatty resolver client
for _ in range(R.randint(400, 600)):
    dns(R.uniform(T0, T1 - 1), chatty, R.choice(names + ["ntp.ubuntu.com", "updates.example.net"]))

# the scanner: SYN scan of one server, random port order, half-open (RST after SYN/ACK)
target = R.choice(list(servers))
ports = R.sample(range(1, 10000), R.randint(700, 900))
for p in servers[target]:
    if p not in ports:
        ports[R.randrange(len(ports))] = p
t = T0 + R.uniform(600, 2400)
sp = R.randint(40000, 60000)
for p in ports:
    seq = R.randint(1, 2**31)
    temit(t, scanner, target, sp, p, "S", seq=seq, window=1024, mss=1460)
    if p in servers[target]:
        temit(t + 0.0004, target, scanner, p, sp, "SA", seq=R.randint(1, 2**31), ack=seq + 1)
        temit(t + 0.0006, scanner, target, sp, p, "R", seq=seq + 1)
    else:
        temit(t + 0.0003, target, scanner, p, sp, "RA", seq=0, ack=seq + 1)
    t += R.uniform(0.002, 0.06)

pkts.sort(key=lambda x: x[0])
w = RawPcapWriter(out, linktype=1, sync=False)
w.write_header(None)
for ts, b in pkts:
    sec = int(ts); usec = int(round((ts - sec) * 1e6))
    if usec >= 1000000:
        sec += 1; usec -= 1000000
    w.write_packet(b, sec=sec, usec=usec)
w.close()
open(ansfile, "w").write(scanner + "\n")
EOF
answer=$(tr -d '[:space:]' < "$ANS")
rm -f "$ANS"
salt=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s %s\n' "$salt" "$(printf '%s%s' "$salt" "$answer" | sha256sum | cut -d' ' -f1)" > "$STATE/pcap-port-scan"
chmod 600 "$STATE/pcap-port-scan"
chown root:adm "$PCAP" && chmod 640 "$PCAP"
touch -d '2024-06-01 15:00:07 UTC' "$PCAP"
rm -f /home/admin/scanner.txt
exit 0
