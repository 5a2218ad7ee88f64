#!/usr/bin/env bash
# Edge vs nginx, same firmware file, same machine, one run. See docs/BENCHMARKS.md.
#
#   loadtest/bench/edge-vs-nginx.sh            # all three scenarios
#   SCENARIOS="1 2" loadtest/bench/edge-vs-nginx.sh
#
# Environment: DURATION (wrk run length, default 30s), CONNS_RANGE (256), CONNS_FULL (64),
# SLOW_CONNS (50000), HOLD_SECONDS (60), FILE_MB (4), EDGE_JAVA_OPTS (-Xms1g -Xmx1g),
# CONNS_PER_PROCESS (open files one process may hold here, less a margin; default from ulimit -Hn),
# FRESH_RATE (fresh 1 KiB range requests per second on new connections during scenario 3; 200).
#
# Scenario 3 needs more sockets than one process may open where the hard limit on open files is
# low (20,000 in some sandboxes, and not raisable without CAP_SYS_RESOURCE). It then runs
# ceil(SLOW_CONNS / CONNS_PER_PROCESS) edge processes on one port with OTA_EDGE_REUSE_PORT (the
# standalone's edge plus `ota-edge.jar`s on the same Redis and blob directory), nginx with as many
# workers, and as many load-generator processes; memory and CPU are summed over the processes.
# Needs nginx and wrk (installed from Debian's packages when missing and run as root), a JDK 17+.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DURATION=${DURATION:-30s}
CONNS_RANGE=${CONNS_RANGE:-256}
CONNS_FULL=${CONNS_FULL:-64}
SLOW_CONNS=${SLOW_CONNS:-50000}
HOLD_SECONDS=${HOLD_SECONDS:-60}
FILE_MB=${FILE_MB:-4}
SCENARIOS=${SCENARIOS:-"1 2 3"}
FRESH_RATE=${FRESH_RATE:-200}
EDGE_JAVA_OPTS=${EDGE_JAVA_OPTS:-"-Xms1g -Xmx1g -XX:MaxDirectMemorySize=512m"}
EDGE_PORT=18080 CONTROL_PORT=18081 ADMIN_PORT=18082 EDGE_ADMIN_PORT=18083 NGINX_PORT=18090

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2 from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "missing $1: install the Debian package $2" >&2; exit 2; }
}
need wrk wrk
need nginx nginx-light
command -v nginx >/dev/null || export PATH=$PATH:/usr/sbin

# Both servers and the load generators hold tens of thousands of sockets.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
CONNS_PER_PROCESS=${CONNS_PER_PROCESS:-$(( $(ulimit -n) - 2000 ))}
sysctl -qw net.core.somaxconn=65535 2>/dev/null || true
sysctl -qw net.ipv4.tcp_max_syn_backlog=65535 2>/dev/null || true

jar="$repo/standalone/target/ota-standalone.jar"
edge_jar="$repo/edge/target/ota-edge.jar"
if [ ! -f "$jar" ] || [ ! -f "$edge_jar" ]; then
  (cd "$repo" && ./mvnw -B -q -DskipTests package)
fi

work=$(mktemp -d /tmp/ota-bench-XXXXXX)
# nginx's workers run unprivileged: they must be able to read the file (mktemp makes the folder 0700).
chmod 755 "$work"
results="$work/results"
mkdir -p "$work/www" "$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

head -c $((FILE_MB * 1024 * 1024)) /dev/urandom > "$work/www/fw.bin"
export FILE_SIZE=$((FILE_MB * 1024 * 1024))

# --- the edge: the standalone with its embedded Redis, a real token, token validation on ---
OTA_DATA_DIR="$work/data" OTA_EDGE_PORT=$EDGE_PORT OTA_CONTROL_PORT=$CONTROL_PORT OTA_ADMIN_PORT=$ADMIN_PORT \
  OTA_EDGE_ADMIN_PORT=$EDGE_ADMIN_PORT OTA_EDGE_REUSE_PORT=true OTA_ADMIN_KEY=bench-admin-key-loopback-only-7f3a OTA_LOG_LEVEL=WARN \
  java $EDGE_JAVA_OPTS -jar "$jar" > "$work/standalone.log" 2>&1 &
java_pid=$!
pids+=("$java_pid")
for _ in $(seq 1 150); do
  curl -s -o /dev/null "http://127.0.0.1:$ADMIN_PORT/" && break
  kill -0 "$java_pid" 2>/dev/null || { cat "$work/standalone.log"; exit 1; }
  sleep 0.2
done
A="Authorization: Bearer bench-admin-key-loopback-only-7f3a" ADMIN="http://127.0.0.1:$ADMIN_PORT/admin/v1"
curl -sf -H "$A" -d '{"productId":"bench","name":"Bench"}' "$ADMIN/products" >/dev/null
fw=$(curl -sf -H "$A" --data-binary @"$work/www/fw.bin" "$ADMIN/products/bench/firmwares?version=9.9.9&fileName=fw.bin" \
     | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -sf -H "$A" -d "{\"firmwareId\":\"$fw\"}" "$ADMIN/products/bench/tasks" >/dev/null
devauth=$(curl -sf -H "$A" -d '{}' "$ADMIN/products/bench/onenet-authorization" | sed -E 's/.*"authorization":"([^"]+)".*/\1/')
token=$(curl -sf -H "Authorization: $devauth" -H 'Content-Type: application/json' \
  -d '{"dev_id":1,"manuf":"China Mobile","model":"M5310","type":1,"version":"1.0","cdn":false}' \
  "http://127.0.0.1:$CONTROL_PORT/ota/south/check" | sed -E 's/.*"token":"([^"]+)".*/\1/')
edge_url="http://127.0.0.1:$EDGE_PORT/ota/download/$token"
curl -sf -o "$work/check.bin" "$edge_url"
cmp -s "$work/check.bin" "$work/www/fw.bin" || { echo "edge served different bytes" >&2; exit 1; }

# --- nginx: same file, sendfile on, the same keep-alive allowance ---
start_nginx() {
[ -f "$work/nginx.pid" ] && { kill "$(cat "$work/nginx.pid")"; for _ in $(seq 1 50); do [ -f "$work/nginx.pid" ] || break; sleep 0.1; done; }
cat > "$work/nginx.conf" <<NGX
worker_processes $1;
worker_rlimit_nofile $(ulimit -n);
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections $(ulimit -n); multi_accept on; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  # Like the edge's open-file cache: one descriptor per file, not one per request (without it each
  # slow connection costs nginx two descriptors and scenario 3 runs out of them).
  open_file_cache max=1000 inactive=120s;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=65535 reuseport;
    root $work/www;
  }
}
NGX
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
}
start_nginx auto
nginx_url="http://127.0.0.1:$NGINX_PORT/fw.bin"
if ! curl -sf -o "$work/check2.bin" "$nginx_url" || ! cmp -s "$work/check2.bin" "$work/www/fw.bin"; then
  echo "nginx does not serve the file (see $work/nginx-error.log)" >&2
  exit 1
fi

# --- helpers to read wrk's summary ---
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
xfer() { awk '/Transfer\/sec/ {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' '; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; else print v }'; }
to_mb() { awk -v v="$1" 'BEGIN { if (v ~ /GB$/) printf "%.1f", v*1024; else if (v ~ /MB$/) printf "%.1f", v+0; else if (v ~ /KB$/) printf "%.3f", v/1024; else print v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a/b; else print "n/a" }'; }
# CPU ticks (user+system) used so far by a comma-separated list of pids.
cpu_ticks() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{print $14+$15}' /proc/"$p"/stat))); done; echo "$t"; }
nginx_workers() { pgrep -d, -f "nginx: worker process"; }
# Runs wrk against one server and prints the server's CPU microseconds per request it answered.
wrk_cpu() { # pids out wrk-args...
  local pids=$1 out=$2; shift 2
  local c0; c0=$(cpu_ticks "$pids")
  wrk "$@" > "$out"
  local c1; c1=$(cpu_ticks "$pids")
  awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' "$out")" \
    'BEGIN { if (n > 0) printf "%.1f", (b-a)/hz*1e6/n; else print "n/a" }' > "$out.cpu"
}

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $(java -version 2>&1 | head -1); $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1)"
echo "raw output: $results"

for s in $SCENARIOS; do
  case $s in
  1)
    echo; echo "== 1. random 1 KiB ranges, keep-alive, $CONNS_RANGE connections, $DURATION"
    wrk_cpu "$java_pid" "$results/1-edge.txt" -t2 -c"$CONNS_RANGE" -d"$DURATION" --latency -s "$here/random-1k-range.lua" "$edge_url"
    wrk_cpu "$(nginx_workers)" "$results/1-nginx.txt" -t2 -c"$CONNS_RANGE" -d"$DURATION" --latency -s "$here/random-1k-range.lua" "$nginx_url"
    er=$(rps "$results/1-edge.txt") nr=$(rps "$results/1-nginx.txt")
    ep=$(to_ms "$(p99 "$results/1-edge.txt")") np=$(to_ms "$(p99 "$results/1-nginx.txt")")
    printf '%-22s %14s %14s %10s\n' "" edge nginx edge/nginx
    printf '%-22s %14s %14s %10s\n' "requests/s" "$er" "$nr" "$(ratio "$er" "$nr")"
    printf '%-22s %14s %14s %10s\n' "p99 latency (ms)" "$ep" "$np" "$(ratio "$ep" "$np")"
    ec=$(cat "$results/1-edge.txt.cpu") nc=$(cat "$results/1-nginx.txt.cpu")
    printf '%-22s %14s %14s %10s\n' "server CPU us/request" "$ec" "$nc" "$(ratio "$ec" "$nc")"
    echo "edge errors: $(errors "$results/1-edge.txt")  nginx errors: $(errors "$results/1-nginx.txt")"
    ;;
  2)
    echo; echo "== 2. whole ${FILE_MB} MiB downloads, $CONNS_FULL connections, $DURATION"
    wrk_cpu "$java_pid" "$results/2-edge.txt" -t2 -c"$CONNS_FULL" -d"$DURATION" --latency "$edge_url"
    wrk_cpu "$(nginx_workers)" "$results/2-nginx.txt" -t2 -c"$CONNS_FULL" -d"$DURATION" --latency "$nginx_url"
    eb=$(to_mb "$(xfer "$results/2-edge.txt")") nb=$(to_mb "$(xfer "$results/2-nginx.txt")")
    printf '%-22s %14s %14s %10s\n' "" edge nginx edge/nginx
    printf '%-22s %14s %14s %10s\n' "MiB/s" "$eb" "$nb" "$(ratio "$eb" "$nb")"
    printf '%-22s %14s %14s\n' "downloads/s" "$(rps "$results/2-edge.txt")" "$(rps "$results/2-nginx.txt")"
    printf '%-22s %14s %14s\n' "server CPU us/download" "$(cat "$results/2-edge.txt.cpu")" "$(cat "$results/2-nginx.txt.cpu")"
    echo "edge errors: $(errors "$results/2-edge.txt")  nginx errors: $(errors "$results/2-nginx.txt")"
    ;;
  3)
    procs=$(( (SLOW_CONNS + CONNS_PER_PROCESS - 1) / CONNS_PER_PROCESS ))
    per_client=$(( (SLOW_CONNS + procs - 1) / procs ))
    redis_uri=$(sed -nE 's/^ *redis +(redis:[^ ]+).*/\1/p' "$work/standalone.log" | head -1)
    edge_pids=("$java_pid")
    for i in $(seq 2 "$procs"); do
      OTA_REDIS_URI=$redis_uri OTA_BLOB_DIR="$work/data/blobs" OTA_EDGE_BIND=127.0.0.1 OTA_EDGE_PORT=$EDGE_PORT \
        OTA_EDGE_REUSE_PORT=true OTA_EDGE_ADMIN_BIND=127.0.0.1 OTA_EDGE_ADMIN_PORT=$((EDGE_ADMIN_PORT + 10 * i)) \
        OTA_EDGE_ID="bench-edge-$i" OTA_LOG_LEVEL=WARN java $EDGE_JAVA_OPTS -jar "$edge_jar" > "$work/edge-$i.log" 2>&1 &
      edge_pids+=("$!"); pids+=("$!")
      for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$((EDGE_ADMIN_PORT + 10 * i))/health/ready" && break; sleep 0.2; done
    done
    start_nginx "$procs"
    sum_rss() { ps -o rss= -p "$1" | awk '{s+=$1} END {print s+0}'; }
    sum_cpu() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{print $14+$15}' /proc/"$p"/stat))); done; echo "$t"; }
    for target in edge nginx; do
      if [ $target = edge ]; then url_path="/ota/download/$token" port=$EDGE_PORT url=$edge_url
        pid=$(IFS=,; echo "${edge_pids[*]}")
      else url_path="/fw.bin" port=$NGINX_PORT url=$nginx_url pid=$(pgrep -d, -f "nginx: worker process" || true); fi
      echo; echo "== 3. $SLOW_CONNS slow connections held ${HOLD_SECONDS}s on $target ($procs processes, $procs load generators), fresh 1 KiB ranges meanwhile"
      rss_before=$(sum_rss "$pid")
      slow_pids=()
      for c in $(seq 0 $((procs - 1))); do
        # Each generator binds its own four source addresses so no address runs out of ports.
        java -Xmx1g "$here/SlowClients.java" 127.0.0.1 "$port" "$url_path" "$per_client" "$HOLD_SECONDS" 4 $((2 + 4 * c)) \
          > "$results/3-$target-slow-$c.txt" 2>&1 &
        slow_pids+=("$!")
      done
      for _ in $(seq 1 600); do
        [ "$(grep -l '^connected:' "$results"/3-$target-slow-*.txt 2>/dev/null | wc -l)" -ge "$procs" ] && break
        sleep 0.5
      done
      cpu0=$(sum_cpu "$pid")
      java "$here/FreshProbe.java" 127.0.0.1 "$port" "$url_path" "$FILE_SIZE" "$FRESH_RATE" "$((HOLD_SECONDS / 2))" \
        > "$results/3-$target-fresh.txt" 2>&1
      cpu1=$(sum_cpu "$pid")
      rss_held=$(sum_rss "$pid")
      open_now=$(ss -Htn state established "( sport = :$port )" | wc -l)
      if [ $target = edge ]; then
        for p in "${edge_pids[@]}"; do echo "pid $p"; jcmd "$p" GC.heap_info; done > "$results/3-edge-heap.txt" 2>&1 || true
        { curl -s "http://127.0.0.1:$EDGE_ADMIN_PORT/metrics"
          for i in $(seq 2 "$procs"); do curl -s "http://127.0.0.1:$((EDGE_ADMIN_PORT + 10 * i))/metrics"; done
        } | grep -E '^ota_edge_(direct_memory_used_bytes|connections_active)' > "$results/3-edge-metrics.txt" || true
      fi
      for sp in "${slow_pids[@]}"; do wait "$sp" || true; done
      held=$(cat "$results"/3-$target-slow-*.txt | sed -nE 's/^RESULT held=([0-9]+).*/\1/p' | awk '{s+=$1} END {print s+0}')
      printf '  held connections        %s of %s (established on the server port mid-hold: %s)\n' "$held" "$SLOW_CONNS" "$open_now"
      printf '  RSS before / held (MiB) %s / %s (all %s processes)\n' "$((rss_before / 1024))" "$((rss_held / 1024))" "$procs"
      printf '  memory per connection   %s KiB\n' "$(awk -v a="$rss_before" -v b="$rss_held" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (b-a)/n; else print "n/a" }')"
      printf '  CPU while held          %s s over %s s (all processes)\n' "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b-a)/hz}')" "$((HOLD_SECONDS / 2))"
      printf '  fresh 1 KiB ranges      %s/s on new connections: %s\n' "$FRESH_RATE" "$(sed -n 's/^PROBE //p' "$results/3-$target-fresh.txt")"
      if [ $target = edge ]; then
        grep -E "garbage-first heap" "$results/3-edge-heap.txt" | sed 's/^ */  heap: /'
        awk '/direct_memory_used_bytes/ {d+=$2} /connections_active/ {c+=$2} END {printf "  direct memory (MiB)     %.1f over %d connections (from /metrics)\n", d/1048576, c}' "$results/3-edge-metrics.txt"
      fi
    done
    ;;
  esac
done
