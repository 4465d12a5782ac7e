#!/usr/bin/env bash
# Builds FerretDB 1.24.2 (cached in .tools/) and starts it with its SQLite handler on a loopback port.
# Prints the MONGODB_URI to use; stops the server when this script's process group ends.
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
port="${FERRETDB_PORT:-27018}"
data="${FERRETDB_DATA:-$tools/ferretdb-data}"

if [ ! -x "$bin" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1 && go get "github.com/FerretDB/FerretDB/cmd/ferretdb@$version" >&2)
  src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$version"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "$version" > "$work/src/build/version/version.txt"
  mkdir -p "$tools"
  (cd "$work/src" && go build -o "$bin" ./cmd/ferretdb)
fi

if [ "${1:-}" = "--build-only" ]; then exit 0; fi
mkdir -p "$data"
echo "MONGODB_URI=mongodb://127.0.0.1:$port/"
exec "$bin" --handler=sqlite --sqlite-url="file:$data/" --listen-addr="127.0.0.1:$port" \
  --debug-addr=- --telemetry=disable --log-level=warn
