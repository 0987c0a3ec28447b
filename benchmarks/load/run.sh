#!/usr/bin/env bash
# Load test of the whole service: the Release build on 127.0.0.1 with a durable ledger, driven by
# wrk with varied ORIAN events (events.lua), beside the same run's trivial-endpoint baseline.
# Afterwards it checks that every acknowledged event is in the database.
#
#   benchmarks/load/run.sh sqlite|postgres [seconds=20] [connections=64]
#
# Loopback only. Each run starts from an empty ledger (a temp SQLite file / a throw-away cluster).
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-sqlite}; seconds=${2:-20}; connections=${3:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

. benchmarks/load/service.sh
case "$provider" in sqlite|postgres) ;; *) echo "usage: $0 sqlite|postgres [seconds] [connections]"; exit 2 ;; esac
service_start "$provider"

echo "== $(nproc) cores, $provider, $connections connections, ${seconds}s, Orian ${Orian__Pipeline__Partitions:-default} partitions"
echo "-- baseline: GET /health/live"
wrk -t2 -c"$connections" -d"$((seconds / 2))s" --latency "http://127.0.0.1:$port/health/live" | grep -E "Requests/sec|50%|99%"
echo "-- warm-up (5 s, discarded)"
wrk -t2 -c"$connections" -d5s -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "warm$$" "$(printf 'pps:load-test-password' | base64)" >/dev/null
echo "-- PUT /v2/transactions/{id}: varied events"
export ORIAN_LOAD_RESULT="$work/acknowledged"
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }   # jiffies the machine spent working (user, nice, system, irq, softirq)
busy_before=$(busy)
service_cpu() { awk '{print $14 + $15}' "/proc/$svc/stat"; }   # the service's own user + system CPU, in clock ticks
service_before=$(service_cpu)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "run$$" "$(printf 'pps:load-test-password' | base64)" \
  | grep -E "Requests/sec|acknowledged|latency ms|Non-2xx|Socket errors"
busy_after=$(busy)
service_after=$(service_cpu)

# Every acknowledged event must be stored (the run's ids start with run$$).
acked=$(cat "$work/acknowledged")
case "$provider" in
  sqlite) stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from transaction_versions where transaction_id like 'run$$-%'\").fetchone()[0])" "$work/orian.db") ;;
  postgres) stored=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "select count(*) from transaction_versions where transaction_id like 'run$$-%'") ;;
esac
echo "-- acknowledged $acked, stored $stored"
if [ "$provider" = sqlite ]; then
  # What the ledger stores per event of this mix, for benchmarks/load/floor_sqlite.py.
  python3 - "$work/orian.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
one = lambda sql: db.execute(sql).fetchone()[0] or 0
versions = one("select count(*) from transaction_versions")
print("-- rows per event: transactions=%.2f updates=%.2f journal=%.2f outbox=%.2f body=%d payload=%d" % (
    one("select count(*) from transactions") / versions, one("select count(*) from transaction_versions where version > 1 and outcome = 'applied'") / versions,
    one("select count(*) from journal") / versions, one("select count(*) from outbox_events") / versions,
    one("select avg(length(raw_json)) from transaction_versions"), one("select avg(length(payload)) from outbox_events")))
PY
fi
# CPU time per event, whole machine (service, database, wrk): unlike events/s, it does not move when
# the host lends this machine fewer cycles, so it compares builds on a noisy host.
echo "-- CPU per acknowledged event: $(( (busy_after - busy_before) * 1000000 / $(getconf CLK_TCK) / (acked > 0 ? acked : 1) )) us (whole machine, wrk included); $(( (service_after - service_before) * 1000000 / $(getconf CLK_TCK) / (acked > 0 ? acked : 1) )) us in the service"
[ "$stored" -ge "$acked" ] || { echo "LOST: acknowledged more events than are stored"; exit 1; }
