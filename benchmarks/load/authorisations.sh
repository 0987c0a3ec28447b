#!/usr/bin/env bash
# Delegated authorisations at a fixed rate mixed with notifications, open loop (Orian.LoadGen):
# latency of each kind from the moment its request was due.
#
#   benchmarks/load/authorisations.sh sqlite|postgres [auth/s=1000] [notifications/s=2000] [seconds=20] [--hot]
#
# First 200 single decisions one at a time (the run's idle p50), then the load; it ends with the
# ratio of the loaded decision p99 to that idle p50. --hot puts every request on one account.
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; auth=${2:-1000}; notifications=${3:-2000}; seconds=${4:-20}; hot=${5:-}
dotnet build -c Release benchmarks/Orian.LoadGen -v quiet -nologo >/dev/null
# Each decision's answer says where its time went (Server-Timing), which Orian.LoadGen sums up.
export Orian__Authorisation__ServerTiming=true
. benchmarks/load/service.sh
service_start "$provider"
echo "== $(nproc) cores, $provider, deadline ${Orian__Authorisation__DeadlineMs:-1500} ms"
dotnet benchmarks/Orian.LoadGen/bin/Release/net10.0/Orian.LoadGen.dll "http://127.0.0.1:$port" "$auth" "$notifications" "$seconds" pps:load-test-password $hot
