#!/usr/bin/env bash
# Webhook dispatch throughput: N events in, N signed webhooks out to a receiver on 127.0.0.1.
#
#   benchmarks/load/dispatch.sh sqlite|postgres [events=20000]
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; events=${2:-20000}
dotnet build -c Release benchmarks/Orian.LoadGen -v quiet -nologo >/dev/null
. benchmarks/load/service.sh
service_start "$provider"
echo "== $(nproc) cores, $provider, dispatch batch ${Orian__Outbox__BatchSize:-100}, concurrency ${Orian__Outbox__MaxConcurrency:-16}"
dotnet benchmarks/Orian.LoadGen/bin/Release/net10.0/Orian.LoadGen.dll dispatch "http://127.0.0.1:$port" "$events" pps:load-test-password "$operator_key"
