#!/usr/bin/env bash
# Static checks of deploy/: Prometheus config and rules (promtool), rule unit tests, the Grafana
# dashboard and provisioning, the kustomize renders (base and every overlay; the scale-out ones and
# docker-compose.cluster.yml through deploy/check-scaleout.py, its HAProxy config with haproxy -c),
# docker-compose and Dockerfile sanity, the
# configuration keys deploy/ sets (each one read by the services' code), and the metric-name
# contract (every ota_* name used by the rules and the dashboard is listed in docs/METRICS.md and,
# given scrapes of the running services, exported by them; every other name is a standard one).
#
#   bash deploy/check.sh                                   # exits non-zero if any check fails
#   bash deploy/check.sh --exported control.prom --exported edge.prom
#                                                          # also check names against /metrics scrapes
#   bash deploy/check.sh --exported-dir standalone/target/metrics-scrapes
#                                                          # every *.prom there, if the directory exists
#
# `./mvnw -B verify` runs it (module deploy/pom.xml). Needs: bash, grep, sed, python3 or jq, and
# promtool and haproxy: installed as the Debian packages "prometheus" and "haproxy" when missing and
# running as root; when one cannot be had the run FAILS and says why. Uses kubectl for kustomize when present, else says so.
set -uo pipefail

# --exported FILE (repeatable): Prometheus text scraped from a service's /metrics.
EXPORTED=()
while [ $# -gt 0 ]; do
    case $1 in
        --exported)
            [ $# -ge 2 ] && [ -r "$2" ] || { echo "deploy/check.sh: --exported needs a readable file" >&2; exit 2; }
            EXPORTED+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
            shift 2 ;;
        --exported-dir)
            # The standalone's MetricsEndToEndTest leaves its scrapes here; a build that skipped
            # those tests has none, and then only docs/METRICS.md is checked.
            [ $# -ge 2 ] || { echo "deploy/check.sh: --exported-dir needs a directory" >&2; exit 2; }
            if [ -d "$2" ]; then
                for f in "$2"/*.prom; do
                    [ -r "$f" ] && EXPORTED+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
                done
            fi
            shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "deploy/check.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
DEPLOY=deploy
PROM=$DEPLOY/prometheus
DASH_DIR=$DEPLOY/grafana/dashboards
METRICS_DOC=docs/METRICS.md
DATASOURCE_UID=ota-prometheus

# Standard (non-product) metric names the rules and dashboard may use: Prometheus' own `up` and
# Micrometer's JVM, process and Lettuce meters as the Prometheus registry names them.
STANDARD_METRICS="up
jvm_memory_used_bytes
jvm_memory_committed_bytes
jvm_memory_max_bytes
jvm_buffer_memory_used_bytes
jvm_buffer_total_capacity_bytes
jvm_buffer_count_buffers
jvm_gc_pause_seconds
jvm_gc_memory_allocated_bytes_total
jvm_threads_live_threads
process_cpu_usage
system_cpu_usage
process_uptime_seconds
process_files_open_files
lettuce_command_completion_seconds
lettuce_command_firstresponse_seconds"

failures=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf '  skip  %s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
# run "<description>" cmd...: runs the command, shows its output indented only on failure.
run() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$what"
    else
        fail "$what"
        printf '%s\n' "$out" | sed 's/^/        /'
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }
have_pyyaml() { have python3 && python3 -c 'import yaml' >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
section "promtool"
# Why promtool is missing, if it is: printed with the failure, never a silent skip.
promtool_missing_reason=""
if ! have promtool; then
    # The one installer of the tools the build runs (apt-get as root, else it says how).
    promtool_missing_reason=$(bash "$ROOT/.ci/install-tools.sh" promtool prometheus 2>&1 >/dev/null)
    have promtool || promtool_missing_reason=${promtool_missing_reason:-"promtool is not on PATH"}
fi
if have promtool; then
    echo "  $(promtool --version 2>&1 | head -n 1)"
    run "promtool check config $PROM/prometheus.yml (compose)" promtool check config "$PROM/prometheus.yml"
    run "promtool check rules $PROM/alerts.yml" promtool check rules "$PROM/alerts.yml"
    run "promtool test rules $PROM/alerts.test.yml" promtool test rules "$PROM/alerts.test.yml"
    # Debian's promtool is built without the Kubernetes service discovery; then only parse it.
    if out=$(promtool check config "$PROM/prometheus-kubernetes.yml" 2>&1); then
        pass "promtool check config $PROM/prometheus-kubernetes.yml"
    elif printf '%s' "$out" | grep -q 'field kubernetes_sd_configs not found'; then
        if have_pyyaml && python3 -c 'import sys,yaml; yaml.safe_load(open(sys.argv[1]))' "$PROM/prometheus-kubernetes.yml"; then
            pass "$PROM/prometheus-kubernetes.yml parses (this promtool lacks kubernetes_sd_configs; full check skipped)"
        else
            skip "$PROM/prometheus-kubernetes.yml: this promtool lacks kubernetes_sd_configs and PyYAML is missing"
        fi
    else
        fail "promtool check config $PROM/prometheus-kubernetes.yml"
        printf '%s\n' "$out" | sed 's/^/        /'
    fi
else
    fail "promtool not found and could not be installed: $promtool_missing_reason"
fi

# ---------------------------------------------------------------------------------------------
section "Grafana"
json_ok() {
    if have jq; then jq empty "$1"; else python3 -m json.tool "$1" >/dev/null; fi
}
for f in "$DASH_DIR"/*.json; do
    run "$f is valid JSON" json_ok "$f"
done
if have python3; then
    dash_check() {
        python3 - "$DATASOURCE_UID" "$@" <<'PY'
import json, sys
uid, files = sys.argv[1], sys.argv[2:]
bad = []
for f in files:
    d = json.load(open(f))
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
        bad.append(f"{f}: schemaVersion {d.get('schemaVersion')} < 36")
    if not d.get("uid") or not d.get("title"):
        bad.append(f"{f}: missing uid or title")
    ids = set()
    def walk(panels):
        for p in panels:
            yield p
            yield from walk(p.get("panels", []))
    for p in walk(d.get("panels", [])):
        if p.get("id") in ids:
            bad.append(f"{f}: duplicate panel id {p.get('id')}")
        ids.add(p.get("id"))
        if p.get("type") == "row":
            continue
        for ds in [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]:
            if not isinstance(ds, dict) or ds.get("uid") != uid:
                bad.append(f"{f}: panel {p.get('title')!r} datasource is {ds!r}, not uid {uid}")
        if not p.get("targets"):
            bad.append(f"{f}: panel {p.get('title')!r} has no query")
        gp = p.get("gridPos", {})
        if gp.get("x", 0) + gp.get("w", 0) > 24:
            bad.append(f"{f}: panel {p.get('title')!r} wider than the grid")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
    }
    run "dashboards: schemaVersion >= 36, datasource uid $DATASOURCE_UID everywhere, unique panel ids" dash_check "$DASH_DIR"/*.json
    run "datasource provisioning declares uid $DATASOURCE_UID" \
        grep -q "uid: $DATASOURCE_UID" "$DEPLOY/grafana/provisioning/datasources/prometheus.yml"
    if have_pyyaml; then
        run "grafana provisioning YAML parses" python3 -c 'import sys,yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
            "$DEPLOY"/grafana/provisioning/*/*.yml
    fi
fi

# ---------------------------------------------------------------------------------------------
section "Kubernetes (kustomize)"
if have kubectl; then
    for k in "$DEPLOY/k8s/base" "$DEPLOY"/k8s/overlays/*/; do
        k=${k%/}
        run "kubectl kustomize $k" kubectl kustomize "$k"
    done
    if have_pyyaml; then
        k8s_check() {
            kubectl kustomize "$DEPLOY/k8s/base" | python3 -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
bad = []
kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in docs if d["kind"] == "ConfigMap"}
for need in [("Deployment", "ota-control"), ("Deployment", "ota-edge"), ("StatefulSet", "redis"),
             ("HorizontalPodAutoscaler", "ota-edge"), ("PodDisruptionBudget", "ota-edge"),
             ("Service", "ota-control"), ("Service", "ota-edge"), ("Service", "redis"),
             ("PersistentVolumeClaim", "ota-control-blobs"), ("Namespace", "ota-edge")]:
    if need not in kinds:
        bad.append("missing %s/%s" % need)
# The operator creates Secret ota-secrets (docs/DEPLOY.md): the base ships no key, so no placeholder goes live.
if ("Secret", "ota-secrets") in kinds:
    bad.append("the base renders Secret ota-secrets: the operator creates it (no placeholder admin key in the base)")
for d in docs:
    if d["kind"] not in ("Deployment", "StatefulSet"):
        continue
    name = d["metadata"]["name"]
    pod = d["spec"]["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        bad.append(name + ": pod securityContext.runAsNonRoot is not true")
    if pod.get("enableServiceLinks") is not False:
        bad.append(name + ": enableServiceLinks must be false (service env vars clash with OTA_*_PORT)")
    for c in pod["containers"]:
        where = name + "/" + c["name"]
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in c:
                bad.append(where + ": no " + probe)
        r = c.get("resources", {})
        if not r.get("requests") or not r.get("limits", {}).get("memory"):
            bad.append(where + ": resources.requests and limits.memory required")
        sc = c.get("securityContext", {})
        if sc.get("allowPrivilegeEscalation") is not False or not sc.get("readOnlyRootFilesystem"):
            bad.append(where + ": allowPrivilegeEscalation false and readOnlyRootFilesystem true required")
        if name.startswith("ota-"):
            paths = {c.get(p, {}).get("httpGet", {}).get("path") for p in ("readinessProbe", "livenessProbe")}
            if paths != {"/health/ready", "/health/live"}:
                bad.append(where + ": probes must be /health/ready and /health/live, got %s" % sorted(map(str, paths)))
            ann = d["spec"]["template"]["metadata"].get("annotations", {})
            if ann.get("prometheus.io/scrape") != "true":
                bad.append(where + ": no prometheus.io/scrape annotation")
            if not c.get("lifecycle", {}).get("preStop"):
                bad.append(where + ": no preStop hook")
            # The admin port the probes and the scrape use, and the keys the service needs.
            admin = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}.get("admin")
            want_admin = {"ota-edge": 9080, "ota-control": 8082}.get(name)
            if want_admin and admin != want_admin:
                bad.append(where + ": admin port %s, expected %s" % (admin, want_admin))
            if want_admin and ann.get("prometheus.io/port") != str(want_admin):
                bad.append(where + ": prometheus.io/port is %s, expected %s" % (ann.get("prometheus.io/port"), want_admin))
            keys = {e["name"] for e in c.get("env", [])}
            for ref in c.get("envFrom", []):
                keys |= set(configmaps.get(ref.get("configMapRef", {}).get("name"), {}))
            # OTA_EDGE_DEVICE_API_URL: OneNET devices call one host, the edge, for their API calls too.
            need_keys = {"ota-edge": ["OTA_REDIS_URI", "OTA_EDGE_PUBLIC_ADDRESS", "OTA_EDGE_ORIGIN_URL", "OTA_INTERNAL_SECRET", "OTA_EDGE_ADMIN_PORT",
                                      "OTA_EDGE_DEVICE_API_URL"],
                         "ota-control": ["OTA_REDIS_URI", "OTA_INTERNAL_SECRET", "OTA_ADMIN_KEY", "OTA_EDGE_PUBLIC_ADDRESS"]}.get(name, [])
            for k in need_keys:
                if k not in keys:
                    bad.append(where + ": " + k + " not set")
    if name == "ota-edge" and pod.get("terminationGracePeriodSeconds", 30) < 60:
        bad.append("ota-edge: terminationGracePeriodSeconds < 60 (download drain)")
print("\n".join(bad))
sys.exit(1 if bad else 0)
'
        }
        run "rendered base: workloads have probes, resources, non-root/read-only security contexts, admin ports, required env" k8s_check
        # Scale-out (deploy/check-scaleout.py): two controls, RWX, the single-control fallback, the Redis Cluster overlay.
        scaleout() { kubectl kustomize "$1" | python3 "$DEPLOY/check-scaleout.py" "${@:2}"; }
        run "rendered base: two controls, RollingUpdate maxUnavailable 0, minReadySeconds, control PDB, ReadWriteMany blob volume" \
            scaleout "$DEPLOY/k8s/base" k8s-base
        run "overlays/single-control: one control, Recreate, ReadWriteOnce, no control PDB" \
            scaleout "$DEPLOY/k8s/overlays/single-control" k8s-single
        run "overlays/redis-cluster: no Redis StatefulSet, cluster URI from Secret ota-redis, edge HPA on a documented gauge (prometheus-adapter) + CPU" \
            scaleout "$DEPLOY/k8s/overlays/redis-cluster" k8s-cluster "$METRICS_DOC" "$DEPLOY/k8s/overlays/redis-cluster/prometheus-adapter-values.yaml"
    fi
else
    skip "kubectl not found: kustomize renders not checked"
    if have_pyyaml; then
        run "k8s manifests parse as YAML (without kubectl: no render)" \
            python3 "$DEPLOY/check-scaleout.py" yaml $(find "$DEPLOY/k8s" -name '*.yaml' | sort)
    fi
fi

# ---------------------------------------------------------------------------------------------
section "docker-compose and Dockerfiles"
if have_pyyaml; then
    compose_check() {
        python3 - "$DEPLOY" <<'PY'
import os, sys, yaml
deploy = sys.argv[1]
c = yaml.safe_load(open(os.path.join(deploy, "docker-compose.yml")))
s = c["services"]
bad = []
for need in ["redis", "control", "edge-1", "edge-2", "prometheus", "grafana"]:
    if need not in s:
        bad.append("service %s missing" % need)
if "--appendonly" not in s.get("redis", {}).get("command", []):
    bad.append("redis: AOF (--appendonly yes) not set")
rc = s.get("redis", {}).get("command", [])
if "--appendfsync" not in rc or rc[rc.index("--appendfsync") + 1] != "always":
    bad.append("redis: --appendfsync always not set (acknowledged writes must survive a machine crash, docs/RELIABILITY.md)")
for name, svc in s.items():
    if "healthcheck" not in svc:
        bad.append(name + ": no healthcheck")
    for dep, cond in (svc.get("depends_on") or {}).items():
        if dep not in s:
            bad.append("%s depends on unknown %s" % (name, dep))
    b = svc.get("build")
    if b:
        df = os.path.normpath(os.path.join(deploy, b["context"], b["dockerfile"]))
        if not os.path.isfile(df):
            bad.append("%s: Dockerfile %s not found" % (name, df))
    for v in svc.get("volumes", []):
        src = v.split(":")[0]
        if src.startswith("."):
            if not os.path.exists(os.path.join(deploy, src)):
                bad.append("%s: bind source %s not found" % (name, src))
        elif src not in (c.get("volumes") or {}):
            bad.append("%s: named volume %s not declared" % (name, src))
for e in ["edge-1", "edge-2"]:
    env = s.get(e, {}).get("environment", {})
    for k in ["OTA_REDIS_URI", "OTA_EDGE_ORIGIN_URL", "OTA_INTERNAL_SECRET", "OTA_EDGE_ID", "OTA_EDGE_ADMIN_PORT",
              "OTA_EDGE_PUBLIC_ADDRESS", "OTA_EDGE_DEVICE_API_URL"]:
        if k not in env:
            bad.append("%s: %s not set" % (e, k))
for k in ["OTA_REDIS_URI", "OTA_INTERNAL_SECRET", "OTA_ADMIN_KEY"]:
    if k not in s.get("control", {}).get("environment", {}):
        bad.append("control: %s not set" % k)
# health checks on the admin ports' readiness (edge 9080, control 8082)
for name, url in [("edge-1", "http://127.0.0.1:9080/health/ready"), ("edge-2", "http://127.0.0.1:9080/health/ready"),
                  ("control", "http://127.0.0.1:8082/health/ready")]:
    if url not in (s.get(name, {}).get("healthcheck", {}).get("test") or []):
        bad.append("%s: healthcheck does not ask %s" % (name, url))
vols = [v.split(":")[0] for e in ["edge-1", "edge-2"] for v in s.get(e, {}).get("volumes", [])]
if len(set(vols)) != len(vols):
    bad.append("edges share a blob volume")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
    }
    run "docker-compose.yml: services, readiness healthchecks, depends_on, build files, volumes, required env" compose_check
else
    skip "PyYAML missing: docker-compose.yml structure not checked"
fi
if have docker && docker compose version >/dev/null 2>&1; then
    # OTA_ADMIN_KEY has no default (the operator must set a real one): render with a throwaway value, and check
    # that without one compose refuses to start.
    run "docker compose config" env OTA_ADMIN_KEY=check-only-not-a-real-admin-key docker compose -f "$DEPLOY/docker-compose.yml" config -q
    run "docker compose refuses to start without OTA_ADMIN_KEY" sh -c '! env -u OTA_ADMIN_KEY docker compose -f "$1" config -q 2>/dev/null' sh "$DEPLOY/docker-compose.yml"
else
    skip "docker compose plugin not available: 'docker compose config' not run"
fi
# The scale-out variant: 6-node Redis Cluster, two controls on one blob volume, edges behind HAProxy.
if have_pyyaml; then
    run "docker-compose.cluster.yml: 6 cluster nodes (AOF, fsync always), one-shot cluster create, two controls on one blob volume, edges with own ids and caches, cluster URI, lb over every instance" \
        python3 "$DEPLOY/check-scaleout.py" compose-cluster "$DEPLOY"
else
    skip "PyYAML missing: docker-compose.cluster.yml structure not checked"
fi
if have docker && docker compose version >/dev/null 2>&1; then
    run "docker compose config (cluster)" env OTA_ADMIN_KEY=check-only-not-a-real-admin-key docker compose -f "$DEPLOY/docker-compose.cluster.yml" config -q
fi
run "compose/redis-cluster-init.sh parses (sh -n)" sh -n "$DEPLOY/compose/redis-cluster-init.sh"
if ! have haproxy; then
    haproxy_missing_reason=$(bash "$ROOT/.ci/install-tools.sh" haproxy haproxy 2>&1 >/dev/null)
fi
if have haproxy; then
    run "haproxy -c compose/haproxy.cfg" haproxy -c -q -f "$DEPLOY/compose/haproxy.cfg"
else
    fail "haproxy not found and could not be installed: ${haproxy_missing_reason:-haproxy is not on PATH}"
fi

dockerfile_check() {
    local f=$1 port=$2 bad=0
    for pat in '^FROM .* AS build' '^FROM \$\{RUNTIME_IMAGE\}' 'ARG RUNTIME_IMAGE=eclipse-temurin:17-jre' \
               '\./mvnw -B .*-DskipTests package -pl [a-z]+ -am' '^USER 10001' '^HEALTHCHECK' \
               "/health/ready" '^EXPOSE ' "$port" '^VOLUME ' 'JAVA_TOOL_OPTIONS=.*MaxRAMPercentage.*MaxDirectMemorySize' \
               '^ENTRYPOINT \["java", "-jar"'; do
        grep -Eq -- "$pat" "$f" || { echo "$f: no line matching /$pat/"; bad=1; }
    done
    [ -f "$f.dockerignore" ] || { echo "$f.dockerignore missing"; bad=1; }
    # every COPY source of the build stage exists in the repository (context = repository root)
    while read -r src; do
        [ -e "$ROOT/$src" ] || { echo "$f: COPY source $src not in the repository"; bad=1; }
    done < <(awk '/^COPY / && !/--from/ { for (i = 2; i < NF; i++) print $i }' "$f" | sort -u)
    return $bad
}
run "Dockerfile.edge: multi-stage mvnw build, temurin 17 JRE, non-root, HEALTHCHECK, ports, volume" \
    dockerfile_check "$DEPLOY/docker/Dockerfile.edge" 'EXPOSE 8080 9080'
run "Dockerfile.control: multi-stage mvnw build, temurin 17 JRE, non-root, HEALTHCHECK, ports, volume" \
    dockerfile_check "$DEPLOY/docker/Dockerfile.control" 'EXPOSE 8081 8082'
if have hadolint; then
    run "hadolint" hadolint --ignore DL3008 "$DEPLOY/docker/Dockerfile.edge" "$DEPLOY/docker/Dockerfile.control"
fi

# ---------------------------------------------------------------------------------------------
section "configuration keys"
# Every OTA_* key deploy/ sets must be one a service reads (a "OTA_…" literal in main code) and
# one the README documents. Keys of work in flight on other branches are listed in PENDING_KEYS:
# reported, not failed; drop them from the list once the code reads them.
PENDING_KEYS=""
COMPOSE_ONLY_KEYS="OTA_IMAGE_PREFIX OTA_IMAGE_TAG"   # image names in docker-compose.yml, not service config
deploy_keys=$(grep -rhoE '\bOTA_[A-Z0-9_]+' "$DEPLOY/docker-compose.yml" "$DEPLOY/docker-compose.cluster.yml" "$DEPLOY/.env.example" "$DEPLOY/k8s" \
        "$DEPLOY"/docker/Dockerfile.* | sort -u | grep -vxF -f <(printf '%s\n' $COMPOSE_ONLY_KEYS))
code_keys=$(grep -rhoE '"OTA_[A-Z0-9_]+"' --include='*.java' ./*/src/main | tr -d '"' | sort -u)
readme_keys=$(grep -oE '^\| `OTA_[A-Z0-9_]+`' README.md | grep -oE 'OTA_[A-Z0-9_]+' | sort -u)
unread=() undocumented=() pending=() landed=()
for k in $deploy_keys; do
    if printf '%s\n' $PENDING_KEYS | grep -qxF "$k"; then
        if printf '%s\n' "$code_keys" | grep -qxF "$k"; then landed+=("$k"); else pending+=("$k"); fi
        continue
    fi
    printf '%s\n' "$code_keys" | grep -qxF "$k" || unread+=("$k")
    printf '%s\n' "$readme_keys" | grep -qxF "$k" || undocumented+=("$k")
done
if [ -z "$deploy_keys" ] || [ -z "$code_keys" ]; then
    fail "no OTA_* keys found in deploy/ or in the code (extraction broken?)"
elif [ ${#unread[@]} -gt 0 ]; then
    fail "keys set in deploy/ that no service reads: ${unread[*]}"
else
    pass "$(printf '%s\n' $deploy_keys | wc -l | tr -d ' ') OTA_* keys set in deploy/; every non-pending one is read by the code"
fi
if [ ${#undocumented[@]} -gt 0 ]; then
    fail "keys set in deploy/ missing from the README configuration table: ${undocumented[*]}"
else
    pass "every non-pending key set in deploy/ is in the README configuration table"
fi
[ ${#pending[@]} -eq 0 ] || echo "  note  pending keys (work in flight, not read by the code yet): ${pending[*]}"
[ ${#landed[@]} -eq 0 ] || echo "  note  now read by the code, remove from PENDING_KEYS in deploy/check.sh: ${landed[*]}"
# The cluster variants' URI form (redis-cluster://, rediss-cluster://) is read by common's RedisAddress.
if grep -rqE 'rediss?-cluster' --include='*.java' ./common/src/main; then
    pass "the code reads the redis-cluster:// URI form the cluster variants use"
else
    fail "the code does not read the redis-cluster:// URI form (docker-compose.cluster.yml, overlays/redis-cluster need it)"
fi

# ---------------------------------------------------------------------------------------------
section "metric names (contract: $METRICS_DOC)"
if [ ! -f "$METRICS_DOC" ]; then
    fail "$METRICS_DOC not found"
else
    documented=$(grep -oE '`ota_[a-z0-9_]+`' "$METRICS_DOC" | tr -d '`' | sort -u)
    # PromQL expressions only: alert/record exprs, and the dashboard's targets and variables.
    exprs=$( {
        if have_pyyaml; then
            python3 -c '
import sys, yaml
for g in yaml.safe_load(open(sys.argv[1]))["groups"]:
    for r in g["rules"]:
        print(r["expr"])' "$PROM/alerts.yml"
        else
            cat "$PROM/alerts.yml"
        fi
        if have jq; then
            jq -r '.. | objects | (.expr?, .definition?) // empty | strings' "$DASH_DIR"/*.json
        else
            python3 -c '
import json, sys
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("expr", "definition") and isinstance(v, str):
                print(v)
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
for f in sys.argv[1:]:
    walk(json.load(open(f)))' "$DASH_DIR"/*.json
        fi
    } )
    # ota_* names, histogram series suffixes stripped.
    used_ota=$(printf '%s\n' "$exprs" | grep -oE '\bota_[a-z0-9_]+' | sed -E 's/_(bucket|count|sum)$//' | sort -u)
    missing=$(comm -23 <(printf '%s\n' "$used_ota") <(printf '%s\n' "$documented"))
    if [ -z "$used_ota" ]; then
        fail "no ota_* metric found in the rules and dashboard (extraction broken?)"
    elif [ -n "$missing" ]; then
        fail "ota_* names used but not in $METRICS_DOC:"
        printf '        %s\n' $missing
    else
        pass "$(printf '%s\n' "$used_ota" | wc -l | tr -d ' ') ota_* names used by rules and dashboard, all in $METRICS_DOC"
    fi
    # Every other metric (a name directly followed by a selector { or a range [, or any name with a
    # standard meter prefix, selector or not) must be standard.
    used_other=$( { printf '%s\n' "$exprs" | grep -oE '\b[a-zA-Z_:][a-zA-Z0-9_:]*[{[]' | tr -d '{['
        printf '%s\n' "$exprs" | grep -oE '\b(jvm|process|system|lettuce|netty|executor)_[a-zA-Z0-9_]+'; } \
        | grep -vE '^ota_' | sed -E 's/_(bucket|count|sum)$//' | sort -u)
    unknown=$(comm -23 <(printf '%s\n' "$used_other" | sed '/^$/d') <(printf '%s\n' "$STANDARD_METRICS" | sort -u))
    if [ -n "$unknown" ]; then
        fail "non-product metric names not in the standard list of deploy/check.sh:"
        printf '        %s\n' $unknown
    else
        pass "other metric names are standard: $(printf '%s ' $used_other)"
    fi
    # Against what the services export: scrapes of /metrics given with --exported(-dir); without
    # them (a build that skipped the standalone's tests), docs/METRICS.md is the reference.
    if [ ${#EXPORTED[@]} -gt 0 ]; then
        exported=$(grep -hvE '^(#|$)' "${EXPORTED[@]}" | grep -oE '^[a-zA-Z_:][a-zA-Z0-9_:]*' \
            | sed -E 's/_(bucket|count|sum)$//' | sort -u)
        not_exported=$(comm -23 <(printf '%s\n' "$used_ota") <(printf '%s\n' "$exported"))
        if [ -n "$not_exported" ]; then
            fail "ota_* names used by rules/dashboard but not in the scrapes (${EXPORTED[*]}):"
            printf '        %s\n' $not_exported
        else
            pass "every ota_* name used by rules and dashboard is exported (${#EXPORTED[@]} scrape(s))"
        fi
        # Prometheus makes `up` itself; every other standard name must come from a service too.
        other_missing=$(comm -23 <(printf '%s\n' "$used_other" | grep -vxE 'up|') <(printf '%s\n' "$exported"))
        if [ -n "$other_missing" ]; then
            fail "standard metric names used but not in the scrapes: $(printf '%s ' $other_missing)"
        else
            pass "every standard metric name used (but up) is exported"
        fi
        # (Micrometer adds a _max gauge to each timer; the timer's own name is what is documented.)
        undoc_exported=$(comm -13 <(printf '%s\n' "$documented") \
            <(printf '%s\n' "$exported" | grep -E '^ota_' | sed -E 's/_max$//' | sort -u))
        [ -z "$undoc_exported" ] || echo "  note  exported ota_* names missing from $METRICS_DOC: $(printf '%s ' $undoc_exported)"
    else
        echo "  note  no --exported scrapes given: names checked against $METRICS_DOC only"
    fi
    echo "  ota_* names checked:"
    printf '%s\n' "$used_ota" | sed 's/^/        /'
fi

# ---------------------------------------------------------------------------------------------
echo
if [ "$failures" -gt 0 ]; then
    echo "deploy/check.sh: $failures check(s) FAILED"
    exit 1
fi
echo "deploy/check.sh: all checks passed"
