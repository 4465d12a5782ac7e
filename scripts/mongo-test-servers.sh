# Sourced (not run): functions that start both MongoDB test servers in the background and export their URIs.
#   source scripts/mongo-test-servers.sh
#   start_mongo_test_servers                # builds on first use, then starts both and exports:
#     MONGODB_URI              mongo-java-server 1.47 (MongoDB semantics, in memory): conformance, scale-out
#     FERRETDB_URI             FerretDB 1.24 on a throwaway PostgreSQL 15 cluster: conformance, stall tests
#     FERRETDB_POSTGRESQL_URL  that cluster (the connection-loss test runs a FerretDB of its own over it)
#   stop_mongo_test_servers                 # stops both and removes the cluster and the logs
# Logs are in $MONGO_TEST_SERVERS_LOGS. Fails (returns 1) when a server does not come up within 60 s.

mongo_test_servers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Waits until `file` has a line KEY=VALUE and prints VALUE; fails when `pid` exits first or after 60 s.
_await_printed() {
  local file="$1" key="$2" pid="$3"
  for _ in $(seq 1 300); do
    local line
    line=$(grep -m1 "^$key=" "$file" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line#"$key="}"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "the server printing $key exited:" >&2; cat "$file" >&2; return 1; fi
    sleep 0.2
  done
  echo "no $key within 60 s:" >&2
  cat "$file" >&2
  return 1
}

stop_mongo_test_servers() {
  local pid
  for pid in ${MONGO_JAVA_PID:-} ${FERRETDB_SCRIPT_PID:-}; do
    kill "$pid" 2>/dev/null || true
    # ferretdb.sh stops PostgreSQL on its way out; wait so that the cluster is gone on return.
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  [ -n "${MONGO_TEST_SERVERS_LOGS:-}" ] && rm -rf "$MONGO_TEST_SERVERS_LOGS"
  unset MONGO_JAVA_PID FERRETDB_SCRIPT_PID MONGO_TEST_SERVERS_LOGS
}

start_mongo_test_servers() {
  bash "$mongo_test_servers_dir/mongo-java-server.sh" --build-only || return 1
  bash "$mongo_test_servers_dir/ferretdb.sh" --build-only || return 1
  MONGO_TEST_SERVERS_LOGS=$(mktemp -d -t ls-mongo-servers-XXXXXX)
  bash "$mongo_test_servers_dir/mongo-java-server.sh" >"$MONGO_TEST_SERVERS_LOGS/mongo-java.log" 2>&1 &
  MONGO_JAVA_PID=$!
  bash "$mongo_test_servers_dir/ferretdb.sh" >"$MONGO_TEST_SERVERS_LOGS/ferretdb.log" 2>&1 &
  FERRETDB_SCRIPT_PID=$!
  MONGODB_URI=$(_await_printed "$MONGO_TEST_SERVERS_LOGS/mongo-java.log" MONGODB_URI "$MONGO_JAVA_PID") || return 1
  FERRETDB_URI=$(_await_printed "$MONGO_TEST_SERVERS_LOGS/ferretdb.log" FERRETDB_URI "$FERRETDB_SCRIPT_PID") || return 1
  FERRETDB_POSTGRESQL_URL=$(_await_printed "$MONGO_TEST_SERVERS_LOGS/ferretdb.log" FERRETDB_POSTGRESQL_URL "$FERRETDB_SCRIPT_PID") || return 1
  export MONGODB_URI FERRETDB_URI FERRETDB_POSTGRESQL_URL MONGO_TEST_SERVERS_LOGS
  echo "MongoDB-semantics server (mongo-java-server): MONGODB_URI=$MONGODB_URI"
  echo "FerretDB on PostgreSQL: FERRETDB_URI=$FERRETDB_URI (FERRETDB_POSTGRESQL_URL=$FERRETDB_POSTGRESQL_URL)"
}
