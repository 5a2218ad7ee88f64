#!/usr/bin/env python3
"""Checks of deploy/'s scale-out variants, called by deploy/check.sh (needs PyYAML).

  check-scaleout.py k8s-base      < rendered base          two controls, rolling, PDB, RWX volume
  check-scaleout.py k8s-single    < rendered single-control  one control, Recreate, RWO, no control PDB
  check-scaleout.py k8s-cluster METRICS.md ADAPTER_VALUES < rendered redis-cluster overlay
  check-scaleout.py compose-cluster DEPLOY_DIR             docker-compose.cluster.yml and its files
  check-scaleout.py yaml FILE...                           every document parses (no kubectl)

Prints one line per problem and exits 1 when there is any.
"""
import os
import re
import sys

import yaml

CLUSTER_URI = re.compile(r"^rediss?-cluster://([^@/]+@)?[^,/@]+:\d+(,[^,/@]+:\d+)*$")


def docs_of(stream):
    return [d for d in yaml.safe_load_all(stream) if d]


def find(docs, kind, name):
    for d in docs:
        if d["kind"] == kind and d["metadata"]["name"] == name:
            return d
    return None


def env_names(deployment):
    c = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e for e in c.get("env", [])}


def k8s_base(docs):
    bad = []
    control = find(docs, "Deployment", "ota-control")
    spec = control["spec"]
    if spec.get("replicas", 1) < 2:
        bad.append("ota-control: replicas %s, want >= 2 (no single point of failure)" % spec.get("replicas", 1))
    strategy = spec.get("strategy", {})
    if strategy.get("type") != "RollingUpdate" or strategy.get("rollingUpdate", {}).get("maxUnavailable") != 0:
        bad.append("ota-control: strategy must be RollingUpdate with maxUnavailable 0, got %s" % strategy)
    if not spec.get("minReadySeconds"):
        bad.append("ota-control: no minReadySeconds (a rollout must wait for readiness to hold)")
    pdb = find(docs, "PodDisruptionBudget", "ota-control")
    if not pdb or pdb["spec"].get("minAvailable") != 1:
        bad.append("PodDisruptionBudget ota-control with minAvailable 1 missing")
    pvc = find(docs, "PersistentVolumeClaim", "ota-control-blobs")
    if not pvc or pvc["spec"].get("accessModes") != ["ReadWriteMany"]:
        bad.append("PVC ota-control-blobs must be ReadWriteMany (two controls mount it)")
    return bad


def k8s_single(docs):
    bad = []
    spec = find(docs, "Deployment", "ota-control")["spec"]
    if spec.get("replicas") != 1 or spec.get("strategy") != {"type": "Recreate"}:
        bad.append("single-control: ota-control must be 1 replica with Recreate, got %s / %s"
                   % (spec.get("replicas"), spec.get("strategy")))
    if find(docs, "PersistentVolumeClaim", "ota-control-blobs")["spec"].get("accessModes") != ["ReadWriteOnce"]:
        bad.append("single-control: PVC ota-control-blobs must be ReadWriteOnce")
    if find(docs, "PodDisruptionBudget", "ota-control"):
        bad.append("single-control: the control PDB would block node drains with one replica")
    return bad


def documented_gauges(metrics_doc):
    gauges = set()
    for line in open(metrics_doc):
        m = re.match(r"^\| `(ota_[a-z0-9_]+)` \| gauge \|", line)
        if m:
            gauges.add(m.group(1))
    return gauges


def k8s_cluster(docs, metrics_doc, adapter_values):
    bad = k8s_base(docs)
    for kind, name in (("StatefulSet", "redis"), ("Service", "redis")):
        if find(docs, kind, name):
            bad.append("redis-cluster: the single-node %s/%s must be gone" % (kind, name))
    common = next((d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("ota-common")), None)
    if common and "OTA_REDIS_URI" in common.get("data", {}):
        bad.append("redis-cluster: ConfigMap ota-common still sets the single-node OTA_REDIS_URI")
    secret = find(docs, "Secret", "ota-redis")
    uri = (secret or {}).get("stringData", {}).get("OTA_REDIS_URI", "")
    if not CLUSTER_URI.match(uri):
        bad.append("redis-cluster: Secret ota-redis OTA_REDIS_URI is not redis-cluster://[user:password@]h:p,h:p,...: %r" % uri)
    for name in ("ota-control", "ota-edge"):
        ref = env_names(find(docs, "Deployment", name)).get("OTA_REDIS_URI", {}).get("valueFrom", {}).get("secretKeyRef", {})
        if ref != {"name": "ota-redis", "key": "OTA_REDIS_URI"}:
            bad.append("redis-cluster: %s does not read OTA_REDIS_URI from Secret ota-redis" % name)
    hpa = find(docs, "HorizontalPodAutoscaler", "ota-edge")
    metrics = hpa["spec"].get("metrics", [])
    pods = [m["pods"]["metric"]["name"] for m in metrics if m["type"] == "Pods"]
    if not pods:
        bad.append("redis-cluster: the edge HPA has no pods metric (held connections)")
    gauges = documented_gauges(metrics_doc)
    for name in pods:
        if name not in gauges:
            bad.append("redis-cluster: HPA metric %s is not a gauge in %s" % (name, metrics_doc))
    if not any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in metrics):
        bad.append("redis-cluster: the edge HPA has no CPU metric as the fallback")
    values = yaml.safe_load(open(adapter_values))
    exposed = {r.get("name", {}).get("as") for r in values.get("rules", {}).get("custom", [])}
    for name in pods:
        if name not in exposed:
            bad.append("redis-cluster: %s does not expose the HPA's metric %s" % (adapter_values, name))
    return bad


def compose_cluster(deploy):
    bad = []
    path = os.path.join(deploy, "docker-compose.cluster.yml")
    c = yaml.safe_load(open(path))
    s = c["services"]
    declared = c.get("volumes") or {}
    redis = sorted(n for n in s if re.fullmatch(r"redis-\d+", n))
    if len(redis) != 6:
        bad.append("want 6 Redis nodes (3 masters + 3 replicas), got %s" % redis)
    for n in redis:
        cmd = s[n].get("command", [])
        conf = next((v.split(":")[0] for v in s[n].get("volumes", []) if v.split(":")[1] in cmd), None)
        if not conf:
            bad.append("%s: its command names no mounted config file" % n)
            continue
        text = open(os.path.join(deploy, conf)).read()
        for line in ("cluster-enabled yes", "appendonly yes", "appendfsync always"):
            if not re.search(r"^%s$" % line, text, re.M):
                bad.append("%s: %s lacks '%s'" % (n, conf, line))
        announced = cmd[cmd.index("--cluster-announce-hostname") + 1] if "--cluster-announce-hostname" in cmd else None
        if announced != n:
            bad.append("%s: must announce its own service name" % n)
    init = s.get("redis-cluster-init", {})
    if init.get("restart") != "no":
        bad.append("redis-cluster-init: a one-shot must have restart: \"no\"")
    if sorted(init.get("environment", {}).get("REDIS_NODES", "").split()) != redis:
        bad.append("redis-cluster-init: REDIS_NODES is not the six nodes")
    script = next((v.split(":")[0] for v in init.get("volumes", []) if v.endswith(".sh:ro") or ".sh:" in v), None)
    text = open(os.path.join(deploy, script)).read() if script else ""
    if "--cluster create" not in text or "--cluster-replicas" not in text:
        bad.append("redis-cluster-init: its script does not run redis-cli --cluster create --cluster-replicas")
    controls = sorted(n for n in s if n.startswith("control-"))
    edges = sorted(n for n in s if n.startswith("edge-"))
    if len(controls) < 2:
        bad.append("want two controls or more, got %s" % controls)
    if len(edges) < 2:
        bad.append("want several edges, got %s" % edges)
    blob_vols = {tuple(v for v in s[n].get("volumes", []) if v.endswith(":/data")) for n in controls}
    if len(blob_vols) != 1 or not next(iter(blob_vols)):
        bad.append("the controls must share one blob volume on /data, got %s" % blob_vols)
    edge_vols = [v.split(":")[0] for n in edges for v in s[n].get("volumes", [])]
    if len(set(edge_vols)) != len(edge_vols):
        bad.append("edges share a volume")
    ids = [s[n].get("environment", {}).get("OTA_EDGE_ID") for n in edges]
    if None in ids or len(set(ids)) != len(ids):
        bad.append("each edge needs its own OTA_EDGE_ID, got %s" % ids)
    for n in controls + edges:
        env = s[n].get("environment", {})
        uri = env.get("OTA_REDIS_URI", "")
        if not CLUSTER_URI.match(uri):
            bad.append("%s: OTA_REDIS_URI %r is not the redis-cluster:// form" % (n, uri))
        else:
            for seed in uri.split("://", 1)[1].split("@")[-1].split(","):
                if seed.rsplit(":", 1)[0] not in redis:
                    bad.append("%s: seed %s is not a Redis node service" % (n, seed))
        need = ["OTA_INTERNAL_SECRET", "OTA_BLOB_DIR"] + (["OTA_ADMIN_KEY", "OTA_EDGE_PUBLIC_ADDRESS"] if n in controls else
                                                          ["OTA_EDGE_ORIGIN_URL", "OTA_EDGE_DEVICE_API_URL", "OTA_EDGE_PUBLIC_ADDRESS"])
        for k in need:
            if k not in env:
                bad.append("%s: %s not set" % (n, k))
        deps = s[n].get("depends_on") or {}
        if deps.get("redis-cluster-init", {}).get("condition") != "service_completed_successfully":
            bad.append("%s: must wait for redis-cluster-init to complete" % n)
    lb = s.get("lb")
    if not lb:
        bad.append("no load balancer service lb")
    else:
        # "[ip:]host:container" -> the host port
        published = {str(p).split(":")[-2] for p in lb.get("ports", []) if ":" in str(p)}
        if "8080" not in published:
            bad.append("lb: does not publish the edges' 8080")
        cfg = next((v.split(":")[0] for v in lb.get("volumes", []) if "haproxy" in v), None)
        text = open(os.path.join(deploy, cfg)).read() if cfg else ""
        for n in edges + controls:
            if not re.search(r"^\s*server %s %s:" % (n, n), text, re.M):
                bad.append("lb: %s is not a backend server in %s" % (n, cfg))
    for name, svc in s.items():
        if name != "redis-cluster-init" and "healthcheck" not in svc:
            bad.append(name + ": no healthcheck")
        for dep in (svc.get("depends_on") or {}):
            if dep not in s:
                bad.append("%s depends on unknown %s" % (name, dep))
        b = svc.get("build")
        if b and not os.path.isfile(os.path.normpath(os.path.join(deploy, b["context"], b["dockerfile"]))):
            bad.append("%s: Dockerfile %s not found" % (name, b["dockerfile"]))
        for v in svc.get("volumes", []):
            src = v.split(":")[0]
            if src.startswith("."):
                if not os.path.exists(os.path.join(deploy, src)):
                    bad.append("%s: bind source %s not found" % (name, src))
            elif src not in declared:
                bad.append("%s: named volume %s not declared" % (name, src))
    return bad


def main(argv):
    what = argv[1]
    if what == "k8s-base":
        bad = k8s_base(docs_of(sys.stdin))
    elif what == "k8s-single":
        bad = k8s_single(docs_of(sys.stdin))
    elif what == "k8s-cluster":
        bad = k8s_cluster(docs_of(sys.stdin), argv[2], argv[3])
    elif what == "compose-cluster":
        bad = compose_cluster(argv[2])
    elif what == "yaml":
        bad = []
        for f in argv[2:]:
            try:
                docs_of(open(f))
            except yaml.YAMLError as e:
                bad.append("%s: %s" % (f, e))
    else:
        bad = ["unknown check " + what]
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
