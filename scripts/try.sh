#!/usr/bin/env bash
# "Try it": installs what is missing, builds and packages the extension, starts the sample stack,
# and serves VS Code in the browser with the extension installed and the sample workspace open.
# PORT (default 8443; the sample's load balancer has 8080) and BIND (default 127.0.0.1) can be set.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8443}"
BIND="${BIND:-127.0.0.1}"
bash scripts/provision.sh deps engine image host build || { echo "[try] provisioning failed (see above)" >&2; exit 1; }
npm run --silent package >/dev/null || { echo "[try] packaging the extension failed" >&2; exit 1; }
bash scripts/sample-stack.sh up || { echo "[try] the sample stack did not start; the editor still opens" >&2; }
exec node scripts/serve.js --port "$PORT" --bind "$BIND"
