#!/usr/bin/python3
"""ledger-migrate: apply the pending schema migrations in /opt/ledger/migrations, in one
transaction. Safe to run again: it only applies versions newer than meta.schema_version."""
import glob, os, re, sqlite3, sys, time

DB = "/var/lib/ledger/ledger.db"
db = sqlite3.connect(DB, timeout=3, isolation_level=None)
current = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
todo = []
for path in sorted(glob.glob("/opt/ledger/migrations/*.sql")):
    version = int(os.path.basename(path).split("_")[0])
    if version > current:
        todo.append((version, path))
if not todo:
    print(f"schema is at version {current}, nothing to do", flush=True)
    sys.exit(0)

print(f"schema is at version {current}, applying {len(todo)} migration(s)", flush=True)
db.execute("BEGIN IMMEDIATE")          # take the write lock for the whole run
for version, path in todo:
    sql = open(path).read()
    print(f"applying {os.path.basename(path)}", flush=True)
    for stmt in [s for s in re.sub(r"--[^\n]*", "", sql).split(";") if s.strip()]:
        db.execute(stmt)
    for table, column, value in re.findall(r"-- BACKFILL (\w+) (\w+) '(\w+)'", sql):
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table} WHERE {column} IS NULL")]
        print(f"backfilling {table}.{column} for {len(ids)} rows", flush=True)
        for i in range(0, len(ids), 2000):
            chunk = ids[i:i + 2000]
            db.execute(f"UPDATE {table} SET {column} = ? WHERE id IN ({','.join('?' * len(chunk))})",
                       [value] + chunk)
            time.sleep(0.25)       # be gentle with the disk (the production db is large)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
db.execute("COMMIT")
print(f"schema is now at version {todo[-1][0]}", flush=True)
