# Sourced by the load scripts: builds the Release service and starts it on 127.0.0.1:$port with an
# empty ledger of the given provider (a temp SQLite file, or a throw-away PostgreSQL cluster).
#   service_start sqlite|postgres    sets svc (pid), work (temp dir), port, operator_key (a named admin key)
#   service_stop                     stops it and cleans up (installed as an EXIT trap)
#   sql "<statement>"                 one value from the running service's database
#   failing_receiver <port>          a receiver answering every POST with 501 at once (its pid in $receiver)
# ORIAN_LOAD_KEEP_LOG=<file>: append the database's log and the service's (its lines stamped with the
# time of day) to <file> at each stop, to set beside ORIAN_LOAD_TRACE's seconds.

. scripts/throwaway-postgres.sh
port=${ORIAN_LOAD_PORT:-5190}

service_start() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use (a service left over from an earlier run?); set ORIAN_LOAD_PORT or stop it"; exit 1
  fi
  # ORIAN_SERVICE_DIR: run a build made elsewhere (a ReadyToRun publish, say) instead of the Release build.
  [ -n "${ORIAN_SERVICE_DIR:-}" ] || dotnet build -c Release src/Orian.Service -v quiet -nologo >/dev/null
  work=$(mktemp -d /tmp/orian-load.XXXXXX)
  service_provider=$1
  trap service_stop EXIT
  case "$1" in
    sqlite) export Orian__Storage__Provider=sqlite Orian__Storage__ConnectionString="Data Source=$work/orian.db" ;;
    postgres)
      # ORIAN_PG_STATEMENTS=1: count the database's own work (pg_stat_statements), printed at the end.
      [ -n "${ORIAN_PG_STATEMENTS:-}" ] && export PG_EXTRA_OPTS="${PG_EXTRA_OPTS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top -c pg_stat_statements.track_planning=on"
      pg_start
      [ -n "${ORIAN_PG_STATEMENTS:-}" ] && "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
      export Orian__Storage__Provider=postgres Orian__Storage__ConnectionString="$PG_URL;Maximum Pool Size=20${ORIAN_PG_EXTRA:-}" ;;
    *) echo "provider must be sqlite or postgres"; exit 2 ;;
  esac
  export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__LogLevel__Orian=${ORIAN_LOG_LEVEL:-Warning}
  export Logging__Console__FormatterName=simple   # the readable lines the summary below counts (JSON is the default outside Development)
  # ORIAN_LOAD_KEEP_LOG=<file>: keep the service's log there, each line stamped with the time of day.
  [ -n "${ORIAN_LOAD_KEEP_LOG:-}" ] && export Logging__Console__FormatterOptions__TimestampFormat='HH:mm:ss.fff ' Logging__Console__FormatterOptions__UseUtcTimestamp=true
  export Orian__Ingress__Username=pps Orian__Ingress__Password=load-test-password Orian__Admin__ApiKey=load-test-operator-key
  # The payload hash key, required outside Development: a fresh one per run (the ledger is too).
  export Orian__CardData__HashKey="${ORIAN_LOAD_HASH_KEY:-$(head -c 32 /dev/urandom | base64)}"
  # The key ring that encrypts stored secrets, required outside Development: in the run's folder.
  export Orian__DataProtection__KeysFolder="$work/keys"
  # The load generator's webhook receiver listens on loopback over http: allowed for the run only.
  export Orian__Outbox__AllowInsecureHttp=true Orian__Outbox__AllowedPrivateNetworks=127.0.0.0/8
  dotnet "${ORIAN_SERVICE_DIR:-src/Orian.Service/bin/Release/net10.0}/Orian.Service.dll" --urls "http://127.0.0.1:$port" > "$work/service.log" 2>&1 &
  svc=$!
  for _ in $(seq 1 100); do
    kill -0 "$svc" 2>/dev/null || { echo "the service exited:"; cat "$work/service.log"; exit 1; }
    if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; then
      # The bootstrap key only creates named admin keys: make the one the load generator uses.
      operator_key=$(curl -sf -H 'X-Api-Key: load-test-operator-key' -H 'Content-Type: application/json' \
        -d '{"name":"load","roles":["orian-admin"]}' "http://127.0.0.1:$port/v1/api-keys" | sed 's/.*"private_key":"\([^"]*\)".*/\1/')
      [ -n "$operator_key" ] || { echo "could not create the load generator's operator key"; exit 1; }
      return 0
    fi
    sleep 0.2
  done
  echo "the service did not become ready:"; cat "$work/service.log"; exit 1
}

sql() {
  case "$service_provider" in
    sqlite) python3 -c "import sqlite3,sys; c = sqlite3.connect(sys.argv[1], timeout=30); r = c.execute(sys.argv[2]).fetchone(); c.commit(); print((r[0] if r else 0) or 0)" "$work/orian.db" "$1" ;;
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

service_stop() {
  [ -n "${svc:-}" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null
  svc=
  # What the service warned of during the run (a circuit opened, a lease lost...), counted by message.
  if [ -n "${work:-}" ] && grep -qE '^([0-9:.]+ )?(warn|fail|crit):' "$work/service.log"; then
    echo "== the service's warnings and errors (count, message)"
    # The message is the first line after the header that is not a scope (`=> SpanId:...`); awk, not
    # head, keeps the first eight, so no stage dies of a closed pipe (pipefail would stop the caller).
    awk '/^([0-9:.]+ )?(warn|fail|crit):/ { want = 1; next } want && !/^ *=>/ { want = 0; sub(/^ +/, ""); gsub(/[0-9]+ ms/, "N ms"); print }' "$work/service.log" |
      sort | uniq -c | sort -rn | awk 'NR <= 8'
  fi
  if [ -n "${ORIAN_PG_STATEMENTS:-}" ] && [ -n "${PG_URL:-}" ]; then
    echo "== the database's own work (pg_stat_statements, the whole run): calls, total ms, ms per call, rows, planning ms"
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT calls, round(total_exec_time::numeric, 1), round((total_exec_time / calls)::numeric, 3), rows, round(total_plan_time::numeric, 1), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
      FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 16" | column -t -s '|' || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'mean sizes: bodies ' || coalesce(round(avg(octet_length(raw_json))), 0) || ' B, payloads '
      || (SELECT coalesce(round(avg(octet_length(payload))), 0) FROM outbox_events) || ' B' FROM transaction_versions" || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'webhooks delivered: ' || count(*) FROM webhook_deliveries WHERE state = 'delivered'" || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'deadlocks: ' || deadlocks || ', temp files: ' || temp_files FROM pg_stat_database WHERE datname = 'postgres'" || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'checkpoints: ' || checkpoints_timed || ' timed, ' || checkpoints_req || ' asked for (WAL), '
      || round(checkpoint_write_time::numeric) || ' ms writing, ' || buffers_checkpoint || ' buffers' FROM pg_stat_bgwriter" || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'autovacuum: ' || coalesce(string_agg(relname || ' ' || autovacuum_count || '+' || autoanalyze_count, ', ' ORDER BY relname), 'none')
      FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0" || true
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U orian -d postgres -Atc "SELECT 'all statements: ' || sum(calls) || ' calls, ' || round(sum(total_exec_time)::numeric) || ' ms executing, ' || round(sum(total_plan_time)::numeric) || ' ms planning' FROM pg_stat_statements" || true
  fi
  if [ -n "${ORIAN_LOAD_KEEP_LOG:-}" ] && [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/log" ]; then
    { echo "== the database's log"; cat "$PG_DIR/log"; } >> "$ORIAN_LOAD_KEEP_LOG"
  fi
  pg_stop
  [ -n "${ORIAN_LOAD_KEEP_LOG:-}" ] && [ -n "${work:-}" ] && { echo "== the service's log"; cat "$work/service.log"; } >> "$ORIAN_LOAD_KEEP_LOG"
  [ -n "${work:-}" ] && rm -rf "$work"
  work=
}
