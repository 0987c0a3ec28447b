#!/usr/bin/env bash
# What delivering webhooks costs the ledger, in one run: the same load offered to the service twice,
# first with the dispatcher off, then on with one endpoint answering at once (and, with --slow, a
# second answering after 2 s beside it). Open loop, 30 % delegated authorisation requests. Prints:
# events/s acknowledged off and on and their ratio; with the dispatcher on, webhooks out ÷ events in
# and each event's delivery lag (acknowledgement to arrival) at the offered load and at half the
# dispatcher-off figure. With ORIAN_PG_STATEMENTS=1 (PostgreSQL), each phase's statements too, and
# the database's time per event off and per delivered webhook on. With ORIAN_LOAD_TRACE=1, each step
# second by second too (events acknowledged, their webhooks' lag), by the wall clock.
#
#   benchmarks/load/delivery.sh sqlite|postgres [seconds=20] [offered=3000] [--slow]
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; seconds=${2:-20}; offered=${3:-3000}; slow=${4:-}
dotnet build -c Release benchmarks/Orian.LoadGen -v quiet -nologo >/dev/null
gen=benchmarks/Orian.LoadGen/bin/Release/net10.0/Orian.LoadGen.dll
. benchmarks/load/service.sh
off=$(mktemp /tmp/orian-delivery.XXXXXX)
on=$(mktemp /tmp/orian-delivery.XXXXXX)

# Stops the service (and its cluster), keeping in the phase's file and printing what it warned of and
# what pg_stat_statements counted.
stop_and_count() { service_stop >> "$1" 2>&1 || true; PG_URL=; awk '/== the service.s warnings|== the database.s own work/ { p = 1 } p' "$1"; }

echo "== $(nproc) cores, $provider, offered $offered events/s for $seconds s (open loop, 30 % delegated)"
# Phase 1: the dispatcher off (what is acknowledged is the ledger alone).
export Orian__Outbox__DispatcherEnabled=false
service_start "$provider"
ORIAN_SERVICE_PID=$svc dotnet "$gen" delivery-off "http://127.0.0.1:$port" pps:load-test-password "$seconds" "$offered" | tee "$off"
stop_and_count "$off"
off_rate=$(awk '/acknowledged:/ { for (i = 1; i <= NF; i++) if ($i == "acknowledged:") print $(i + 1) }' "$off")

# Phase 2: the dispatcher on, the same load, then half the dispatcher-off figure.
export Orian__Outbox__DispatcherEnabled=true
service_start "$provider"
ORIAN_SERVICE_PID=$svc dotnet "$gen" delivery-on "http://127.0.0.1:$port" pps:load-test-password "$operator_key" "$seconds" "$offered" "$off_rate" $slow | tee "$on" || true
stop_and_count "$on"

if [ -n "${ORIAN_PG_STATEMENTS:-}" ] && [ "$provider" = postgres ]; then
  # The database's time: per event with the dispatcher off; with it on, what remains after the same
  # per-event cost for every event stored, per webhook delivered (both phases' whole runs, warm-up included).
  ms() { awk '/all statements:/ { print $5 }' "$1"; }
  events() { awk '/INSERT INTO transaction_versions/ { print $4; exit }' "$1"; }
  delivered() { awk '/^webhooks delivered:/ { print $3 }' "$1"; }
  awk -v off_ms="$(ms "$off")" -v off_ev="$(events "$off")" -v on_ms="$(ms "$on")" -v on_ev="$(events "$on")" -v hooks="$(delivered "$on")" 'BEGIN {
    per = off_ms * 1000 / off_ev
    printf "the database: %.0f µs per event stored, dispatcher off; on: %.0f µs per event, and %.0f µs per webhook delivered beyond the ledger'"'"'s own (%d webhooks)\n", per, on_ms * 1000 / on_ev, (on_ms * 1000 - per * on_ev) / (hooks > 0 ? hooks : 1), hooks }'
fi
rm -f "$off" "$on"
