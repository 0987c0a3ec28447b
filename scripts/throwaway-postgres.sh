# Sourced by scripts/test.sh and benchmarks/load/*.sh: a private PostgreSQL cluster on a free
# loopback port, its server binaries installed from Debian's packages when missing. PostgreSQL
# refuses to run as root, so as root its tools run as the 'postgres' user.
#   pg_plan      prints how the binaries are to be had: present, root (apt-get), sudo (sudo apt-get) or none
#   pg_install   installs them (as root, or through sudo)
#   pg_start     sets PG_URL (an Npgsql connection string), PG_PORT and PG_DIR; installs first if it can
#   pg_stop      stops the cluster and removes its files
# ORIAN_PG_ROOT (default /usr/lib/postgresql) is where Debian puts each version's bin/.

PG_ROOT=${ORIAN_PG_ROOT:-/usr/lib/postgresql}

pg_as() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

pg_plan() {
  if ls "$PG_ROOT"/*/bin/initdb >/dev/null 2>&1; then echo present
  elif [ "$(id -u)" = 0 ]; then echo root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then echo sudo
  else echo none
  fi
}

pg_install() {
  local as=""
  [ "$(pg_plan)" = sudo ] && as="sudo -n"
  echo "installing PostgreSQL's server binaries (apt-get install postgresql${as:+, through sudo})" >&2
  $as apt-get update -qq && $as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

pg_start() {
  case "$(pg_plan)" in
    present) ;;
    root|sudo) pg_install || return 1 ;;
    none) echo "PostgreSQL's server binaries are missing and this user cannot install them" >&2; return 1 ;;
  esac
  PG_BIN=$(ls -d "$PG_ROOT"/*/bin | sort -V | tail -n 1)
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
