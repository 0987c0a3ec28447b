#!/usr/bin/env bash
# Where the CPU goes while the service ingests at full load: the whole machine sampled with perf
# (the service's JIT-compiled frames named through DOTNET_PerfMapEnabled, and the database's own
# processes on PostgreSQL), then the top symbols and the share of each process and library.
#
#   benchmarks/load/profile.sh sqlite|postgres [seconds=15] [connections=64]
#   ORIAN_WARM_SECONDS=60 benchmarks/load/profile.sh ...   a longer warm-up first (default 5 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-sqlite}; seconds=${2:-15}; connections=${3:-64}
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
# Name JIT-compiled frames (a perf map per process), with code mapped once so perf can read it.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
. benchmarks/load/service.sh
service_start "$provider"
auth="$(printf 'pps:load-test-password' | base64)"
wrk -t2 -c"$connections" -d"${ORIAN_WARM_SECONDS:-5}s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "warm$$" "$auth" >/dev/null
out="$work/perf.data"
perf record -F 499 -a -g -o "$out" -- sleep "$seconds" 2>/dev/null &
rec=$!
export ORIAN_LOAD_RESULT="$work/acknowledged"
wrk -t2 -c"$connections" -d"${seconds}s" -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "run$$" "$auth" | grep -E "acknowledged events/s"
wait "$rec"
echo "== $(nproc) cores, $provider: CPU samples by command (whole machine)"
perf report -i "$out" --no-children --sort comm --stdio -g none 2>/dev/null | grep -E "^ +[0-9]" | head -8 || true
echo "== by library (the service and the database)"
perf report -i "$out" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E "^ +[0-9]" | head -15 || true
echo "== top symbols"
perf report -i "$out" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E "^ +[0-9]" | grep -v "pv_native_safe_halt" | head -40 || true
echo "== text keys compared under a locale (PostgreSQL), named parameters bound (SQLite)"
perf report -i "$out" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E "^ +[0-9]" \
  | grep -E "varstr_cmp|strcoll|pg_newlocale_from_collation|lc_collate_is_c|FindPrefixedParameter|sqlite3VListNameToNum|__strncmp" | head -10 || true
