#!/usr/bin/env bash
# Starts (up) or removes (down) the sample three-tier stack as compose project "shop",
# with `docker compose` where present, else Debian's docker-compose 1.29.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../sample"
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
case "${1:-up}" in
  # Containers whose networks were removed behind Compose's back (a prune) cannot restart: recreate them.
  up) "${compose[@]}" -p shop up -d --remove-orphans >/tmp/docker-net-sample.log 2>&1 \
        || { "${compose[@]}" -p shop down --remove-orphans >>/tmp/docker-net-sample.log 2>&1; "${compose[@]}" -p shop up -d >>/tmp/docker-net-sample.log 2>&1; } \
        || { echo "[sample] docker compose up failed; see /tmp/docker-net-sample.log" >&2; exit 1; }
      docker ps --filter label=com.docker.compose.project=shop --format '{{.Names}}' | grep -q . ;;
  down) "${compose[@]}" -p shop down --remove-orphans >/dev/null 2>&1 ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
