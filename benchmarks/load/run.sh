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
port=5190
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

dotnet build -c Release src/Orian.Service -v quiet -nologo >/dev/null
dll=src/Orian.Service/bin/Release/net10.0/Orian.Service.dll

. scripts/throwaway-postgres.sh
work=$(mktemp -d /tmp/orian-load.XXXXXX)
svc=
cleanup() { [ -n "$svc" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null; pg_stop; rm -rf "$work"; }
trap cleanup EXIT

case "$provider" in
  sqlite) export Orian__Storage__Provider=sqlite Orian__Storage__ConnectionString="Data Source=$work/orian.db" ;;
  postgres) pg_start; export Orian__Storage__Provider=postgres Orian__Storage__ConnectionString="$PG_URL;Maximum Pool Size=20" ;;
  *) echo "usage: $0 sqlite|postgres [seconds] [connections]"; exit 2 ;;
esac
export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export Orian__Ingress__Username=pps Orian__Ingress__Password=load-test-password Orian__Admin__ApiKey=load-test-operator-key
dotnet "$dll" --urls "http://127.0.0.1:$port" > "$work/service.log" 2>&1 &
svc=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done

echo "== $(nproc) cores, $provider, $connections connections, ${seconds}s, Orian ${Orian__Pipeline__Partitions:-default} partitions"
echo "-- baseline: GET /health/live"
wrk -t2 -c"$connections" -d"$((seconds / 2))s" --latency "http://127.0.0.1:$port/health/live" | grep -E "Requests/sec|50%|99%"
echo "-- warm-up (5 s, discarded)"
wrk -t2 -c"$connections" -d5s -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "warm$$" "$(printf 'pps:load-test-password' | base64)" >/dev/null
echo "-- PUT /v2/transactions/{id}: varied events"
export ORIAN_LOAD_RESULT="$work/acknowledged"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "run$$" "$(printf 'pps:load-test-password' | base64)" \
  | grep -E "Requests/sec|acknowledged|latency ms|Non-2xx|Socket errors"

# Every acknowledged event must be stored (the run's ids start with run$$).
acked=$(cat "$work/acknowledged")
case "$provider" in
  sqlite) stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from transaction_versions where transaction_id like 'run$$-%'\").fetchone()[0])" "$work/orian.db") ;;
  postgres) stored=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "select count(*) from transaction_versions where transaction_id like 'run$$-%'") ;;
esac
echo "-- acknowledged $acked, stored $stored"
[ "$stored" -ge "$acked" ] || { echo "LOST: acknowledged more events than are stored"; exit 1; }
