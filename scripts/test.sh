#!/usr/bin/env bash
# The one test command: installs what is missing, builds, and runs unit, engine and host tests.
# REQUIRE_ENGINE=1 REQUIRE_HOST=1 make a missing engine or extension host fail the run (CI sets both).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/provision.sh deps engine image host build || echo "[test] provisioning was incomplete; the runner says which kinds cannot run" >&2
npm run --silent check || { echo "[test] type check or lint failed (npm run check)" >&2; exit 1; }
npx --no-install tsc -p tsconfig.test.json || { echo "[test] the tests do not compile" >&2; exit 1; }
exec node scripts/run-tests.js "$@"
