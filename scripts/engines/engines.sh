#!/usr/bin/env bash
# Extra Docker engines for the engine tests, each dockerd in its own network namespace (never the main engine at
# /var/run/docker.sock, whose Swarm state is never touched: only `docker save` of the test image reads from it).
#
#   scripts/engines/engines.sh ID up KIND...    KIND: swarm ssh tls podman socket
#   scripts/engines/engines.sh ID down          removes everything ID started (namespaces, daemons, cgroups, files)
#
# ID (letters/digits, <= 12 chars) prefixes every namespace, cgroup and folder, so runs never collide. State lives in
# $DIR=/tmp/docker-net-engines/ID; each KIND writes $DIR/KIND.json describing its endpoint for the tests.
#   swarm  : nodes 1 2 3 (netns ID-n1.., 10.99.0.N/24 on a bridge in netns ID-sw), node1 manager, 2 and 3 workers
#   ssh    : sshd on 127.0.0.1:<free port> whose `docker system dial-stdio` reaches node 9; ssh wrappers and configs
#   tls    : node 4 serving tcp://127.0.0.1:<free port> with --tlsverify, certificates made by openssl
#   podman : podman system service (Docker-compatible API) in netns ID-n5 on unix://$DIR/podman.sock
#   socket : node 6 on unix://$DIR/xdg/docker.sock (where rootless Docker puts its socket: $XDG_RUNTIME_DIR/docker.sock)
# Learned from /work/shared/recipes/multihost (nsrun.sh, fdlisten.py are copies). Needs root, iproute2, openssh-server,
# openssl, podman (scripts/provision.sh installs them).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ID=${1:?usage: engines.sh ID up KIND... | down}
[[ $ID =~ ^[A-Za-z0-9]{1,12}$ ]] || { echo "engines.sh: ID must be 1-12 letters or digits" >&2; exit 2; }
CMD=${2:?usage: engines.sh ID up KIND... | down}
shift 2
DIR=/tmp/docker-net-engines/$ID
IMG=${DOCKER_NET_TEST_IMAGE:-docker-net-busybox:latest}
MAIN_SOCK=/var/run/docker.sock

log() { printf '[engines %s %s] %s\n' "$ID" "$(date +%T)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
dk() { local n=$1; shift; docker -H "unix://$DIR/node$n.sock" "$@"; }
has_netns() { [ -e "/run/netns/$1" ]; }
retry() { local t=$1; shift; local end=$(( $(now_ms) + t * 1000 )); until "$@"; do [ "$(now_ms)" -ge "$end" ] && return 1; sleep 0.2; done; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

switch_up() {
  has_netns "$ID-sw" && return 0
  ip netns add "$ID-sw"
  ip -n "$ID-sw" link set lo up
  ip -n "$ID-sw" link add br0 type bridge
  ip -n "$ID-sw" link set br0 up
}

net_up() {   # netns ID-nN: eth0 10.99.0.N/24, its veth peer pN on the switch's bridge (nothing in the host's netns)
  local n=$1
  switch_up
  has_netns "$ID-n$n" && return 0
  ip netns add "$ID-n$n"
  ip -n "$ID-sw" link add "p$n" type veth peer name eth0 netns "$ID-n$n"
  ip -n "$ID-sw" link set "p$n" master br0 up
  ip -n "$ID-n$n" link set lo up
  ip -n "$ID-n$n" link set eth0 up
  ip -n "$ID-n$n" addr add "10.99.0.$n/24" dev eth0
}

# node_up N SOCKET [dockerd args...]; ENGINES_TCP=127.0.0.1:0 also serves a host TCP port (written to $D/port)
node_up() {
  local n=$1 sock=$2; shift 2
  local D=$DIR/node$n
  net_up "$n"
  if [ -S "$sock" ] && docker -H "unix://$sock" version >/dev/null 2>&1; then return 0; fi
  mkdir -p "$D/data" "$D/exec" "$D/etc-docker"
  local -a pre=()
  if [ -n "${ENGINES_TCP:-}" ]; then pre=(env "FDLISTEN_PORT_FILE=$D/port" python3 "$HERE/fdlisten.py" "$ENGINES_TCP"); fi
  # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: Swarm tasks use the local image instead of asking a registry first.
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 NSRUN_TMPFS="/run/containerd" NSRUN_BIND="$D/etc-docker:/etc/docker" \
    setsid "${pre[@]}" "$HERE/nsrun.sh" "$ID-n$n" "node$n" "$D/cg" \
      dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
              -H "unix://$sock" --cgroup-parent "/$ID-node$n" --shutdown-timeout 3 "$@" \
    >"$D/dockerd.log" 2>&1 </dev/null &
  echo $! >"$D/wrapper.pid"
  local i
  for i in $(seq 1 600); do
    docker -H "unix://$sock" version >/dev/null 2>&1 && break
    kill -0 "$(cat "$D/wrapper.pid")" 2>/dev/null || { tail -5 "$D/dockerd.log" >&2; die "node$n dockerd died"; }
    sleep 0.1
  done
  docker -H "unix://$sock" version >/dev/null 2>&1 || die "node$n: no answer after 60 s (see $D/dockerd.log)"
  # the test image, copied from the main engine (read only)
  docker -H "unix://$sock" image inspect "$IMG" >/dev/null 2>&1 || docker -H "unix://$MAIN_SOCK" save "$IMG" | docker -H "unix://$sock" load -q >/dev/null
}

stop_pid() {
  local pid=$1 t=${2:-15} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $(( t * 10 ))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true; sleep 0.3
}

cgroup_cleanup() {   # dockerd --cgroup-parent /ID-nodeN creates these and never removes them
  local name=$1 d p
  for d in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
    [ -d "$d" ] || continue
    for p in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  done
  sleep 0.2
  for d in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
    if [ -d "$d" ]; then find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
}

node_down() {
  local n=$1 sock=$2 D=$DIR/node$n p ids
  if [ -f "$D/wrapper.pid" ] && kill -0 "$(cat "$D/wrapper.pid")" 2>/dev/null; then
    docker -H "unix://$sock" swarm leave --force >/dev/null 2>&1 || true
    # busybox `sleep` as PID 1 ignores SIGTERM: remove containers first, or dockerd waits for each of them
    ids=$(docker -H "unix://$sock" ps -aq 2>/dev/null || true)
    if [ -n "$ids" ]; then docker -H "unix://$sock" rm -f $ids >/dev/null 2>&1 || true; fi
    stop_pid "$(cat "$D/wrapper.pid")" 20
  fi
  # containerd and shims of this node (found by our own exec-root path), killed by PID
  for p in $(ps -eo pid=,args= | awk -v s="$D/exec/" 'index($0, s) {print $1}'); do kill -KILL "$p" 2>/dev/null || true; done
  cgroup_cleanup "$ID-node$n"
  if has_netns "$ID-n$n"; then ip netns del "$ID-n$n"; fi
}

up_swarm() {
  local t0; t0=$(now_ms)
  switch_up
  for n in 1 2 3; do node_up "$n" "$DIR/node$n.sock" & done
  wait
  for n in 1 2 3; do dk "$n" version >/dev/null 2>&1 || die "node$n did not start"; done
  if [ "$(dk 1 info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
    dk 1 swarm init --advertise-addr 10.99.0.1 --listen-addr 10.99.0.1:2377 >/dev/null
  fi
  local tok; tok=$(dk 1 swarm join-token -q worker)
  for n in 2 3; do
    if [ "$(dk "$n" info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
      dk "$n" swarm join --token "$tok" --advertise-addr "10.99.0.$n" --listen-addr "10.99.0.$n:2377" 10.99.0.1:2377 >/dev/null
    fi
  done
  retry 30 sh -c "[ \$(docker -H unix://$DIR/node1.sock node ls --format '{{.Status}}' | grep -c Ready) -ge 3 ]" || die "swarm nodes not Ready"
  printf '{"manager":"unix://%s/node1.sock","workers":["unix://%s/node2.sock","unix://%s/node3.sock"],"managerAddr":"10.99.0.1"}\n' "$DIR" "$DIR" "$DIR" >"$DIR/swarm.json"
  log "swarm: 3 nodes Ready in $(( $(now_ms) - t0 )) ms"
}

up_ssh() {
  local t0 S=$DIR/ssh port; t0=$(now_ms)
  command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || die "no sshd: apt-get install openssh-server (scripts/provision.sh deps)"
  node_up 9 "$DIR/node9.sock"
  mkdir -p "$S"; chmod 700 "$S"
  [ -f "$S/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
  [ -f "$S/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "docker-net-$ID" -f "$S/id_ed25519"
  [ -f "$S/other_key" ] || ssh-keygen -q -t ed25519 -N '' -C "docker-net-$ID-unauthorized" -f "$S/other_key"
  cp "$S/id_ed25519.pub" "$S/authorized_keys"
  if [ -f "$S/port" ] && [ -f "$S/sshd.pid" ] && kill -0 "$(cat "$S/sshd.pid")" 2>/dev/null; then port=$(cat "$S/port"); else port=$(free_port); fi
  echo "$port" >"$S/port"
  cat >"$S/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid.own
AuthorizedKeysFile $S/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
AllowTcpForwarding yes
SetEnv DOCKER_HOST=unix://$DIR/node9.sock
CFG
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$S/host_key.pub")" >"$S/known_hosts"
  : >"$S/known_hosts.empty"
  # Four ssh set-ups a user could have, each an `ssh` wrapper that adds -F (the tests never touch ~/.ssh):
  #   key: IdentityFile in the config; agent: no IdentityFile, the key in ssh-agent; unknown-host: empty known_hosts;
  #   no-key: a key sshd does not accept. The configs also define host aliases (HostName/Port/User) and a ProxyJump.
  local kind
  for kind in key agent unknown-host no-key; do
    mkdir -p "$S/$kind/bin"
    {
      echo "Host dn-alias"; echo "  HostName 127.0.0.1"; echo "  Port $port"; echo "  User root"
      echo "Host dn-jumped"; echo "  HostName 127.0.0.1"; echo "  Port $port"; echo "  User root"; echo "  ProxyJump dn-alias"
      echo "Host *"
      case $kind in
        key) echo "  IdentityFile $S/id_ed25519"; echo "  IdentitiesOnly yes" ;;
        agent) echo "  IdentityFile none" ;;
        no-key) echo "  IdentityFile $S/other_key"; echo "  IdentitiesOnly yes" ;;
        unknown-host) echo "  IdentityFile $S/id_ed25519"; echo "  IdentitiesOnly yes" ;;
      esac
      if [ "$kind" = unknown-host ]; then echo "  UserKnownHostsFile $S/known_hosts.empty"; else echo "  UserKnownHostsFile $S/known_hosts"; fi
      echo "  GlobalKnownHostsFile /dev/null"
    } >"$S/$kind/ssh_config"
    printf '#!/bin/sh\nexec /usr/bin/ssh -F %s/%s/ssh_config "$@"\n' "$S" "$kind" >"$S/$kind/bin/ssh"
    chmod +x "$S/$kind/bin/ssh"
  done
  [ -d /run/sshd ] || mkdir -m 755 /run/sshd   # sshd's privilege separation directory
  if ! { [ -f "$S/sshd.pid" ] && kill -0 "$(cat "$S/sshd.pid")" 2>/dev/null; }; then
    /usr/sbin/sshd -t -f "$S/sshd_config" || die "sshd_config rejected"
    setsid /usr/sbin/sshd -D -f "$S/sshd_config" -E "$S/sshd.log" </dev/null >/dev/null 2>&1 &
    echo $! >"$S/sshd.pid"
  fi
  if ! { [ -f "$S/agent.pid" ] && kill -0 "$(cat "$S/agent.pid")" 2>/dev/null; }; then
    rm -f "$S/agent.sock"
    setsid ssh-agent -D -a "$S/agent.sock" >/dev/null 2>&1 </dev/null &
    echo $! >"$S/agent.pid"
    retry 5 test -S "$S/agent.sock" || die "ssh-agent did not start"
  fi
  SSH_AUTH_SOCK=$S/agent.sock ssh-add -q "$S/id_ed25519" 2>/dev/null
  retry 10 sh -c "PATH=$S/key/bin:\$PATH DOCKER_HOST=ssh://root@127.0.0.1:$port docker version >/dev/null 2>&1" \
    || die "docker over ssh://root@127.0.0.1:$port does not answer; see $S/sshd.log"
  printf '{"endpoint":"ssh://root@127.0.0.1:%s","port":%s,"agentSock":"%s/agent.sock","remoteName":"node9","path":{"key":"%s/key/bin","agent":"%s/agent/bin","unknownHost":"%s/unknown-host/bin","noKey":"%s/no-key/bin"}}\n' \
    "$port" "$port" "$S" "$S" "$S" "$S" "$S" >"$DIR/ssh.json"
  log "ssh: ssh://root@127.0.0.1:$port -> node9 in $(( $(now_ms) - t0 )) ms"
}

make_certs() {
  local T=$1
  mkdir -p "$T"; chmod 700 "$T"
  [ -f "$T/ca.pem" ] && [ -f "$T/cert.pem" ] && [ -f "$T/server-cert.pem" ] && return 0
  ( cd "$T"
    openssl genrsa -out ca-key.pem 2048 2>/dev/null
    openssl req -new -x509 -days 2 -sha256 -key ca-key.pem -subj "/CN=docker-net-test-ca" -out ca.pem
    openssl genrsa -out server-key.pem 2048 2>/dev/null
    openssl req -new -key server-key.pem -subj "/CN=127.0.0.1" -out server.csr
    printf 'subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n' >server-ext.cnf
    openssl x509 -req -days 2 -sha256 -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -extfile server-ext.cnf 2>/dev/null
    openssl genrsa -out key.pem 2048 2>/dev/null
    openssl req -new -key key.pem -subj "/CN=docker-net-client" -out client.csr
    printf 'extendedKeyUsage = clientAuth\n' >client-ext.cnf
    openssl x509 -req -days 2 -sha256 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -extfile client-ext.cnf 2>/dev/null
    # a second CA that signed nothing the engine uses: "wrong CA" for the failure tests
    mkdir -p other && openssl genrsa -out other/ca-key.pem 2048 2>/dev/null
    openssl req -new -x509 -days 2 -sha256 -key other/ca-key.pem -subj "/CN=docker-net-other-ca" -out other/ca.pem
    cp cert.pem key.pem other/
    rm -f server.csr client.csr )
}

up_tls() {
  local t0 T=$DIR/tls; t0=$(now_ms)
  make_certs "$T"
  ENGINES_TCP=127.0.0.1:0 node_up 4 "$DIR/node4.sock" -H fd:// --tlsverify \
    --tlscacert "$T/ca.pem" --tlscert "$T/server-cert.pem" --tlskey "$T/server-key.pem"
  local port; port=$(cat "$DIR/node4/port")
  printf '{"endpoint":"tcp://127.0.0.1:%s","certPath":"%s","otherCertPath":"%s/other","remoteName":"node4"}\n' "$port" "$T" "$T" >"$DIR/tls.json"
  log "tls: tcp://127.0.0.1:$port -> node4 in $(( $(now_ms) - t0 )) ms"
}

up_podman() {
  command -v podman >/dev/null || die "no podman: apt-get install --no-install-recommends podman netavark aardvark-dns (scripts/provision.sh deps)"
  local t0 P=$DIR/podman SOCK=$DIR/podman.sock; t0=$(now_ms)
  net_up 5
  mkdir -p "$P/root" "$P/run" "$P/net" "$P/tmp"
  # root's default rlimits (nofile 1048576) exceed what this VM allows: every container would fail without this
  cat >"$P/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
events_logger = "file"
cgroup_manager = "cgroupfs"
CONF
  if ! { [ -S "$SOCK" ] && curl -sf --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }; then
    CONTAINERS_CONF=$P/containers.conf NSRUN_TMPFS="/run" setsid "$HERE/nsrun.sh" "$ID-n5" podman "$P/cg" \
      podman --root "$P/root" --runroot "$P/run" --network-config-dir "$P/net" --tmpdir "$P/tmp" \
             system service --time=0 "unix://$SOCK" >"$P/service.log" 2>&1 </dev/null &
    echo $! >"$P/service.pid"
    retry 30 sh -c "curl -sf --unix-socket $SOCK http://d/_ping >/dev/null" || { tail -5 "$P/service.log" >&2; die "podman API not answering"; }
  fi
  printf '{"endpoint":"unix://%s"}\n' "$SOCK" >"$DIR/podman.json"
  log "podman: unix://$SOCK in $(( $(now_ms) - t0 )) ms"
}

up_socket() {
  local t0; t0=$(now_ms)
  mkdir -p "$DIR/xdg"; chmod 700 "$DIR/xdg"
  node_up 6 "$DIR/xdg/docker.sock"
  printf '{"xdgRuntimeDir":"%s/xdg","endpoint":"unix://%s/xdg/docker.sock","remoteName":"node6"}\n' "$DIR" "$DIR" >"$DIR/socket.json"
  log "socket: unix://$DIR/xdg/docker.sock in $(( $(now_ms) - t0 )) ms"
}

down_all() {
  local S=$DIR/ssh P=$DIR/podman
  [ -d "$DIR" ] || { has_netns "$ID-sw" || return 0; }
  [ -f "$S/sshd.pid" ] && stop_pid "$(cat "$S/sshd.pid")" 5
  [ -f "$S/agent.pid" ] && stop_pid "$(cat "$S/agent.pid")" 5
  if [ -S "$DIR/podman.sock" ]; then
    ids=$(docker -H "unix://$DIR/podman.sock" ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || docker -H "unix://$DIR/podman.sock" rm -f $ids >/dev/null 2>&1 || true
  fi
  [ -f "$P/service.pid" ] && stop_pid "$(cat "$P/service.pid")" 10
  if has_netns "$ID-n5"; then for p in $(ip netns pids "$ID-n5"); do kill -KILL "$p" 2>/dev/null || true; done; fi
  # workers leave before the manager; nodes stop in parallel
  for n in 3 2 9 4 6 1; do
    sock=$DIR/node$n.sock; [ "$n" = 6 ] && sock=$DIR/xdg/docker.sock
    node_down "$n" "$sock" &
  done
  wait
  if has_netns "$ID-n5"; then ip netns del "$ID-n5"; fi
  if has_netns "$ID-sw"; then ip netns del "$ID-sw"; fi
  # podman's own storage may hold read-only overlay mounts: unmount what is under $DIR before removing it
  { grep -o " $DIR/[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$DIR"
  log "down"
}

case $CMD in
  up)
    [ "$(id -u)" = 0 ] || die "needs root (network namespaces, dockerd)"
    mkdir -p "$DIR"
    for kind in "$@"; do
      case $kind in swarm|ssh|tls|podman|socket) ;; *) die "unknown kind $kind (swarm ssh tls podman socket)" ;; esac
    done
    # the kinds start in parallel (each has its own nodes); the shared switch namespace first
    switch_up
    pids=()
    for kind in "$@"; do "up_$kind" & pids+=($!); done
    rc=0; for p in "${pids[@]}"; do wait "$p" || rc=1; done
    [ $rc = 0 ] || die "some engines did not start (see the lines above)" ;;
  down) down_all ;;
  *) echo "usage: engines.sh ID up KIND... | down" >&2; exit 2 ;;
esac
