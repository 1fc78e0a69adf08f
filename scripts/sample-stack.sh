#!/usr/bin/env bash
# Starts (up) or removes (down) the sample three-tier stack as compose project "shop",
# with `docker compose` where present, else Debian's docker-compose 1.29.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../sample"
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
case "${1:-up}" in
  up) "${compose[@]}" -p shop up -d --remove-orphans 2>&1 | grep -vE "^(Creating|Starting|Recreating).*done$" >&2 || true
      docker ps --filter label=com.docker.compose.project=shop --format '{{.Names}}' | grep -q . ;;
  down) "${compose[@]}" -p shop down --remove-orphans >/dev/null 2>&1 ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
