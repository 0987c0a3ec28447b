#!/usr/bin/env bash
# The database's own floor for Orian's ingest on PostgreSQL, beside the Orian run it is measured for.
#
#   benchmarks/load/floor.sh [seconds=20] [connections=64]
#
# 1. Runs run.sh postgres (the whole service under wrk's varied events) with pg_stat_statements on,
#    and reads from it what the database did: batches (the locking reads), rows per table per batch,
#    and the stored bodies' and payloads' mean sizes.
# 2. Starts a fresh cluster with the same settings and the same schema (Orian's own scripts: the same
#    tables, constraints and indexes), seeds as many accounts as the run had, and has pgbench write
#    the same rows in the same tables in transactions of the same shape (the locking reads, then one
#    statement per table, then a commit waiting on the same synchronous_commit), with as many clients
#    as Orian has writers. Each statement is the cheapest shape there is: the rows are made by the
#    server itself (generate_series), so nothing is parsed, sent or bound per row.
# 3. Prints both: events/s and CPU per event (the whole machine), and Orian / floor.
#
# The floor has the whole machine, Orian shares it with its own process and wrk: the ratio says how
# far the service as a whole is from the database alone, not only how good its SQL is; the database's
# own time per event (from pg_stat_statements for Orian, pgbench's for the floor) is printed too.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; connections=${2:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
out=$(mktemp /tmp/orian-floor.XXXXXX)
trap 'rm -f "$out" "$out.sql"' EXIT

echo "== 1. Orian: run.sh postgres $seconds $connections"
ORIAN_PG_STATEMENTS=1 benchmarks/load/run.sh postgres "$seconds" "$connections" | tee "$out" | grep -E "acknowledged events/s|CPU per|Requests/sec|all statements|mean sizes"

# What the database did, per batch: each statement's calls and rows, found by its text.
stat() { awk -v q="$1" -v f="$2" 'index($0, q) { print $f; exit }' "$out"; }
batches=$(stat "SELECT id, version, payload_hash" 1)
per_batch() { local rows; rows=$(stat "$1" 4); echo $(( (${rows:-0} + batches / 2) / batches )); }
new_tx=$(per_batch "INSERT INTO transactions"); upd_tx=$(per_batch "UPDATE transactions"); versions=$(per_batch "INSERT INTO transaction_versions")
journal=$(per_batch "INSERT INTO journal"); outbox=$(per_batch "INSERT INTO outbox_events"); accounts=$(per_batch "UPDATE accounts")
new_accounts=$(stat "INSERT INTO accounts" 4); new_accounts=${new_accounts:-2000}
body=$(awk '/mean sizes/ { print $4 }' "$out"); payload=$(awk '/mean sizes/ { print $7 }' "$out")
orian_rate=$(awk '/acknowledged events\/s/ { print $3 }' "$out")
orian_cpu=$(awk '/CPU per acknowledged event/ { print $6 }' "$out")
orian_db_ms=$(awk '/all statements:/ { print $5 }' "$out")
orian_events=$(stat "INSERT INTO transaction_versions" 4)   # every event stored, the warm-up's too, as the statements' time is
echo "-- per batch: $versions events (versions), $new_tx new transactions, $upd_tx updated, $accounts accounts, $journal journal lines, $outbox outbox events; bodies ${body} B, payloads ${payload} B; $new_accounts accounts"

echo "== 2. the floor: the same rows, pgbench, $(nproc) clients (Orian's writers), ${seconds}s"
. scripts/throwaway-postgres.sh
pg_start
trap 'pg_stop; rm -f "$out" "$out.sql"' EXIT
psql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
for script in sql/postgres/*.sql; do psql -f "$script" >/dev/null; done
psql -c "INSERT INTO accounts (account_no, currency, exponent, posted, held, created_at, updated_at)
         SELECT 'L' || g, 'GBP', 2, 0, 0, now(), now() FROM generate_series(1, $new_accounts) g; ANALYZE"

# One batch. Ids: the client, a batch counter and the row (as Orian's are a run, a sender and a
# counter); event ids random hex (as Orian's are hashes). The updated transactions are the ones the
# same client inserted two batches before, so every update finds its row.
cat > "$out.sql" <<SQL
\\set b random(1, 1000000000)
BEGIN;
SELECT id FROM transactions WHERE id = ANY(ARRAY(SELECT 'f' || :client_id || '-' || :prev || '-' || g FROM generate_series(1, $upd_tx) g)) ORDER BY id FOR UPDATE;
SELECT account_no, posted, held FROM accounts WHERE account_no = ANY(ARRAY(SELECT 'L' || (1 + (:b + g * 7919) % $new_accounts) FROM generate_series(1, $accounts) g)) ORDER BY account_no FOR UPDATE;
INSERT INTO transactions (id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount, currency, exponent,
    effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags, secure_auth_result, created_at, updated_at)
SELECT 'f' || :client_id || '-' || :b || '-' || g, 1, sha256(g::text::bytea), 'k1', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC',
    'L' || (1 + (:b + g) % $new_accounts), 100 + g, 'GBP', 2, 'L' || (1 + (:b + g) % $new_accounts), 'GBP', 2, 100 + g, 0, 'Load Merchant', false, 0, NULL, now(), now()
FROM generate_series(1, $new_tx) g;
UPDATE transactions SET version = version + 1, payload_hash = sha256(id::bytea), status = 'COMPLETE', effect_held = 0, effect_posted = -100, updated_at = now()
WHERE id = ANY(ARRAY(SELECT 'f' || :client_id || '-' || :prev || '-' || g FROM generate_series(1, $upd_tx) g));
UPDATE accounts SET posted = posted + 1, held = held + 1, updated_at = now()
WHERE account_no = ANY(ARRAY(SELECT 'L' || (1 + (:b + g * 7919) % $new_accounts) FROM generate_series(1, $accounts) g));
INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, payload_key, redacted_hash, flags, raw_json, received_at)
SELECT 'f' || :client_id || '-' || :b || '-' || g, 1, 'applied', sha256(g::text::bytea), 'k1', sha256(g::text::bytea), 0, repeat('x', $body), now()
FROM generate_series(1, $versions) g;
INSERT INTO journal (transaction_id, version, account_no, kind, amount, currency, exponent, created_at)
SELECT 'f' || :client_id || '-' || :b || '-' || g, 1, 'L' || (1 + (:b + g) % $new_accounts), 'hold', 100 + g, 'GBP', 2, now()
FROM generate_series(1, $journal) g;
INSERT INTO outbox_events (event_id, event_type, transaction_id, version, account_no, payload, created_at, trace_parent)
SELECT 'evt_' || left(md5(:b::text || g || random()), 26), 'transaction.updated', 'f' || :client_id || '-' || :b || '-' || g, 1, 'L1', repeat('x', $payload), now(), NULL
FROM generate_series(1, $outbox) g
ON CONFLICT (event_id) DO NOTHING;
COMMIT;
\\set prev :b
SQL
# Two warm-up batches per client define :prev; then the measured run.
"$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U orian -n -f "$out.sql" -D prev=0 -c "$(nproc)" -j "$(nproc)" -T 5 postgres >/dev/null
psql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>/dev/null || true
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
before=$(busy)
"$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U orian -n -f "$out.sql" -D prev=0 -c "$(nproc)" -j "$(nproc)" -T "$seconds" postgres > "$out.sql.result"
after=$(busy)
tps=$(awk '/^tps/ { print int($3) }' "$out.sql.result")
floor_rate=$(( tps * versions ))
floor_cpu=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / (floor_rate * seconds > 0 ? floor_rate * seconds : 1) ))
rm -f "$out.sql.result"
echo "-- floor: $tps batches/s = $floor_rate events/s; CPU per event $floor_cpu us (whole machine, pgbench included)"
echo "== Orian / floor: events/s $orian_rate / $floor_rate = $(awk -v a="$orian_rate" -v b="$floor_rate" 'BEGIN { printf "%.2f", a / b }')" \
     "; CPU per event $orian_cpu / $floor_cpu us = $(awk -v a="$orian_cpu" -v b="$floor_cpu" 'BEGIN { printf "%.2f", b / a }') (floor / Orian)" \
     "; Orian's statements ${orian_db_ms} ms for $orian_events events = $(awk -v a="$orian_db_ms" -v b="$orian_events" 'BEGIN { printf "%.0f", a * 1000 / b }') us per event"
