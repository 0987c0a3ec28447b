#!/bin/sh
# Run once by Patroni on the first leader, after initdb: Orian's own role and database (Orian creates
# its tables itself at start-up). $1 is a connection string to the new cluster as its superuser.
set -eu
: "${ORIAN_DB_PASSWORD:?set ORIAN_DB_PASSWORD, the password of the orian role}"
psql "$1" -v ON_ERROR_STOP=1 -v password="$ORIAN_DB_PASSWORD" <<'SQL'
CREATE ROLE orian LOGIN PASSWORD :'password';
CREATE DATABASE orian OWNER orian;
\c orian
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT pg_read_all_stats TO orian;
SQL
