#!/usr/bin/env bash
# What an API key costs per admin request: the same admin read (GET /admin/v1/products?limit=10) with the
# bootstrap key (compared in memory) and with an API key (one HGETALL of its record + a SHA-256 per request, no
# cache, so a revocation holds at once), alternated in one run against one standalone. See docs/BENCHMARKS.md.
#
#   loadtest/bench/admin-auth.sh
#
# Environment: WARMUP (15s of each kind first, not counted), DURATION (10s per round), ROUNDS (4), CONNS (16),
# JAVA_OPTS (-Xms1g -Xmx1g), PORT_BASE (19180: edge; control's device, admin and the edge's admin port follow).
# Needs wrk (installed from Debian's packages when missing and run as root), a JDK 17+.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-4}
CONNS=${CONNS:-16}
JAVA_OPTS=${JAVA_OPTS:-"-Xms1g -Xmx1g"}
PORT_BASE=${PORT_BASE:-19180}

. "$here/standalone-lib.sh"
need_wrk

work=$(mktemp -d /tmp/ota-auth-bench-XXXXXX)

BOOT=bench-admin-key-loopback-only-7f3a
start_standalone "$work" "$BOOT"
ADMIN="http://127.0.0.1:$ADMIN_PORT/admin/v1"
for i in $(seq 1 20); do
  curl -sf -H "Authorization: Bearer $BOOT" -d "{\"productId\":\"bench-$i\",\"name\":\"Bench $i\"}" "$ADMIN/products" >/dev/null
done
API=$(curl -sf -H "Authorization: Bearer $BOOT" -d '{"name":"bench","role":"viewer"}' "$ADMIN/keys" \
      | sed -E 's/.*"key":"([^"]+)".*/\1/')
url="$ADMIN/products?limit=10"
for k in "$BOOT" "$API"; do # a wrong key would measure the 401 path: fail here instead
  curl -sf -o /dev/null -H "Authorization: Bearer $k" "$url" || { echo "the set-up read was refused" >&2; exit 1; }
done

run() { # kind key duration -> wrk output in $work/<kind>.txt
  wrk -t2 -c"$CONNS" -d"$3" --latency -H "Authorization: Bearer $2" "$url" > "$work/$1.txt"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1)"
echo "== warm-up: $WARMUP of each, not counted"
run warm "$BOOT" "$WARMUP"; run warm "$API" "$WARMUP"
printf '%-6s %-10s %12s %10s %14s\n' round key 'requests/s' p99 'CPU/request'
for r in $(seq 1 "$ROUNDS"); do
  for kind in bootstrap apikey; do
    key=$BOOT; [ "$kind" = apikey ] && key=$API
    c0=$(awk '{print $14+$15}' /proc/"$java_pid"/stat)
    run "$kind" "$key" "$DURATION"
    c1=$(awk '{print $14+$15}' /proc/"$java_pid"/stat)
    n=$(awk '/requests in/ {print $1}' "$work/$kind.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$work/$kind.txt")
    [ -z "$errors" ] || { echo "$kind: $errors answers were not 2xx" >&2; exit 1; }
    printf '%-6s %-10s %12s %10s %14s\n' "$r" "$kind" "$(awk '/Requests\/sec/ {print $2}' "$work/$kind.txt")" \
      "$(awk '$1=="99%" {print $2}' "$work/$kind.txt")" \
      "$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f us", (b-a)/hz*1e6/n }')"
  done
done
