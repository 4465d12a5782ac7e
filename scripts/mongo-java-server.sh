#!/usr/bin/env bash
# Builds (once; again when its sources change) and starts the MongoDB-semantics test server: the
# in-memory mongo-java-server 1.47.0 from Maven Central behind a small launcher of ours
# (scripts/mongo-java-server/), on 127.0.0.1. Prints MONGODB_URI=... when it listens and runs until
# killed. Test-only: the launcher reports wire version 13 so that the Node driver 7 accepts it (see
# TestServer.java). Needs Java 17+ and Maven.
#   --build-only   build and exit
#   --port=N       listen on N (default MONGO_JAVA_PORT, else a free port)
set -euo pipefail
cd "$(dirname "$0")/.."
src="scripts/mongo-java-server"
hash=$(cat "$src/pom.xml" "$src"/src/main/java/store/testserver/*.java | sha256sum | cut -c1-12)
home="$PWD/.tools/mongo-java-server-$hash"

if [ ! -f "$home/mongo-java-test-server-1.jar" ]; then
  build=$(mktemp -d)
  mvn -q -B -f "$src/pom.xml" -DbuildDir="$build" package >&2
  rm -rf "$home.tmp" && mkdir -p "$home.tmp"
  cp "$build/mongo-java-test-server-1.jar" "$home.tmp/" && cp -r "$build/lib" "$home.tmp/lib"
  # Builds of older sources are of no further use.
  find "$PWD/.tools" -maxdepth 1 -name 'mongo-java-server-*' ! -name "$(basename "$home").tmp" -exec rm -rf {} +
  rm -rf "$build" && mv "$home.tmp" "$home"
fi

port="${MONGO_JAVA_PORT:-0}"
for arg in "$@"; do
  case "$arg" in
    --build-only) exit 0 ;;
    --port=*) port="${arg#--port=}" ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
exec java -Xss1m -XX:+UseSerialGC -cp "$home/mongo-java-test-server-1.jar:$home/lib/*" store.testserver.TestServer --port="$port"
