#!/usr/bin/env bash
# Lints docs/openapi.yaml (or the file given) with Redocly CLI (its recommended rules): any error fails, warnings are shown.
# Redocly CLI is an npm package, pinned here and installed into .ci/.tools (git-ignored) when missing;
# Node.js and npm come with the machine, or from Debian through install-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
REDOCLY_VERSION=2.77.0
TOOLS=.ci/.tools
bash .ci/install-tools.sh node nodejs npm npm
bin="$TOOLS/node_modules/.bin/redocly"
if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$REDOCLY_VERSION\"" "$TOOLS/node_modules/@redocly/cli/package.json" 2>/dev/null; then
    echo "lint-openapi: npm install @redocly/cli@$REDOCLY_VERSION into $TOOLS"
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >/dev/null
fi
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin" lint "${1:-docs/openapi.yaml}" --format=stylish
