#!/usr/bin/env bash
# The capacity measurement behind docs/CAPACITY.md: devices of all five dialects check in, download
# (whole and by 1 KiB ranges) and report progress, batch by batch; for each batch, what Redis did per
# operation (round trips, commands inside scripts, CPU, memory), then MEMORY USAGE of every key kind.
# The probe is io.otaedge.loadtest.capacity.CapacityProbe (loadtest's test classes); it prints Markdown.
#
#   loadtest/bench/capacity.sh                       # starts the standalone (embedded Redis), ~2 minutes
#   DEVICES=500 loadtest/bench/capacity.sh           # a quicker look
#   REDIS_URI=redis://10.0.0.5:6379 DEVICE_URL=http://control:8081 EDGE_URL=http://edge:8080 \
#     ADMIN_URL=http://control:8082 ADMIN_KEY=… loadtest/bench/capacity.sh    # a running system
#
# Environment: DEVICES per dialect (2000), CONCURRENCY (16), FIRMWARE_KIB (64), RANGES (16), WATCH
# (devices per batch under MONITOR, 50), IDLE_SECONDS (5), TOKEN_CACHE_MS (the edges'
# OTA_EDGE_TOKEN_CACHE_TTL, 2000), OUT (a file to copy the report to),
# JAVA_OPTS of the standalone (-Xms1g -Xmx1g). REDIS_URI takes any form of OTA_REDIS_URI, the
# cluster form included (the probe sums INFO over the masters and asks each key's owner).
# A running system must not rate-limit the probe's address (OTA_RATE_ADDRESS_PER_SECOND=0) and
# should run OTA_TASK_METRICS_INTERVAL=PT1H, so the task gauges' periodic reads stay out of the batches.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DEVICES=${DEVICES:-2000}
CONCURRENCY=${CONCURRENCY:-16}
FIRMWARE_KIB=${FIRMWARE_KIB:-64}
RANGES=${RANGES:-16}
WATCH=${WATCH:-50}
IDLE_SECONDS=${IDLE_SECONDS:-5}
TOKEN_CACHE_MS=${TOKEN_CACHE_MS:-2000}
JAVA_OPTS=${JAVA_OPTS:-"-Xms1g -Xmx1g"}

jar="$repo/standalone/target/ota-standalone.jar"
classes="$repo/loadtest/target/test-classes"
if [ ! -f "$jar" ] || [ ! -f "$classes/io/otaedge/loadtest/capacity/CapacityProbe.class" ]; then
  (cd "$repo" && ./mvnw -B -q -DskipTests -pl standalone,loadtest -am package)
fi
label="$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$repo" && git diff --quiet HEAD 2>/dev/null || echo '+changes')"

work=$(mktemp -d /tmp/ota-capacity-XXXXXX)
java_pid=
# The report stays in $work; the standalone's data (Redis AOF, blobs) goes with it.
cleanup() { [ -n "$java_pid" ] && kill "$java_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work/data"; }
trap cleanup EXIT

if [ -z "${REDIS_URI:-}" ]; then
  ADMIN_KEY=capacity-admin-key-loopback-only-5c2e
  OTA_DATA_DIR="$work/data" OTA_EDGE_PORT=0 OTA_CONTROL_PORT=0 OTA_ADMIN_PORT=0 OTA_EDGE_ADMIN_PORT=0 \
    OTA_ADMIN_KEY=$ADMIN_KEY OTA_LOG_LEVEL=WARN OTA_RATE_ADDRESS_PER_SECOND=0 OTA_TASK_METRICS_INTERVAL=PT1H \
    java $JAVA_OPTS -jar "$jar" > "$work/standalone.log" 2>&1 &
  java_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^  data directory' "$work/standalone.log" 2>/dev/null && break
    kill -0 "$java_pid" 2>/dev/null || { cat "$work/standalone.log"; exit 1; }
    sleep 0.2
  done
  banner() { sed -nE "s#^  $1 +([^ ]+).*#\\1#p" "$work/standalone.log" | head -1; }
  EDGE_URL=$(banner 'edge \(downloads\)' | sed -E 's#(http://[^/]+).*#\1#')
  DEVICE_URL=$(banner 'control \(devices\)' | sed -E 's#(http://[^/]+).*#\1#')
  ADMIN_URL=$(banner 'admin API' | sed -E 's#(http://[^/]+).*#\1#')
  REDIS_URI=$(banner 'redis')
  [ -n "$EDGE_URL" ] && [ -n "$DEVICE_URL" ] && [ -n "$ADMIN_URL" ] && [ -n "$REDIS_URI" ] \
    || { echo "could not read the standalone's banner:" >&2; cat "$work/standalone.log" >&2; exit 1; }
fi
: "${DEVICE_URL:?set DEVICE_URL (control device port) with REDIS_URI}" "${EDGE_URL:?set EDGE_URL}" \
  "${ADMIN_URL:?set ADMIN_URL}" "${ADMIN_KEY:?set ADMIN_KEY}"

machine="machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$machine" >&2
{ echo "<!-- loadtest/bench/capacity.sh, DEVICES=$DEVICES CONCURRENCY=$CONCURRENCY FIRMWARE_KIB=$FIRMWARE_KIB RANGES=$RANGES; $machine -->"
java -Xmx512m -cp "$classes:$jar" \
  -Dota.redisUri="$REDIS_URI" -Dota.deviceUrl="$DEVICE_URL" -Dota.edgeUrl="$EDGE_URL" -Dota.adminUrl="$ADMIN_URL" \
  -Dota.adminKey="$ADMIN_KEY" -Dota.devices="$DEVICES" -Dota.concurrency="$CONCURRENCY" -Dota.firmwareKiB="$FIRMWARE_KIB" \
  -Dota.ranges="$RANGES" -Dota.watch="$WATCH" -Dota.idleSeconds="$IDLE_SECONDS" -Dota.label="$label" \
  -Dota.tokenCacheMs="$TOKEN_CACHE_MS" \
  io.otaedge.loadtest.capacity.CapacityProbe; } | tee "$work/report.md"
[ -n "${OUT:-}" ] && cp "$work/report.md" "$OUT"
echo "report: $work/report.md" >&2
