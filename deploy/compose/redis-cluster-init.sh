#!/bin/sh
# Forms the Redis Cluster of docker-compose.cluster.yml once: 3 masters, REDIS_REPLICAS replica(s)
# each. Exits 0 without touching anything when the slots are already assigned (a later `up`).
set -eu
first=${REDIS_NODES%% *}
if redis-cli -h "$first" cluster info | grep -q '^cluster_slots_assigned:16384'; then
    echo "cluster already formed"
    exit 0
fi
# CLUSTER MEET takes addresses, not names: resolve each service name first.
addrs=""
for node in $REDIS_NODES; do
    ip=$(getent hosts "$node" | awk '{ print $1; exit }')
    [ -n "$ip" ] || { echo "cannot resolve $node" >&2; exit 1; }
    addrs="$addrs $ip:6379"
done
# shellcheck disable=SC2086  # one argument per node
redis-cli --cluster create $addrs --cluster-replicas "$REDIS_REPLICAS" --cluster-yes
# Wait until every node agrees, so that the services start on a complete cluster.
i=0
until redis-cli -h "$first" cluster info | grep -q '^cluster_state:ok'; do
    i=$((i + 1))
    [ "$i" -le 60 ] || { echo "cluster not ok after 60 s" >&2; exit 1; }
    sleep 1
done
echo "cluster formed"
