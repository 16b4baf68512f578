# SPDX-License-Identifier: MIT
# Sourced by demo.sh and tests/postgres: a throwaway PostgreSQL server holding the demo CRM.
#   pg_start   initdb into a temporary folder, start the server on a Unix socket there (no TCP,
#              trust authentication for the superuser `downline`), create database `crm`, export
#              PGHOST/PGUSER/PGDATABASE for psql and PG_CONNINFO for libpq programs, and stop and
#              delete everything when the shell exits.
# The server refuses to run as root: as root it runs as the `postgres` user (else `nobody`).

pg_bin_dir() {
  local dir
  for dir in ${PG_BIN:-} /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  echo "PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install postgresql, or set PG_BIN" >&2
  return 1
}

pg_as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_SERVER_USER" -- "$@"; else "$@"; fi
}

pg_stop() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ]; then
    if [ -f "$PG_TMP/data/postmaster.pid" ]; then
      pg_as_server_user "$PG_BIN_DIR/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
  fi
}

pg_start() {
  PG_BIN_DIR=$(pg_bin_dir) || return 1
  PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/downline-pg.XXXXXX")
  trap pg_stop EXIT
  if [ "$(id -u)" = 0 ]; then
    PG_SERVER_USER=postgres
    id "$PG_SERVER_USER" >/dev/null 2>&1 || PG_SERVER_USER=nobody
    chown "$PG_SERVER_USER" "$PG_TMP"
  fi
  if ! pg_as_server_user "$PG_BIN_DIR/initdb" -D "$PG_TMP/data" -U downline --auth=trust -E UTF8 --locale=C \
      >"$PG_TMP/initdb.log" 2>&1; then
    cat "$PG_TMP/initdb.log" >&2
    return 1
  fi
  if ! pg_as_server_user "$PG_BIN_DIR/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -s \
      -o "-k $PG_TMP -c listen_addresses=''" start; then
    cat "$PG_TMP/server.log" >&2
    return 1
  fi
  export PGHOST=$PG_TMP PGUSER=downline PGDATABASE=postgres
  psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE crm' >/dev/null || return 1
  export PGDATABASE=crm
  export PG_CONNINFO="host=$PG_TMP user=downline dbname=crm"
}

# Creates the tables of schema.sql and loads examples/data/demo (members, January's orders) and
# this folder's February orders, with the periods 2026-01 and 2026-02. The files carry downline's
# column names; COPY keeps file order.
crm_load_demo() {
  local here data
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  data=$here/../data/demo
  local orders="\\copy orders (member_id, amount, volume, kind, ordered_on, order_no)"
  psql -q -X -v ON_ERROR_STOP=1 -f "$here/schema.sql" &&
  psql -q -X -v ON_ERROR_STOP=1 -c "\\copy members (id, sponsor_id, joined) FROM '$data/network.csv' CSV HEADER" &&
  psql -q -X -v ON_ERROR_STOP=1 -c "$orders FROM '$data/sales.csv' CSV HEADER" &&
  psql -q -X -v ON_ERROR_STOP=1 -c "$orders FROM '$here/orders-2026-02.csv' CSV HEADER" &&
  psql -q -X -v ON_ERROR_STOP=1 \
    -c "INSERT INTO commission_periods (period_id, starts_on, ends_on)
        VALUES ('2026-01', '2026-01-01', '2026-01-31'), ('2026-02', '2026-02-01', '2026-02-28')"
}
