#!/bin/bash
# A fresh ledger at schema version 6 (the 2.7 upgrade needs 7), with random entries whose
# count, sum and id are kept for the check. Then the leftover from last week's incident:
# a hand-opened sqlite3 session (as ledger) that still holds an exclusive lock.
set -u
install -d -m 700 /root/.breakfix
DB=/var/lib/ledger/ledger.db
rm -f $DB $DB-journal
lid=L-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
n=$(( 12000 + $(od -An -N2 -tu2 /dev/urandom) % 6000 ))
setpriv --reuid=ledger --regid=ledger --init-groups python3 - "$DB" "$lid" "$n" <<'PY'
import random, sqlite3, sys, time
db, lid, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db)
c.executescript("""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance_cents INTEGER NOT NULL DEFAULT 0);
CREATE TABLE entries (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
                      amount_cents INTEGER NOT NULL, ts INTEGER NOT NULL);
ALTER TABLE accounts ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
""")
c.execute("INSERT INTO meta VALUES ('schema_version', '6')")
c.execute("INSERT INTO meta VALUES ('ledger_id', ?)", (lid,))
c.executemany("INSERT INTO accounts (id, name) VALUES (?, ?)", [(i, f"acct-{i:04d}") for i in range(1, 301)])
now = int(time.time())
c.executemany("INSERT INTO entries (account_id, amount_cents, ts) VALUES (?, ?, ?)",
              [(random.randint(1, 300), random.randint(-50000, 90000), now - random.randint(0, 86400 * 90))
               for _ in range(n)])
c.commit()
total = c.execute("SELECT sum(amount_cents) FROM entries").fetchone()[0]
print(f"{lid} {n} {total}")
PY
chmod 640 $DB
set -- $(sqlite3 "file:$DB?mode=ro" "SELECT (SELECT value FROM meta WHERE key='ledger_id'), count(*), sum(amount_cents) FROM entries" | tr '|' ' ')
echo "$1 $2 $3" > /root/.breakfix/ledger-expected && chmod 600 /root/.breakfix/ledger-expected
# the forgotten repair session: sqlite3 reading from a FIFO it holds open itself
fifo=/var/lib/ledger/.repair-session
rm -f $fifo; mkfifo -m 600 $fifo; chown ledger:ledger $fifo
setsid setpriv --reuid=ledger --regid=ledger --init-groups sh -c "cd /var/lib/ledger && exec sqlite3 $DB 0<>$fifo >/dev/null 2>&1" </dev/null >/dev/null 2>&1 &
sleep 0.5
printf '.timeout 1000\nBEGIN EXCLUSIVE;\n' > $fifo
sleep 0.5
# the reboot after the incident: ledger-api did not come up
systemctl start ledger-api 2>/dev/null
exit 0
