#!/usr/bin/env bash
# Check throughput and 1 KiB range throughput on a 3-master Redis Cluster next to the single embedded node:
# the same script (check-throughput.sh), the same machine, one run, the two set-ups alternated ROUNDS times.
# See docs/BENCHMARKS.md ("Redis Cluster vs one node").
#
#   loadtest/bench/cluster-vs-single.sh
#
# Environment: ROUNDS (2), DURATION (20s), WARMUP (15s), RANGE_DURATION (20s), CONNS (64), DEVICES (10000), and
# what check-throughput.sh takes. The cluster: 3 masters + 3 replicas on 127.0.0.1:17001-17006 (bus ports +10000),
# AOF everysec like the embedded node, from the redis-server binary the standalone uses (Debian's when on PATH,
# else the one shipped in the embedded-redis jar), formed with `redis-cli --cluster create` (Debian's redis-tools,
# installed when missing and run as root). Every node is stopped at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ROUNDS=${ROUNDS:-2}
export DURATION=${DURATION:-20s} WARMUP=${WARMUP:-15s} RANGE_DURATION=${RANGE_DURATION:-20s}
PORTS="17001 17002 17003 17004 17005 17006"

if ! command -v redis-cli >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y -qq redis-tools || { apt-get update -qq && apt-get install -y -qq redis-tools; }) >/dev/null
  fi
  command -v redis-cli >/dev/null 2>&1 || { echo "missing redis-cli: install the Debian package redis-tools" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/ota-cluster-bench-XXXXXX)
if command -v redis-server >/dev/null 2>&1; then
  bin=$(command -v redis-server)
else
  version=$(sed -nE 's|.*<embedded-redis.version>([^<]+)<.*|\1|p' "$repo/pom.xml")
  jar="$HOME/.m2/repository/com/github/codemonstur/embedded-redis/$version/embedded-redis-$version.jar"
  [ -f "$jar" ] || (cd "$repo" && ./mvnw -B -q -DskipTests package)
  entry=$(unzip -l "$jar" | awk '{print $4}' | grep -E '^redis-server-.*-linux-amd64$' | head -1)
  bin="$work/redis-server"
  unzip -p "$jar" "$entry" > "$bin" && chmod +x "$bin"
fi

stop_cluster() {
  for p in $PORTS; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
}
trap stop_cluster EXIT

start_cluster() {
  stop_cluster
  for p in $PORTS; do
    rm -rf "$work/$p"; mkdir -p "$work/$p"
    (cd "$work/$p" && "$bin" --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 5000 --appendonly yes --appendfsync everysec --save "" --dir "$work/$p" \
      > "$work/$p/redis.log" 2>&1 &)
  done
  for p in $PORTS; do
    for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create $(for p in $PORTS; do printf '127.0.0.1:%s ' "$p"; done) --cluster-replicas 1 --cluster-yes \
    > "$work/create.log"
  for _ in $(seq 1 100); do
    redis-cli -p 17001 cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1
  done
  redis-cli -p 17001 cluster info | grep -q 'cluster_state:ok' || { cat "$work/create.log"; exit 1; }
}

echo "redis-server: $bin ($("$bin" --version | head -1))"
for round in $(seq 1 "$ROUNDS"); do
  echo; echo "######## round $round: single embedded node"
  REDIS_URI= "$here/check-throughput.sh" | tee "$work/single-$round.txt"
  echo; echo "######## round $round: Redis Cluster, 3 masters + 3 replicas"
  start_cluster
  REDIS_URI="redis-cluster://127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003" "$here/check-throughput.sh" \
    | tee "$work/cluster-$round.txt"
  stop_cluster
done
echo; echo "######## summary"
for f in "$work"/single-*.txt "$work"/cluster-*.txt; do
  printf '%-12s %s | %s\n' "$(basename "$f" .txt)" "$(grep '^checks/s' "$f")" "$(grep '^ranges/s' "$f")"
done
