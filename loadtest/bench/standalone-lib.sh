# Shared by the benchmark scripts that run one standalone and wrk on this machine (sourced, not run).
# Before sourcing: PORT_BASE, JAVA_OPTS, repo. Gives EDGE_PORT, CONTROL_PORT, ADMIN_PORT, EDGE_ADMIN_PORT,
# need_wrk, start_standalone <work dir> <admin key> [VAR=value …] (sets java_pid, waits until ready) and the
# clean-up of that process on exit.

EDGE_PORT=$PORT_BASE CONTROL_PORT=$((PORT_BASE + 1)) ADMIN_PORT=$((PORT_BASE + 2)) EDGE_ADMIN_PORT=$((PORT_BASE + 3))
java_pid=
cleanup() { [ -n "$java_pid" ] && kill "$java_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# wrk from Debian's packages when missing and run as root; exit 2 otherwise.
need_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
    fi
    command -v wrk >/dev/null 2>&1 || { echo "missing wrk: install the Debian package wrk" >&2; exit 2; }
  fi
}

start_standalone() {
  local work=$1 key=$2
  shift 2
  local jar="$repo/standalone/target/ota-standalone.jar"
  [ -f "$jar" ] || (cd "$repo" && ./mvnw -B -q -DskipTests package)
  env "$@" OTA_DATA_DIR="$work/data" OTA_EDGE_PORT=$EDGE_PORT OTA_CONTROL_PORT=$CONTROL_PORT OTA_ADMIN_PORT=$ADMIN_PORT \
    OTA_EDGE_ADMIN_PORT=$EDGE_ADMIN_PORT OTA_ADMIN_KEY="$key" OTA_LOG_LEVEL=WARN \
    java $JAVA_OPTS -jar "$jar" > "$work/standalone.log" 2>&1 &
  java_pid=$!
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/health/ready" && return 0
    kill -0 "$java_pid" 2>/dev/null || { cat "$work/standalone.log"; exit 1; }
    sleep 0.2
  done
  echo "the standalone was not ready in 30 s (log: $work/standalone.log)" >&2
  exit 1
}
