#!/usr/bin/env bash
# A failing endpoint must never slow the ledger: the same closed-loop load (wrk, varied events) for
# several minutes on two services, one with no webhook endpoint, one with an endpoint that answers
# every POST with 501 (its deliveries fail, retry on the schedule and pile up as a backlog). Every
# 30 s it samples the events stored and the backlog; at the end it prints, per service, the ledger's
# events/s over the later minutes (from 4 min to the end) against the first ones (0.5 to 2 min).
#
#   benchmarks/load/soak.sh postgres|sqlite [seconds=360] [connections=16] [side-by-side|in-turn|control]
#
# side-by-side (the default): both services run at the same time, each with its own database and
#   load, sampled at the same instants, so what the host does to one (another tenant's CPU, a
#   checkpoint's disk) it does to the other. The figure to read is the failing service's later ÷ first
#   over the other's: what the backlog costs beyond what six minutes cost a ledger on this host.
# control: the same, with no endpoint on either side: how far that figure moves when nothing differs.
# in-turn: one service after the other, each alone on the host (its events/s are the host's whole).
#
# Loopback only; a fresh ledger per service. The aim: the failing service's ratio within 5 % of the other's.
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; seconds=${2:-360}; connections=${3:-16}; mode=${4:-side-by-side}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
. benchmarks/load/service.sh
[ -n "${ORIAN_SERVICE_DIR:-}" ] || { dotnet build -c Release src/Orian.Service -v quiet -nologo >/dev/null; export ORIAN_SERVICE_DIR=src/Orian.Service/bin/Release/net10.0; }
out=$(mktemp -d /tmp/orian-soak.XXXXXX)

now_ns() { date +%s%N; }

# One service's run: name, failing endpoint (0/1). It writes "$out/<name>.ready" once the service is up,
# then waits for "$out/go" (the start, in ns since the epoch) before loading it; samples fall at start
# + 30 s, + 60 s..., whatever the sampling itself took.
phase() {
  local name=$1 failing=$2
  service_start "$provider"
  if [ "$failing" = 1 ]; then
    local rport=$((port + 100))
    failing_receiver "$rport"
    trap '[ -z "${receiver:-}" ] || kill "$receiver" 2>/dev/null || true; service_stop' EXIT
    curl -sf -H "X-Api-Key: $operator_key" -H 'Content-Type: application/json' \
      -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"events\":[\"transaction.updated\"]}" "http://127.0.0.1:$port/v1/webhook-endpoints" >/dev/null
  fi
  touch "$out/$name.ready"
  while [ ! -s "$out/go" ]; do sleep 0.05; done
  local start t=0 before now taken=0 at
  start=$(cat "$out/go")
  while [ "$(now_ns)" -lt "$start" ]; do sleep 0.01; done
  echo "-- $name: $connections connections, ${seconds}s, port $port"
  # The load runs a little past the last sample, so every 30 s window is a whole one.
  wrk -t2 -c"$connections" -d"$((seconds + 15))s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "soak$$$name" "$(printf 'pps:load-test-password' | base64)" >/dev/null &
  local load=$!
  before=$(sql "select count(*) from transaction_versions"); taken=$(now_ns)
  : > "$out/$name.samples"
  while [ "$t" -lt "$seconds" ]; do
    t=$((t + 30))
    at=$((start + t * 1000000000))
    sleep "$(awk -v d="$((at - $(now_ns)))" 'BEGIN { printf "%.3f", (d > 0 ? d / 1e9 : 0) }')"
    now=$(sql "select count(*) from transaction_versions")
    local was=$taken; taken=$(now_ns)
    printf '%4d s  %6d events/s  pending deliveries %8d  dead %6d  events not fanned out %d\n' "$t" \
      "$(awk -v n="$((now - before))" -v ns="$((taken - was))" 'BEGIN { printf "%d", n / (ns / 1e9) }')" \
      "$(sql "select count(*) from webhook_deliveries where state = 'pending'")" "$(sql "select count(*) from webhook_deliveries where state = 'dead'")" \
      "$(sql "select count(*) from outbox_events where fanned_out = false")" | tee -a "$out/$name.samples"
    before=$now
  done
  wait "$load" || true
  [ -n "${receiver:-}" ] && kill "$receiver" 2>/dev/null; receiver=
  service_stop
}

# Later ÷ first of one samples file (the third column, events/s).
ratio() {
  awk -v total="$seconds" '
    { t = $1; r = $3 }
    t > 30 && t <= 120 { first += r; nf++ }
    t > 240 || (total < 300 && t > total * 2 / 3) { later += r; nl++ }
    END { if (nf && nl) printf "first minutes %.0f events/s, later minutes %.0f events/s, later ÷ first %.3f\n", first / nf, later / nl, (later / nl) / (first / nf) }' "$1"
}

go() { echo $(( $(now_ns) + 1000000000 )) > "$out/go"; }

# Starts one service's run in the background (its pid in $started) and waits until it is up.
start_phase() { # name failing port
  ( port=$3; phase "$1" "$2" ) > >(sed -u "s/^/[$1] /") 2>&1 &
  started=$!
  until [ -e "$out/$1.ready" ]; do kill -0 "$started" 2>/dev/null || { echo "$1 did not start"; exit 1; }; sleep 0.2; done
}

# Two services at once: each is started (its database first) only once the one before it is up, so
# they never race for a port; then both loads start at the same instant.
side_by_side() { # name-a failing-a name-b failing-b
  local a b
  start_phase "$1" "$2" "$port"; a=$started
  start_phase "$3" "$4" "$((port + 1))"; b=$started
  go
  wait "$a" "$b"
  sleep 0.5
  echo "== summary ($mode, $(nproc) cores, $provider, ${seconds}s, $connections connections each)"
  echo "$1: $(ratio "$out/$1.samples")"
  echo "$3: $(ratio "$out/$3.samples")"
  # The pair, window by window: the second's events/s over the first's, and that ratio's later ÷ first.
  paste -d' ' <(awk '{ print $1, $3 }' "$out/$1.samples") <(awk '{ print $3, $7 }' "$out/$3.samples") |
    awk -v a="$1" -v b="$3" -v total="$seconds" '
      BEGIN { printf "%6s %10s %10s %9s %12s\n", "window", a, b, "ratio", "pending(" b ")" }
      { q = $2 > 0 ? $3 / $2 : 0; printf "%5ds %10d %10d %9.3f %12d\n", $1, $2, $3, q, $4
        if ($1 > 30 && $1 <= 120) { first += q; nf++ }
        if ($1 > 240 || (total < 300 && $1 > total * 2 / 3)) { later += q; nl++ } }
      END { if (nf && nl) printf "%s ÷ %s: first minutes %.3f, later minutes %.3f, later ÷ first %.3f\n", b, a, first / nf, later / nl, (later / nl) / (first / nf) }'
}

in_turn() {
  start_phase no-endpoint 0 "$port"; go; wait "$started"
  rm -f "$out/go"
  start_phase failing-endpoint 1 "$port"; go; wait "$started"
  sleep 0.5
  echo "== summary (in turn, $(nproc) cores, $provider, ${seconds}s, $connections connections)"
  echo "no-endpoint: $(ratio "$out/no-endpoint.samples")"
  echo "failing-endpoint: $(ratio "$out/failing-endpoint.samples")"
}

echo "== $(nproc) cores, $provider, soak of ${seconds}s, $mode"
case "$mode" in
  side-by-side) side_by_side no-endpoint 0 failing-endpoint 1 ;;
  control) side_by_side no-endpoint 0 no-endpoint-too 0 ;;
  in-turn) in_turn ;;
  *) echo "mode must be side-by-side, control or in-turn"; exit 2 ;;
esac
rm -rf "$out"
