#!/usr/bin/env bash
# Events in and webhooks out at once, open loop: the run's ingest-only maximum, then steps at fixed
# fractions of it with one endpoint subscribed (and, with --slow, a second one answering after 2 s).
# For each step: events/s acknowledged, webhooks/s received, and the delivery lag p50/p99/max.
#
#   benchmarks/load/flow.sh sqlite|postgres [seconds=15] [fractions=0.25,0.5,0.75] [--slow]
set -euo pipefail
cd "$(dirname "$0")/../.."
provider=${1:-postgres}; seconds=${2:-15}; fractions=${3:-0.25,0.5,0.75}; slow=${4:-}
dotnet build -c Release benchmarks/Orian.LoadGen -v quiet -nologo >/dev/null
. benchmarks/load/service.sh
service_start "$provider"
echo "== $(nproc) cores, $provider, dispatch batch ${Orian__Outbox__BatchSize:-100}, senders ${Orian__Outbox__MaxConcurrency:-128}, per endpoint ${Orian__Outbox__MaxConcurrencyPerEndpoint:-64}"
dotnet benchmarks/Orian.LoadGen/bin/Release/net10.0/Orian.LoadGen.dll flow "http://127.0.0.1:$port" pps:load-test-password "$operator_key" "$seconds" "$fractions" $slow
