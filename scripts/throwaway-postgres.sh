# Sourced by .ci/run and benchmarks/load/run.sh: a private PostgreSQL cluster on a free loopback
# port, installed from Debian's packages when missing. PostgreSQL refuses to run as root, so as
# root its tools run as the 'postgres' user.
#   pg_start   sets PG_URL (an Npgsql connection string), PG_PORT and PG_DIR
#   pg_stop    stops the cluster and removes its files

pg_as() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

pg_start() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing PostgreSQL" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/orian-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  PG_PORT=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
  pg_as "$PG_BIN/initdb -D $PG_DIR/data -U orian --auth=trust >/dev/null" || return 1
  pg_as "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_EXTRA_OPTS:-}' -l $PG_DIR/log -w start >/dev/null" \
    || { cat "$PG_DIR/log" >&2; return 1; }
  PG_URL="Host=127.0.0.1;Port=$PG_PORT;Username=orian;Database=postgres;Maximum Pool Size=50"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop >/dev/null 2>&1"
  rm -rf "$PG_DIR"
  PG_DIR=
}
