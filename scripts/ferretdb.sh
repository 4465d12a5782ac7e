#!/usr/bin/env bash
# Builds FerretDB 1.24.2 (cached in .tools/) and starts it with its PostgreSQL handler on a loopback port,
# over a throwaway PostgreSQL 15 cluster of its own (scripts/postgres.sh) unless FERRETDB_POSTGRESQL_URL
# names one. Prints FERRETDB_URI=... and FERRETDB_POSTGRESQL_URL=... when it listens; on SIGTERM/SIGINT it
# stops FerretDB and the cluster and removes the cluster's files.
#   --build-only   build and exit
# Environment: FERRETDB_PORT (default: a free port), PG_PORT (default: a free port).
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the Go module proxy here
# refuses FerretDB's version list (403), which `go install pkg@version` reads; and a binary built from the
# module zip panics at start because the zip lacks build/version/version.txt (a generated file). So this
# fetches the pinned module, copies it, writes that file as FerretDB's own `task gen-version` would, and
# builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.24.2
tools="$PWD/.tools"
bin="$tools/ferretdb-$version"

if [ ! -x "$bin" ]; then
  work=$(mktemp -d)
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1 && go get "github.com/FerretDB/FerretDB/cmd/ferretdb@$version" >&2)
  src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$version"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "$version" > "$work/src/build/version/version.txt"
  mkdir -p "$tools"
  (cd "$work/src" && go build -o "$bin.tmp" ./cmd/ferretdb) && mv "$bin.tmp" "$bin"
  rm -rf "$work"
fi
if [ "${1:-}" = "--build-only" ]; then exit 0; fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="${FERRETDB_PORT:-$(free_port)}"
pg_url="${FERRETDB_POSTGRESQL_URL:-}"
cluster=""
ferretdb_pid=""
cleanup() {
  [ -n "$ferretdb_pid" ] && kill "$ferretdb_pid" 2>/dev/null && wait "$ferretdb_pid" 2>/dev/null
  if [ -n "$cluster" ]; then pg_stop "$cluster"; rm -rf "$cluster"; fi
}
trap cleanup EXIT
trap 'exit 0' TERM INT

if [ -z "$pg_url" ]; then
  # shellcheck source=scripts/postgres.sh
  . scripts/postgres.sh
  cluster=$(mktemp -d -t ls-postgres-XXXXXX)
  pg_port="${PG_PORT:-$(free_port)}"
  pg_start "$cluster" "$pg_port"
  pg_url="postgres://postgres@127.0.0.1:$pg_port/ferretdb"
fi

"$bin" --handler=postgresql --postgresql-url="$pg_url" --listen-addr="127.0.0.1:$port" \
  --debug-addr=- --telemetry=disable --log-level=warn &
ferretdb_pid=$!
for _ in $(seq 1 100); do
  if node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$port"; then break; fi
  kill -0 "$ferretdb_pid" 2>/dev/null || { echo "FerretDB exited" >&2; exit 1; }
  sleep 0.2
done
echo "FERRETDB_URI=mongodb://127.0.0.1:$port/"
echo "FERRETDB_POSTGRESQL_URL=$pg_url"
wait "$ferretdb_pid"
