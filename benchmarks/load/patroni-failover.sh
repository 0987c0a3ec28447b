#!/usr/bin/env bash
# Managed failover, measured: the deploy/cluster configuration brought up on loopback ports of this
# machine (one etcd, three PostgreSQL nodes under Patroni with synchronous_mode_strict, HAProxy in
# front of them and of two Orian instances), driven by PPS-style load (every event re-sent until
# answered 200) while the script
#   1. kills the whole leader node (its Patroni and its PostgreSQL, every process, kill -9) and lets
#      Patroni elect the synchronous standby,
#   2. then kills one Orian instance (kill -9), the other carrying the load through HAProxy,
# and prints what the load generator saw: events acknowledged and lost, balances against its oracle,
# and for each kill the time to the first acknowledgement of a request sent after it (the RTO).
#   benchmarks/load/patroni-failover.sh [runs] [seconds] [concurrency]     (default 1 run, 70 s, 32 senders)
#   ORIAN_PATRONI_DEFAULTS=1 ...   the same with Patroni's default ttl, loop_wait and retry_timeout, slots on
# Not part of the test command: it installs Patroni, etcd and HAProxy from Debian's packages if missing
# (a demonstration on loopback: each run's random passwords pass on su's command line, which local
# users can read; a deployment gives them to Patroni from a file, as systemd's EnvironmentFile does)
# and takes about two minutes a run.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-1}
seconds=${2:-70}
concurrency=${3:-32}
[ "$(id -u)" = 0 ] || { echo "run as root: PostgreSQL and Patroni run as the postgres user"; exit 2; }

missing=""
for tool in patroni etcd haproxy; do command -v "$tool" >/dev/null || missing=1; done
if [ -n "$missing" ]; then
  echo "installing Patroni, etcd and HAProxy (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends patroni etcd-server etcd-client haproxy postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

dotnet build -c Release src/Orian.Service -v quiet -nologo >/dev/null
dotnet build -c Release benchmarks/Orian.LoadGen -v quiet -nologo >/dev/null

for port in 2479 2480 5000 5080 5081 5082 5441 5442 5443 8441 8442 8443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use (a cluster left from an earlier run?)"; exit 1; fi
done

ms() { date +%s%3N; }

# Every process of a node: its Patroni, its postmaster and the postmaster's children, in one kill.
node_pids() {
  local n=$1 pids
  pids=$(pgrep -f "patroni $work/node$n.yml" || true)
  if [ -f "$work/node$n/postmaster.pid" ]; then
    local postmaster
    postmaster=$(head -n 1 "$work/node$n/postmaster.pid")
    pids="$pids $postmaster $(pgrep -P "$postmaster" || true)"
  fi
  echo $pids
}

leader() {
  for n in 1 2 3; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:844$n/primary" || true)" = 200 ] && { echo "$n"; return 0; }
  done
  return 1
}

cleanup() {
  set +e
  [ -n "${orian_pids:-}" ] && kill $orian_pids 2>/dev/null
  [ -f "${work:-/nonexistent}/haproxy.pid" ] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null
  for n in 1 2 3; do pids=$(node_pids $n 2>/dev/null); [ -n "$pids" ] && kill -9 $pids 2>/dev/null; done
  [ -n "${etcd_pid:-}" ] && kill "$etcd_pid" 2>/dev/null
  wait 2>/dev/null
  [ -n "${work:-}" ] && [ -z "${ORIAN_KEEP_CLUSTER:-}" ] && rm -rf "$work"
  work=
  orian_pids=
  etcd_pid=
}
trap cleanup EXIT

run_once() {
  work=$(mktemp -d /tmp/orian-cluster.XXXXXX)
  chown postgres "$work"
  local secret; secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  local db_password="orian-$secret"

  etcd --name e1 --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:2479 --advertise-client-urls http://127.0.0.1:2479 \
    --listen-peer-urls http://127.0.0.1:2480 --initial-advertise-peer-urls http://127.0.0.1:2480 --initial-cluster e1=http://127.0.0.1:2480 \
    > "$work/etcd.log" 2>&1 &
  etcd_pid=$!

  # The configuration as deployed, the post-bootstrap script where Patroni will look for it.
  sed "s|/etc/patroni/orian-post-bootstrap.sh|$work/post-bootstrap.sh|" deploy/cluster/patroni.yml > "$work/patroni.yml"
  if [ -n "${ORIAN_PATRONI_DEFAULTS:-}" ]; then   # for comparison: Patroni's own timings, slots on
    sed -i 's/^    ttl: 10$/    ttl: 30/; s/^    loop_wait: 2$/    loop_wait: 10/; s/^    retry_timeout: 4$/    retry_timeout: 10/; s/^      use_slots: false$/      use_slots: true/' "$work/patroni.yml"
  fi
  cp deploy/cluster/post-bootstrap.sh "$work/post-bootstrap.sh"
  cp deploy/cluster/haproxy.cfg "$work/haproxy.cfg"
  chown postgres "$work"/patroni.yml "$work"/post-bootstrap.sh
  for n in 1 2 3; do
    cp "$work/patroni.yml" "$work/node$n.yml"; chown postgres "$work/node$n.yml"
    su postgres -s /bin/bash -c "cd $work && env PATRONI_NAME=node$n \
      PATRONI_RESTAPI_LISTEN=127.0.0.1:844$n PATRONI_RESTAPI_CONNECT_ADDRESS=127.0.0.1:844$n \
      PATRONI_POSTGRESQL_LISTEN=127.0.0.1:544$n PATRONI_POSTGRESQL_CONNECT_ADDRESS=127.0.0.1:544$n \
      PATRONI_POSTGRESQL_DATA_DIR=$work/node$n PATRONI_POSTGRESQL_PGPASS=$work/pgpass$n PATRONI_POSTGRESQL_BIN_DIR=$PG_BIN \
      PATRONI_ETCD3_HOSTS=127.0.0.1:2479 \
      PATRONI_SUPERUSER_PASSWORD=su-$secret PATRONI_REPLICATION_PASSWORD=rep-$secret PATRONI_REWIND_PASSWORD=rw-$secret \
      ORIAN_DB_PASSWORD=$db_password \
      nohup patroni $work/node$n.yml > $work/node$n.log 2>&1 &" < /dev/null > /dev/null 2>&1
    [ "$n" = 1 ] && sleep 3   # node1 bootstraps the cluster; the others clone it
  done

  local waited=0
  until leader >/dev/null && [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8442/sync || true)$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8443/sync || true)" != "503503" ]; do
    sleep 1; waited=$((waited + 1))
    [ $waited -lt 120 ] || { echo "the cluster did not come up:"; tail -n 20 "$work"/node*.log; exit 1; }
  done
  haproxy -f "$work/haproxy.cfg" -D -p "$work/haproxy.pid"

  export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__Console__FormatterName=simple
  export Orian__Storage__Provider=postgres
  export Orian__Storage__ConnectionString="Host=127.0.0.1;Port=5000;Username=orian;Password=$db_password;Database=orian;Timeout=2;Maximum Pool Size=50"
  export Orian__Ingress__Username=pps Orian__Ingress__Password=load-test-password Orian__Admin__ApiKey=load-test-operator-key
  export Orian__CardData__HashKey="$(head -c 32 /dev/urandom | base64)"
  export Orian__DataProtection__KeysFolder="$work/keys"   # shared by both instances
  orian_pids=""
  for i in 1 2; do
    dotnet src/Orian.Service/bin/Release/net10.0/Orian.Service.dll --urls "http://127.0.0.1:508$i" > "$work/orian$i.log" 2>&1 &
    orian_pids="$orian_pids $!"
    eval "orian$i=$!"
    until curl -sf "http://127.0.0.1:508$i/health/ready" >/dev/null; do
      kill -0 "$(eval echo \$orian$i)" 2>/dev/null || { echo "Orian $i exited:"; cat "$work/orian$i.log"; exit 1; }
      sleep 0.3
    done
  done
  until curl -sf http://127.0.0.1:5080/health/ready >/dev/null; do sleep 0.3; done
  local operator_key
  operator_key=$(curl -sf -H 'X-Api-Key: load-test-operator-key' -H 'Content-Type: application/json' \
    -d '{"name":"failover","roles":["orian-admin"]}' http://127.0.0.1:5080/v1/api-keys | sed 's/.*"private_key":"\([^"]*\)".*/\1/')

  local first_leader; first_leader=$(leader)
  echo "cluster up: leader node$first_leader, synchronous standby $(curl -s http://127.0.0.1:844$first_leader/cluster | grep -o '"name": *"node[0-9]", *"role": *"sync_standby"' | grep -o 'node[0-9]' || echo '?'); Orian on :5081 and :5082 behind :5080"
  : > "$work/marks"
  dotnet benchmarks/Orian.LoadGen/bin/Release/net10.0/Orian.LoadGen.dll pps http://127.0.0.1:5080 pps:load-test-password "$operator_key" \
    "$seconds" "$concurrency" "$work/marks" > "$work/load.out" 2>&1 &
  local load=$!

  sleep $((seconds * 2 / 7))
  local doomed; doomed=$(node_pids "$first_leader")
  kill -9 $doomed
  echo "kill-leader $(ms)" >> "$work/marks"   # after the kill: a request sent later cannot reach the old leader
  echo "killed node$first_leader (pids $doomed)"
  local new_leader=""
  for _ in $(seq 1 120); do new_leader=$(leader || true); [ -n "$new_leader" ] && [ "$new_leader" != "$first_leader" ] && break; sleep 0.5; done
  echo "new leader: node${new_leader:-none}, seen $(( $(ms) - $(tail -n 1 "$work/marks" | cut -d' ' -f2) )) ms after the kill"

  sleep $((seconds * 3 / 7))
  kill -9 "$orian1"
  echo "kill-orian1 $(ms)" >> "$work/marks"
  echo "killed Orian 1 (pid $orian1); Orian 2 carries the load"
  orian_pids="$orian2"

  wait "$load" || true
  cat "$work/load.out"
  echo "Patroni's view after the run:"
  PATRONI_ETCD3_HOSTS=127.0.0.1:2479 timeout 10 patronictl -c "$work/node$new_leader.yml" list 2>/dev/null | sed 's/^/  /' || true
  cleanup
}

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs ($seconds s, $concurrency senders)"
  run_once
done
