#!/usr/bin/env bash
# The ingress path's cost before the ledger: PUT /v2/transactions/{id} with PPS's credentials and a
# valid ORIAN body whose id differs from the path's, so each request is authenticated, read, parsed
# and refused (400) without touching the database; beside the same run's trivial-endpoint baseline.
# What it moves is what authentication, the body read and the parser cost per request.
#
#   benchmarks/load/edge.sh [seconds=20] [connections=64]
#
# Loopback only; SQLite (the database is not reached).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; connections=${2:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

. benchmarks/load/service.sh
service_start sqlite
auth="Basic $(printf 'pps:load-test-password' | base64)"
body='{"id":"EDGE-BODY","version":1,"scheme_id":"MC","product_class_id":"LOAD","txn_lifecycle_status":"AUTHORISED","txn_result":{"result":"APPROVED","result_detail":"SUCCESSFUL"},"payer":{"account":{"account_no":"ACC-EDGE"},"card":{"masked_pan":"123456******9876"}},"payee":{"acceptor":{"name":"Load Merchant","category_auth":"5812"}},"txn_type":{"code":"REDEMPTION","direction":"DEBIT","reversal":false,"financial":true},"authorisation":{"txn_amounts":{"requested_amount":{"amount":1250,"currency":{"code":"GBP","exponent":2}},"cardholder_amount":{"amount":1250,"currency":{"code":"GBP","exponent":2}},"cardholder_final_amount":{"amount":1250,"currency":{"code":"GBP","exponent":2}}}}}'
script="$work/edge.lua"
printf 'wrk.method = "PUT"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "%s"\nwrk.body = [[%s]]\n' "$auth" "$body" > "$script"
answer=$(curl -s -X PUT -H "Authorization: $auth" -H 'Content-Type: application/json' --data "$body" "http://127.0.0.1:$port/v2/transactions/EDGE-PATH")
case "$answer" in *id_mismatch*|*"They must be equal"*) ;; *) echo "the request is not refused for its id alone: $answer"; exit 1 ;; esac

echo "== $(nproc) cores, $connections connections, ${seconds}s"
echo "-- baseline: GET /health/live"
wrk -t2 -c"$connections" -d"$((seconds / 2))s" --latency "http://127.0.0.1:$port/health/live" | grep -E "Requests/sec|50%|99%"
echo "-- warm-up (5 s, discarded)"
wrk -t2 -c"$connections" -d5s -s "$script" "http://127.0.0.1:$port/v2/transactions/EDGE-PATH" >/dev/null
echo "-- PUT /v2/transactions/EDGE-PATH: authenticated, parsed, refused (id mismatch)"
cpu() { awk '{print $14 + $15}' "/proc/$svc/stat"; }   # the service's user + system CPU, in clock ticks
cpu_before=$(cpu)
result=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port/v2/transactions/EDGE-PATH")
cpu_after=$(cpu)
echo "$result" | grep -E "Requests/sec|50%|99%|Non-2xx"
requests=$(echo "$result" | awk '/requests in/{print $1}')
# CPU per request is steadier than requests/s when the load generator shares the cores.
echo "service CPU per request: $(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / requests )) µs"
