#!/usr/bin/env bash
# Installs the Debian tools the tests run, when they are missing:
#   lua5.4    (package lua5.4: conformance runs LuatOS' libfota/libfota2 request builders under it)
#   promtool  (package prometheus: deploy/check.sh checks the Prometheus config and alert rules)
#   haproxy   (package haproxy: deploy/check.sh checks the load balancer config of docker-compose.cluster.yml)
#   swupdate, cpio, openssl (packages swupdate, cpio, openssl: conformance runs Debian's SWUpdate 2022.12 against the
#             hawkBit dialect, with a .swu it builds with cpio and signs with openssl)
#   chromium, chromedriver (packages chromium, chromium-driver: the standalone's ConsoleBrowserTest drives the web
#             console in headless chromium through Selenium)
#   node, npm (packages nodejs, npm: only when asked, by lint-openapi.sh, which installs Redocly CLI with npm;
#             the machine's own Node.js is used when it has one)
# Usage: install-tools.sh [command package ...]   (no arguments: all of the above)
# Runs from .ci/run before `./mvnw -B verify`, from the conformance and standalone modules' builds
# (process-test-resources) and from deploy/check.sh (promtool, haproxy), so a plain `./mvnw -B verify` on a
# fresh machine works too. Installs with apt-get when running as root; otherwise (or when apt-get fails)
# it exits non-zero and says why on stderr: a test that needs a tool is never skipped.
set -uo pipefail

# command package
TOOLS="lua5.4 lua5.4 promtool prometheus haproxy haproxy swupdate swupdate cpio cpio openssl openssl chromium chromium
       chromedriver chromium-driver"
[ $# -gt 0 ] && TOOLS="$*"

have() { command -v "$1" >/dev/null 2>&1; }

missing_cmds=() missing_pkgs=()
set -- $TOOLS
while [ $# -ge 2 ]; do
    have "$1" || { missing_cmds+=("$1"); missing_pkgs+=("$2"); }
    shift 2
done
[ ${#missing_cmds[@]} -eq 0 ] && exit 0

why=""
if [ "$(id -u)" != 0 ]; then
    why="not running as root, so apt-get cannot install them here: run 'sudo apt-get install -y ${missing_pkgs[*]}' once"
elif ! have apt-get; then
    why="no apt-get on this machine: install ${missing_pkgs[*]} with its package manager and put ${missing_cmds[*]} on PATH"
else
    echo "install-tools: ${missing_cmds[*]} missing: apt-get install -y ${missing_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    # Install from the current lists first; update them only when that fails (fresh images have none).
    if ! apt-get install -y --no-install-recommends "${missing_pkgs[@]}" >"$log" 2>&1 \
        && ! { apt-get update && apt-get install -y --no-install-recommends "${missing_pkgs[@]}"; } >"$log" 2>&1; then
        why="apt-get could not install ${missing_pkgs[*]}:
$(tail -n 15 "$log")"
    fi
    rm -f "$log"
    for c in "${missing_cmds[@]}"; do
        have "$c" || why="${why:-the packages installed but $c is not on PATH}"
    done
fi
if [ -n "$why" ]; then
    echo "install-tools: FAILED: ${missing_cmds[*]} not found and not installed: $why" >&2
    exit 1
fi
echo "install-tools: installed ${missing_pkgs[*]}"
