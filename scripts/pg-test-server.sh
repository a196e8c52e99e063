#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite (loopback only, no durability).
#
#   scripts/pg-test-server.sh [start]   start (or reuse) it; prints ONLY the URL on stdout
#   scripts/pg-test-server.sh stop      stop it
#   scripts/pg-test-server.sh status    exit 0 if running
#
# Env: CRM_TEST_PG_DIR (default /tmp/crm-test-pg), CRM_TEST_PG_PORT (default 55432),
#      CRM_TEST_PG_BIN (PostgreSQL bin dir; default: newest /usr/lib/postgresql/*/bin).
# All logging goes to stderr; the server log is $CRM_TEST_PG_DIR/server.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-start}"
case "$cmd" in start|stop|status) ;; *) crm_die "usage: $0 [start|stop|status]" ;; esac

BASE="${CRM_TEST_PG_DIR:-/tmp/crm-test-pg}"
PORT="${CRM_TEST_PG_PORT:-55432}"
PGDATA_DIR="$BASE/data"
LOG="$BASE/server.log"

BIN="$(crm_pg_bindir)" || crm_die "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and PATH); install them with 'apt-get install postgresql' or set CRM_TEST_PG_BIN"

# initdb/pg_ctl refuse to run as root: run them as the postgres user then.
IS_ROOT=0
[ "$(id -u)" != 0 ] || IS_ROOT=1
if [ "$IS_ROOT" = 1 ]; then
  id postgres >/dev/null 2>&1 || crm_die "running as root but there is no 'postgres' user to run the server as"
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  as_pg() { "$@"; }
fi

pg_running() { as_pg "$BIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; }

if [ "$cmd" = status ]; then
  pg_running
  exit
fi

mkdir -p "$BASE"
if [ "$IS_ROOT" = 1 ]; then chown postgres: "$BASE"; fi

# Serialize concurrent invocations (e.g. parallel test runs).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$BASE/.lock"
  flock -w 120 9 || crm_die "timed out waiting for lock $BASE/.lock"
fi

if [ "$cmd" = stop ]; then
  if pg_running; then
    as_pg "$BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w 9>&- >&2
  else
    crm_log "test PostgreSQL server in $PGDATA_DIR is not running"
  fi
  exit 0
fi

if ! pg_running; then
  # (Re)create the cluster if missing, half-initialised or from another major version.
  want_ver="$("$BIN/pg_ctl" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
  if [ -d "$PGDATA_DIR" ] && [ "$(cat "$PGDATA_DIR/PG_VERSION" 2>/dev/null || true)" != "$want_ver" ]; then
    crm_log "removing stale/incompatible cluster in $PGDATA_DIR"
    rm -rf "$PGDATA_DIR"
  fi
  if [ ! -d "$PGDATA_DIR" ]; then
    crm_log "initialising test cluster in $PGDATA_DIR ($BIN)"
    as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust --no-sync \
      --encoding=UTF8 --locale=C >&2 ||
      { rm -rf "$PGDATA_DIR"; crm_die "initdb failed"; }
    echo "include_if_exists = 'crm-test.conf'" >>"$PGDATA_DIR/postgresql.conf"
  fi
  if [ "$IS_ROOT" = 1 ]; then chown -R postgres: "$PGDATA_DIR"; fi

  # Rewritten on every start so a changed port/dir takes effect.
  sock="${PGDATA_DIR//\'/\'\'}"
  cat >"$PGDATA_DIR/crm-test.conf" <<CONF
# Written by scripts/pg-test-server.sh -- test server only, NOT crash safe.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  if [ "$IS_ROOT" = 1 ]; then chown postgres: "$PGDATA_DIR/crm-test.conf"; fi

  crm_log "starting test PostgreSQL on 127.0.0.1:$PORT (log: $LOG)"
  # 9>&- : the postmaster must not inherit the lock fd.
  if ! as_pg "$BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG" -w -t 60 9>&- >&2; then
    tail -n 20 "$LOG" >&2 || true
    crm_die "could not start PostgreSQL (is port $PORT already in use? set CRM_TEST_PG_PORT)"
  fi
fi

# Use the port the server actually listens on (line 4 of postmaster.pid).
actual_port="$(sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
if [ -n "$actual_port" ] && [ "$actual_port" != "$PORT" ]; then
  crm_log "note: test server already running on port $actual_port (not $PORT); reusing it"
  PORT="$actual_port"
fi

psql_admin() {
  "$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"
}
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = 'crm'")" != 1 ]; then
  crm_log "creating role crm"
  psql_admin -c 'create role crm login superuser' >&2
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = 'crm_test'")" != 1 ]; then
  crm_log "creating database crm_test"
  psql_admin -c 'create database crm_test owner crm' >&2
fi

printf 'postgres://crm@127.0.0.1:%s/crm_test\n' "$PORT"
