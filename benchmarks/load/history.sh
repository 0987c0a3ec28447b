#!/usr/bin/env bash
# What purging the outbox's history costs the ledger. Fills the outbox under a closed-loop load (wrk,
# varied events) with one endpoint answering every POST with 501, so deliveries pile up; then settles
# them (dead) and ages every event written so far past the retention period, and loads the service
# again while its purge (a day's retention, a pass every second) works through them. Every 2 s it
# prints the events stored per second and the aged events left; at the end, how long the purge took,
# its rate, and the ledger's events/s while it ran against the seconds after it.
#
#   benchmarks/load/history.sh postgres|sqlite [fill-seconds=60] [connections=16] [load-seconds=120]
#
# Loopback only; a fresh ledger. With ORIAN_PG_STATEMENTS=1 (PostgreSQL) the database's statements too.
# ORIAN_HISTORY_AGE=0: the same run with nothing aged (nothing to purge), as a twin to run beside one
# that purges (another ORIAN_LOAD_PORT, started a few seconds later), so both meet the same host.
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; fill=${2:-60}; connections=${3:-16}; seconds=${4:-120}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
. benchmarks/load/service.sh

export Orian__Outbox__HistoryRetentionDays=1 Orian__Outbox__HistoryPurgeIntervalSeconds=1
service_start "$provider"
auth=$(printf 'pps:load-test-password' | base64)
rport=$((port + 100))
failing_receiver "$rport"
trap '[ -z "${receiver:-}" ] || kill "$receiver" 2>/dev/null || true; service_stop' EXIT
curl -sf -H "X-Api-Key: $operator_key" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"events\":[\"transaction.updated\"]}" "http://127.0.0.1:$port/v1/webhook-endpoints" >/dev/null

echo "== $(nproc) cores, $provider: filling the outbox for ${fill}s ($connections connections, an endpoint answering 501)"
wrk -t2 -c"$connections" -d"${fill}s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "fill$$" "$auth" >/dev/null
# The deliveries settled (dead, as after their last retry) and every event so far aged two days.
case "$provider" in
  postgres) aged="created_at - interval '2 days'" ;;
  sqlite) aged="datetime(substr(created_at, 1, 19), '-2 days') || substr(created_at, 20)" ;;   # the driver's text form, kept
esac
sql "UPDATE webhook_deliveries SET state = 'dead'" >/dev/null
boundary=$(sql "SELECT max(id) FROM outbox_events")
[ "${ORIAN_HISTORY_AGE:-1}" = 0 ] || sql "UPDATE outbox_events SET created_at = $aged WHERE id <= $boundary" >/dev/null
echo "aged: $boundary events, $(sql "SELECT count(*) FROM webhook_deliveries") deliveries (dead)"

wrk -t2 -c"$connections" -d"$((seconds + 5))s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "load$$" "$auth" >/dev/null &
load=$!
before=$(sql "SELECT count(*) FROM transaction_versions"); start=$(date +%s%N); was=$start; t=0
: > "$work/samples"
while [ "$t" -lt "$seconds" ]; do
  sleep 2
  now=$(sql "SELECT count(*) FROM transaction_versions")
  left=$(sql "SELECT count(*) FROM outbox_events WHERE id <= $boundary")
  at=$(date +%s%N); t=$(( (at - start) / 1000000000 ))
  # Rates over the time the window really took (the counts themselves take a while on a big SQLite file).
  printf '%4d s  %6d events/s  aged events left %8d\n' "$t" "$(awk -v n="$((now - before))" -v ns="$((at - was))" 'BEGIN { printf "%d", n / (ns / 1e9) }')" "$left" | tee -a "$work/samples"
  before=$now; was=$at
done
wait "$load" || true
# The purge is over at the first sample where the aged events left reach their final count (what stays
# is what a take-over of a live lease made pending again, or what was not fanned out).
awk -v aged="$boundary" -v total="$seconds" '
  { t[NR] = $1; r[NR] = $3; left[NR] = $8; n = NR }
  END {
    for (i = 1; i <= n && left[i] != left[n]; i++) { during += r[i]; nd++ }
    end = i
    for (j = end + 2; j < n; j++) if (t[j] <= total) { after += r[j]; na++ }
    printf "purge: %d aged events, %d kept, %d purged in about %d s (%.0f events/s)\n", aged, left[n], aged - left[n], t[end], (aged - left[n]) / t[end]
    if (nd && na) printf "ledger: %.0f events/s while the purge ran, %.0f after (÷ %.3f)\n", during / nd, after / na, (during / nd) / (after / na)
    else print "no whole windows both during and after the purge"
  }' "$work/samples"
