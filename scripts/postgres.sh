#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for FerretDB's PostgreSQL handler, sourced by scripts/ferretdb.sh.
# pg_start DIR PORT: initialises a cluster in DIR (trust auth, loopback only), starts it on PORT and
# creates the "ferretdb" database. pg_stop DIR: stops it. PostgreSQL refuses to run as root, so as root
# the cluster is owned by and run as the "postgres" user (or "nobody" where that user is missing).
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  local dir="$1" port="$2"
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL binaries not found (set PG_BIN to the directory holding initdb, pg_ctl, postgres)" >&2
    return 1
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
  fi
  pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  # No durability needed: the cluster lives as long as one test run.
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  pg_as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c 'CREATE DATABASE ferretdb' postgres >/dev/null
}

pg_stop() {
  local dir="$1"
  [ -d "$dir/data" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
}
