#!/usr/bin/env python3
"""The database's own floor for Orian's ingest on SQLite: the same rows in the same tables, with
Orian's own schema (sql/sqlite/*.sql: the same tables, constraints and indexes) and the same settings
(WAL, synchronous FULL, foreign keys on, the same cache), in transactions of the same size, written
by the cheapest shape SQLite has from a program: one prepared statement per table per transaction,
stepped over the rows in C (executemany), with nothing else running in the process.

    benchmarks/load/floor_sqlite.py [seconds=20] [events_per_batch=32] [per-event rows ...]

The rows per event default to what Orian stores per event of run.sh's mix (run.sh sqlite prints
them: "rows per event"); pass them as transactions=0.75 updates=0.13 accounts=0.79 journal=1.19
outbox=1.55 body=684 payload=425 to match another run. Prints events/s and the machine's CPU per
event, as run.sh does for Orian.
"""
import glob
import os
import random
import sqlite3
import sys
import tempfile
import time

seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 32
mix = {"transactions": 0.75, "updates": 0.13, "accounts": 0.79, "journal": 1.19, "outbox": 1.55, "body": 684, "payload": 425}
for arg in sys.argv[3:]:
    key, value = arg.split("=")
    mix[key] = float(value)

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
folder = tempfile.mkdtemp(prefix="orian-floor-")
db = sqlite3.connect(os.path.join(folder, "floor.db"), isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
for pragma in ("busy_timeout = 5000", "synchronous = FULL", "foreign_keys = ON", "cache_size = -32768", "mmap_size = 268435456", "temp_store = MEMORY"):
    db.execute("PRAGMA " + pragma)
for script in sorted(glob.glob(os.path.join(root, "sql", "sqlite", "*.sql"))):
    db.executescript(open(script).read())

ACCOUNTS = 4000
now = "2026-12-06 12:00:00.0000000+00:00"
db.execute("BEGIN")
db.executemany("INSERT INTO accounts (account_no, currency, exponent, posted, held, created_at, updated_at) VALUES (?, 'GBP', 2, 0, 0, ?, ?)",
               [(f"L{a}", now, now) for a in range(ACCOUNTS)])
db.execute("COMMIT")

body = "x" * int(mix["body"])
payload = "x" * int(mix["payload"])
n_tx = round(batch * mix["transactions"])
n_upd = round(batch * mix["updates"])
n_acc = round(batch * mix["accounts"])
n_journal = round(batch * mix["journal"])
n_outbox = round(batch * mix["outbox"])

INSERT_TX = ("INSERT INTO transactions (id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, "
             "amount, currency, exponent, effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, "
             "effect_counter_is_account, flags, secure_auth_result, created_at, updated_at) "
             "VALUES (?, 1, ?, 'k1', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', ?, ?, 'GBP', 2, ?, 'GBP', 2, ?, 0, 'Load Merchant', 0, 0, NULL, ?, ?) "
             "ON CONFLICT (id) DO NOTHING")
UPDATE_TX = "UPDATE transactions SET version = version + 1, status = 'COMPLETE', effect_held = 0, effect_posted = -100, updated_at = ? WHERE id = ? AND version = 1"
UPDATE_ACC = "UPDATE accounts SET posted = posted + 1, held = held + 1, updated_at = ? WHERE account_no = ? AND currency = 'GBP'"
INSERT_VERSION = ("INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, payload_key, redacted_hash, flags, raw_json, received_at) "
                  "VALUES (?, 1, 'applied', ?, 'k1', ?, 0, ?, ?)")
INSERT_JOURNAL = "INSERT INTO journal (transaction_id, version, account_no, kind, amount, currency, exponent, created_at) VALUES (?, 1, ?, 'hold', ?, 'GBP', 2, ?)"
INSERT_OUTBOX = ("INSERT INTO outbox_events (event_id, event_type, transaction_id, version, account_no, payload, created_at, trace_parent) "
                 "VALUES (?, 'transaction.updated', ?, 1, 'L1', ?, ?, NULL) ON CONFLICT (event_id) DO NOTHING")


def busy():
    with open("/proc/stat") as stat:
        fields = stat.readline().split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7))


def run(duration):
    batches, previous = 0, []
    started = time.monotonic()
    while time.monotonic() - started < duration:
        b = random.randrange(1 << 40)
        ids = [f"f-{b}-{g}" for g in range(batch)]
        accounts = sorted({f"L{(b + g * 7919) % ACCOUNTS}" for g in range(n_acc)})
        hashes = [os.urandom(32) for _ in range(batch)]
        db.execute("BEGIN IMMEDIATE")
        # The locking read: the rows the batch updates, and its accounts.
        db.execute(f"SELECT id, version FROM transactions WHERE id IN ({','.join('?' * len(previous))})", previous).fetchall()
        db.execute(f"SELECT account_no, posted, held FROM accounts WHERE account_no IN ({','.join('?' * len(accounts))})", accounts).fetchall()
        db.executemany(INSERT_TX, [(ids[g], hashes[g], f"L{(b + g) % ACCOUNTS}", 100 + g, f"L{(b + g) % ACCOUNTS}", 100 + g, now, now) for g in range(n_tx)])
        db.executemany(UPDATE_TX, [(now, i) for i in previous])
        db.executemany(UPDATE_ACC, [(now, a) for a in accounts])
        db.executemany(INSERT_VERSION, [(ids[g], hashes[g], hashes[g], body, now) for g in range(batch)])
        db.executemany(INSERT_JOURNAL, [(ids[g % batch], f"L{(b + g) % ACCOUNTS}", 100 + g, now) for g in range(n_journal)])
        db.executemany(INSERT_OUTBOX, [("evt_%026x" % random.randrange(1 << 104), ids[g % batch], payload, now) for g in range(n_outbox)])
        db.execute("COMMIT")
        previous = ids[:n_upd]
        batches += 1
    return batches


run(5)  # warm-up, as run.sh's
before, started = busy(), time.monotonic()
batches = run(seconds)
elapsed, used = time.monotonic() - started, busy() - before
events = batches * batch
print(f"-- SQLite floor: {batch} events a transaction, {n_tx} new transactions, {n_upd} updated, {n_acc} accounts, {n_journal} journal lines, "
      f"{n_outbox} outbox events; bodies {int(mix['body'])} B, payloads {int(mix['payload'])} B")
print(f"-- floor: {events / elapsed:.0f} events/s; CPU per event {used * 1_000_000 / os.sysconf('SC_CLK_TCK') / events:.0f} us (whole machine)")
