#!/usr/bin/env bash
# A failing endpoint must never slow the ledger: the same closed-loop load (wrk, varied events) for
# several minutes, first with no webhook endpoint, then with one that answers every POST with 501
# (its deliveries fail, retry on the schedule and pile up as a backlog). Every 30 s it samples the
# events stored and the backlog; at the end it prints, per phase, the ledger's events/s over the
# later minutes (from 4 min to the end) against the first ones (0.5 to 2 min), and the backlog.
#
#   benchmarks/load/soak.sh postgres|sqlite [seconds=360] [connections=16]
#
# Loopback only; a fresh ledger per phase. The aim: each phase's later ÷ first within 5 % of 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; seconds=${2:-360}; connections=${3:-16}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
. benchmarks/load/service.sh

sql() {
  case "$provider" in
    sqlite) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0] or 0)" "$work/orian.db" "$1" ;;
    postgres) "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "$1" ;;
  esac
}

# A receiver answering every POST with 501 at once, in its own process.
failing_receiver() {
  python3 - "$1" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Refuse(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(501); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Refuse).serve_forever()
PY
  receiver=$!
}

phase() { # name, with-endpoint (0/1)
  local name=$1 failing=$2
  service_start "$provider"
  if [ "$failing" = 1 ]; then
    local rport=$((port + 100))
    failing_receiver "$rport"
    curl -sf -H "X-Api-Key: $operator_key" -H 'Content-Type: application/json' \
      -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"events\":[\"transaction.updated\"]}" "http://127.0.0.1:$port/v1/webhook-endpoints" >/dev/null
  fi
  echo "-- $name: $connections connections, ${seconds}s"
  # The load runs a little past the last sample, so every 30 s window is a whole one.
  wrk -t2 -c"$connections" -d"$((seconds + 15))s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "soak$$$name" "$(printf 'pps:load-test-password' | base64)" >/dev/null &
  local load=$! t=0 before now
  before=$(sql "select count(*) from transaction_versions")
  : > "$work/samples"
  while [ "$t" -lt "$seconds" ]; do
    sleep 30; t=$((t + 30))
    now=$(sql "select count(*) from transaction_versions")
    printf '%4d s  %6d events/s  pending deliveries %8d  dead %6d  events not fanned out %d\n' "$t" $(( (now - before) / 30 )) \
      "$(sql "select count(*) from webhook_deliveries where state = 'pending'")" "$(sql "select count(*) from webhook_deliveries where state = 'dead'")" \
      "$(sql "select count(*) from outbox_events where fanned_out = false")" | tee -a "$work/samples"
    before=$now
  done
  wait "$load" || true
  [ -n "${receiver:-}" ] && kill "$receiver" 2>/dev/null; receiver=
  awk -v name="$name" -v total="$seconds" '
    { t = $1; r = $3 }
    t > 30 && t <= 120 { first += r; nf++ }
    t > 240 || (total < 300 && t > total * 2 / 3) { later += r; nl++ }
    END { if (nf && nl) printf "%s: first minutes %.0f events/s, later minutes %.0f events/s, later ÷ first %.3f\n", name, first / nf, later / nl, (later / nl) / (first / nf) }' \
    "$work/samples" | tee -a /tmp/orian-soak-summary.$$
  service_stop
}

echo "== $(nproc) cores, $provider, soak of ${seconds}s per phase"
: > /tmp/orian-soak-summary.$$
phase no-endpoint 0
phase failing-endpoint 1
echo "== summary"; cat /tmp/orian-soak-summary.$$; rm -f /tmp/orian-soak-summary.$$
