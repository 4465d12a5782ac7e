#!/usr/bin/env bash
# Installs grpcurl (@latest unless GRPCURL_VERSION says otherwise) into .tools/bin once, with Go, and prints the path of the binary. The grpcurl
# tests find it there, or take the path from GRPCURL: export GRPCURL="$(scripts/grpcurl.sh)".
set -euo pipefail
cd "$(dirname "$0")/.."
version="${GRPCURL_VERSION:-latest}"
bin="$PWD/.tools/bin"

if [ ! -x "$bin/grpcurl" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "grpcurl.sh: Go is needed to install grpcurl (https://go.dev/dl/)" >&2
    exit 1
  fi
  mkdir -p "$bin"
  GOBIN="$bin" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$version" >&2
fi
echo "$bin/grpcurl"
