#!/usr/bin/env bash
# Throughput of the device check path: OneNET checks with token issue, against the standalone and
# its embedded Redis, load generator (wrk) on the same machine. See docs/BENCHMARKS.md.
#
#   loadtest/bench/check-throughput.sh
#
# Environment: DURATION (30s), WARMUP (10s of the same load first, not counted: the JIT compiles
# the check path then; 0 = none), CONNS (64), DEVICES (10000 distinct devices: the first check of each
# issues a token, later ones reuse it), JAVA_OPTS (-Xms1g -Xmx1g), REDIS_URI (empty: the standalone's embedded
# Redis; else its OTA_REDIS_URI, e.g. a redis-cluster:// URI: see cluster-vs-single.sh), RANGE_DURATION (0: none;
# else random 1 KiB ranges of the 1 MiB firmware from the edge with one token, CONNS connections, after the checks,
# with their own WARMUP first), PORT_BASE (19080: the edge's port; control's device, admin and the edge's admin port
# follow it, so two builds can run side by side).
# Needs wrk (installed from Debian's packages when missing and run as root), a JDK 17+.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
CONNS=${CONNS:-64}
export DEVICES=${DEVICES:-10000}
JAVA_OPTS=${JAVA_OPTS:-"-Xms1g -Xmx1g"}
REDIS_URI=${REDIS_URI:-}
RANGE_DURATION=${RANGE_DURATION:-0}
PORT_BASE=${PORT_BASE:-19080}

. "$here/standalone-lib.sh"
need_wrk
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/ota-check-bench-XXXXXX)

# The device API's rate limits off: wrk is one source address and each device checks many times a second, which the
# limits rightly refuse (a real fleet spreads over addresses and checks every few hours); this measures the check.
start_standalone "$work" bench-admin-key-loopback-only-7f3a OTA_REDIS_URI="$REDIS_URI" OTA_RATE_ADDRESS_PER_SECOND=0 \
  OTA_RATE_DEVICE_PER_MINUTE=0
A="Authorization: Bearer bench-admin-key-loopback-only-7f3a" ADMIN="http://127.0.0.1:$ADMIN_PORT/admin/v1"
curl -sf -H "$A" -d '{"productId":"bench","name":"Bench"}' "$ADMIN/products" >/dev/null
head -c 1048576 /dev/urandom > "$work/fw.bin"
fw=$(curl -sf -H "$A" --data-binary @"$work/fw.bin" "$ADMIN/products/bench/firmwares?version=9.9.9&fileName=fw.bin" \
     | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -sf -H "$A" -d "{\"firmwareId\":\"$fw\"}" "$ADMIN/products/bench/tasks" >/dev/null
AUTH=$(curl -sf -H "$A" -d '{"expiresIn":"PT2H"}' "$ADMIN/products/bench/onenet-authorization" \
       | sed -E 's/.*"authorization":"([^"]+)".*/\1/')
export AUTH
url="http://127.0.0.1:$CONTROL_PORT"
# One check by hand, so a broken set-up fails here and not as a fast stream of errors.
curl -sf -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
  -d '{"dev_id":1,"manuf":"China Mobile","model":"M5310","type":1,"version":"1.0","cdn":false}' "$url/ota/south/check" \
  | grep -q '"errno":0' || { echo "the set-up check was not offered an upgrade" >&2; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1)"
if [ "$WARMUP" != 0 ]; then
  echo "== warm-up: $WARMUP of the same load, not counted"
  wrk -t2 -c"$CONNS" -d"$WARMUP" -s "$here/onenet-check.lua" "$url" > "$work/warmup.txt"
fi
[ -n "${BENCH_HOOK:-}" ] && BENCH_PID=$java_pid bash -c "$BENCH_HOOK"
echo "== OneNET checks with token issue: $CONNS connections, $DEVICES devices, $DURATION"
c0=$(awk '{print $14+$15}' /proc/"$java_pid"/stat)
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$here/onenet-check.lua" "$url" | tee "$work/wrk.txt"
c1=$(awk '{print $14+$15}' /proc/"$java_pid"/stat)
n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
refused=$(awk -F': ' '/not offered/ {print $2}' "$work/wrk.txt")
[ "${refused:-0}" = 0 ] || echo "WARNING: $refused checks were not offered an upgrade: the figures below mix their refusals in" >&2
echo "checks/s: $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")  p99: $(awk '$1=="99%" {print $2}' "$work/wrk.txt")  control CPU per check: $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f us", (b-a)/hz*1e6/n }')"
tokens=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '/^ota_control_tokens_issued_total/ {print $2}')
echo "tokens issued (new): ${tokens:-?}"
if [ "$RANGE_DURATION" != 0 ]; then
  token=$(curl -sf -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
    -d '{"dev_id":1,"manuf":"China Mobile","model":"M5310","type":1,"version":"1.0","cdn":false}' "$url/ota/south/check" \
    | sed -E 's/.*"token":"([^"]+)".*/\1/')
  edge_url="http://127.0.0.1:$EDGE_PORT/ota/download/$token"
  curl -s -o "$work/check.bin" -w '%{http_code}\n' "$edge_url" > "$work/check.status"
  cmp -s "$work/check.bin" "$work/fw.bin" \
    || { echo "edge did not serve the firmware for $edge_url: HTTP $(cat "$work/check.status")" >&2; exit 1; }
  if [ "$WARMUP" != 0 ]; then
    echo "== warm-up: $WARMUP of the same ranges, not counted"
    FILE_SIZE=1048576 wrk -t2 -c"$CONNS" -d"$WARMUP" -s "$here/random-1k-range.lua" "$edge_url" > "$work/range-warmup.txt"
  fi
  echo "== random 1 KiB ranges from the edge, one token: $CONNS connections, $RANGE_DURATION"
  FILE_SIZE=1048576 wrk -t2 -c"$CONNS" -d"$RANGE_DURATION" --latency -s "$here/random-1k-range.lua" "$edge_url" | tee "$work/range.txt"
  grep -q "Non-2xx" "$work/range.txt" && { echo "some ranges were not answered 206" >&2; exit 1; }
  echo "ranges/s: $(awk '/Requests\/sec/ {print $2}' "$work/range.txt")  p99: $(awk '$1=="99%" {print $2}' "$work/range.txt")"
fi
