#!/usr/bin/python3
"""etl-worker: loads the day's order batch, aggregates per customer, writes the report."""
import hashlib, json, os, sys, time

INBOX = "/var/lib/etl/inbox/orders.csv"
OUT = "/var/lib/etl/out/report.json"

size = os.path.getsize(INBOX)
with open(INBOX) as f:
    total_rows = sum(1 for _ in f) - 1
print(f"batch {INBOX}: {total_rows} rows, {size // 1024} KiB; "
      f"expected peak memory ~{total_rows * 400 // 1048576 + 20} MB", flush=True)

rows = []
with open(INBOX) as f:
    next(f)
    for i, line in enumerate(f, 1):
        oid, customer, sku, cents = line.rstrip("\n").split(",")
        rows.append({"order": int(oid), "customer": customer, "sku": sku, "cents": int(cents)})
        if i % 25000 == 0:
            print(f"loaded {i}/{total_rows} rows", flush=True)
            time.sleep(0.15)

per = {}
for r in rows:
    per[r["customer"]] = per.get(r["customer"], 0) + r["cents"]
digest = hashlib.sha256("".join(f"{c}={per[c]}\n" for c in sorted(per)).encode()).hexdigest()
tmp = OUT + ".tmp"
with open(tmp, "w") as f:
    json.dump({"rows": len(rows), "customers": len(per), "total_cents": sum(per.values()),
               "digest": digest, "per_customer": per}, f)
os.replace(tmp, OUT)
print(f"report written: {len(rows)} rows, {len(per)} customers, digest {digest[:12]}", flush=True)
