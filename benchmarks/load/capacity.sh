#!/usr/bin/env bash
# The capacity plan's figures (docs/capacity.md): N Orian instances (Release builds, one process each)
# on one PostgreSQL primary, behind HAProxy, on this machine, for each N given. For each N, from an
# empty ledger:
#   events     wrk with varied ORIAN events (events.lua) through HAProxy: acknowledged events/s
#   decisions  wrk with delegated authorisation requests (decisions.lua): decisions/s answered
# and for each phase where the machine's CPU went (the Orian instances, PostgreSQL, the rest: wrk and
# HAProxy), the primary's CPU per event, and the database's own work per event (pg_stat_statements:
# statements and execution time).
#   benchmarks/load/capacity.sh ["1 2 3"] [seconds=20] [connections=64]
# Loopback only; not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/../.."
counts=${1:-"1 2 3"}; seconds=${2:-20}; connections=${3:-64}
[ "$(id -u)" = 0 ] || { echo "run as root (PostgreSQL runs as the postgres user)"; exit 2; }
for tool in wrk haproxy; do command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk haproxy >/dev/null; }; done
. scripts/throwaway-postgres.sh
dotnet build -c Release src/Orian.Service -v quiet -nologo >/dev/null
auth=$(printf 'pps:load-test-password' | base64)
front=5190

ticks() { local total=0 t; for p in "$@"; do t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); total=$((total + t)); done; echo $total; }
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# This run's PostgreSQL: its postmaster and every child (no other cluster on the machine).
pg_pids() { local pm; pm=$(head -n 1 "$PG_DIR/data/postmaster.pid"); echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }
psql_() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "$1"; }

stop_all() {
  set +e
  [ -n "${orian_pids:-}" ] && kill $orian_pids 2>/dev/null && wait $orian_pids 2>/dev/null
  [ -f "${work:-/nonexistent}/haproxy.pid" ] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null
  pg_stop
  [ -n "${work:-}" ] && rm -rf "$work"
  orian_pids=; work=
}
trap stop_all EXIT

# One measured phase: wrk for $seconds with the given script, and where the CPU went meanwhile.
phase() {
  local name=$1 script=$2; shift 2
  psql_ "SELECT pg_stat_statements_reset()" >/dev/null
  local pg_before orian_before busy_before pgs
  pgs=$(pg_pids); pg_before=$(ticks $pgs); orian_before=$(ticks $orian_pids); busy_before=$(busy)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "benchmarks/load/$script" "http://127.0.0.1:$front" -- "$@" > "$work/$name.out"
  local pg_after orian_after busy_after
  pg_after=$(ticks $pgs $(pg_pids | tr ' ' '\n' | grep -vxF -f <(echo "$pgs" | tr ' ' '\n') || true)); orian_after=$(ticks $orian_pids); busy_after=$(busy)
  local rate; rate=$(grep -E "acknowledged events/s|answered requests/s" "$work/$name.out" | awk '{print $NF}')
  local n=$(( rate * seconds )); [ "$n" -gt 0 ] || n=1
  local hz; hz=$(getconf CLK_TCK)
  local all=$(( busy_after - busy_before )) orian=$(( orian_after - orian_before )) pg=$(( pg_after - pg_before ))
  echo "-- $name: $(grep -E "acknowledged events/s|answered requests/s" "$work/$name.out")"
  grep -E "^answered:|^acknowledged \(200\)|latency ms" "$work/$name.out" | sed 's/^/   /'
  echo "   CPU per event (µs): Orian $(( orian * 1000000 / hz / n )), PostgreSQL $(( pg * 1000000 / hz / n )), rest (wrk, HAProxy, system) $(( (all - orian - pg) * 1000000 / hz / n )); machine busy $(( all * 100 / hz / seconds / $(nproc) )) % of $(nproc) cores"
  echo "   the database's own work per event: $(psql_ "SELECT round(sum(calls)::numeric / $n, 1) || ' statements, ' || round((sum(total_exec_time) * 1000 / $n)::numeric) || ' µs executing' FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'")"
}

for count in $counts; do
  work=$(mktemp -d /tmp/orian-capacity.XXXXXX)
  PG_EXTRA_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top -c synchronous_commit=on" pg_start 2>/dev/null
  psql_ "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__Console__FormatterName=simple
  export Orian__Storage__Provider=postgres Orian__Storage__ConnectionString="$PG_URL;Maximum Pool Size=$(( 150 / count ))"
  export Orian__Ingress__Username=pps Orian__Ingress__Password=load-test-password Orian__Admin__ApiKey=load-test-operator-key
  export Orian__CardData__HashKey="$(head -c 32 /dev/urandom | base64)" Orian__DataProtection__KeysFolder="$work/keys"
  { echo "defaults"; echo "  mode http"; echo "  timeout connect 2s"; echo "  timeout client 60s"; echo "  timeout server 60s"
    echo "listen orian"; echo "  bind 127.0.0.1:$front"; echo "  balance leastconn"
    for i in $(seq 1 "$count"); do echo "  server orian$i 127.0.0.1:$((front + i))"; done; } > "$work/haproxy.cfg"
  orian_pids=""
  for i in $(seq 1 "$count"); do
    dotnet src/Orian.Service/bin/Release/net10.0/Orian.Service.dll --urls "http://127.0.0.1:$((front + i))" > "$work/orian$i.log" 2>&1 &
    orian_pids="$orian_pids $!"
    until curl -sf "http://127.0.0.1:$((front + i))/health/ready" >/dev/null; do sleep 0.3; done
  done
  haproxy -f "$work/haproxy.cfg" -D -p "$work/haproxy.pid"
  echo "== $count Orian instance(s) on one primary, $(nproc) cores, $connections connections, ${seconds} s a phase"
  wrk -t2 -c"$connections" -d5s -s benchmarks/load/events.lua "http://127.0.0.1:$front" -- "warm$$" "$auth" >/dev/null
  phase events events.lua "run$$" "$auth"
  wrk -t2 -c"$connections" -d5s -s benchmarks/load/decisions.lua "http://127.0.0.1:$front" -- "dwarm$$" "$auth" 500 >/dev/null
  phase decisions decisions.lua "drun$$" "$auth" 500 funded
  stop_all
done
