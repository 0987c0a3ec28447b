#!/usr/bin/env bash
# How soon a freshly started service reaches full speed: wrk's varied events from the first second,
# in windows of 5 s, each window's events/s and machine CPU per event printed as it ends.
#
#   benchmarks/load/warmup.sh sqlite|postgres [windows=12] [connections=64]
#
# Compare runtimes by the environment (DOTNET_TieredPGO=0, DOTNET_TieredCompilation=0, ...) or a
# build made elsewhere (ORIAN_SERVICE_DIR=/path/to/a/ReadyToRun/publish).
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-sqlite}; windows=${2:-12}; connections=${3:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
. benchmarks/load/service.sh
service_start "$provider"
auth="$(printf 'pps:load-test-password' | base64)"
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
export ORIAN_LOAD_RESULT="$work/acknowledged"
line="== $provider, ${DOTNET_TieredCompilation:+TC=$DOTNET_TieredCompilation }${DOTNET_TieredPGO:+PGO=$DOTNET_TieredPGO }${ORIAN_SERVICE_DIR:+build=$ORIAN_SERVICE_DIR}"
echo "$line"
for w in $(seq 1 "$windows"); do
  before=$(busy)
  wrk -t2 -c"$connections" -d5s -s benchmarks/load/events.lua "http://127.0.0.1:$port" -- "w$$-$w" "$auth" >/dev/null
  after=$(busy); acked=$(cat "$work/acknowledged")
  printf "window %2d (%3d-%3d s): %5d events/s  %4d us CPU per event\n" "$w" $(( (w - 1) * 5 )) $(( w * 5 )) $(( acked / 5 )) \
    $(( (after - before) * 1000000 / $(getconf CLK_TCK) / (acked > 0 ? acked : 1) ))
done
