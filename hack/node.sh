#!/usr/bin/env bash
# A complete single-node Kubernetes cluster on this machine, as root and without systemd, for the node test tier and
# `hack/run-local.sh --node`: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy
# (iptables), containerd + runc (Debian), the CNI bridge plugin (Debian's containernetworking-plugins) and kube-router's
# NetworkPolicy firewall. Every binary is pinned (hack/build-tools.sh, hack/build-node-tools.sh); every file it writes
# is under one work directory, except the few paths upstream hard-codes, which `down` removes (see hack/README.md).
#
#   hack/node.sh up                start (a leftover of an earlier run in the same work dir is torn down first)
#   hack/node.sh down [--force]    stop and remove everything `up` made; idempotent, safe after a failed or killed up;
#                                  refuses a node whose owner (the process that ran `up`) still runs, unless --force
#   hack/node.sh load IMAGE.tar..  import OCI image tarballs into the node's containerd (namespace k8s.io)
#   hack/node.sh env               the variables of the running node (KUBECONFIG=..., NODE_NAME=..., ...)
#   hack/node.sh snapshot FILE     what a node leaves on the machine (processes, links, addresses, routes, iptables,
#                                  ipsets, mounts, netns, cgroups, sysctls, outside paths): `down` must restore it
#
# Environment: GROUNDWORK_NODE_DIR (work dir, default /var/tmp/groundwork-node), GROUNDWORK_NODE_NET (the first two
# octets of its addresses, default 10.203: pods 10.203.0.0/24 on bridge gwnode0 with the node at 10.203.0.1, services
# 10.203.1.0/24), GROUNDWORK_NODE_PORT_BASE (default 26400: API server +43, etcd +79/+80, kubelet +50/+48,
# controller-manager +57, scheduler +59, kube-proxy +56/+49). Set-up stops with an error if any of them is taken.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=hack/tools.env
. "$ROOT/hack/tools.env"
BIN="$GROUNDWORK_TOOLS_BIN"

WORK="${GROUNDWORK_NODE_DIR:-/var/tmp/groundwork-node}"
NET="${GROUNDWORK_NODE_NET:-10.203}"
PB="${GROUNDWORK_NODE_PORT_BASE:-26400}"
BRIDGE=gwnode0
NODE_NAME=groundwork-node
CNI_NETWORK=groundwork-node
CGROUP_ROOT=groundwork-node
POD_CIDR="$NET.0.0/24"
NODE_IP="$NET.0.1"
SERVICE_CIDR="$NET.1.0/24"
SERVICE_IP="$NET.1.1"
API_PORT=$((PB + 43)) ETCD_PORT=$((PB + 79)) ETCD_PEER_PORT=$((PB + 80)) KUBELET_PORT=$((PB + 50))
KUBELET_HEALTHZ_PORT=$((PB + 48)) KCM_PORT=$((PB + 57)) SCHED_PORT=$((PB + 59)) PROXY_HEALTHZ_PORT=$((PB + 56))
PROXY_METRICS_PORT=$((PB + 49))
PORTS=("$API_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT" "$KUBELET_PORT" "$KUBELET_HEALTHZ_PORT" "$KCM_PORT" "$SCHED_PORT"
  "$PROXY_HEALTHZ_PORT" "$PROXY_METRICS_PORT")
SOCK="$WORK/containerd/containerd.sock"
KUBECONFIG_FILE="$WORK/kubeconfig"
# Sysctls the kubelet (protectKernelDefaults behaviour), the bridge plugin and this script change: restored by down.
SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables
  net.bridge.bridge-nf-call-ip6tables)
# Paths outside $WORK that upstream hard-codes: removed by down when up created them.
OUTSIDE=(/var/lib/kubelet /var/lib/cni /var/log/containers /var/log/pods /run/containerd /usr/libexec/kubernetes
  /opt/containerd /etc/cni /var/run/netns)
COMPONENTS=(kube-router kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver containerd etcd)

exec 3>&2  # the script's stderr, for messages from inside redirected checks
log() { printf 'node: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
ctr_() { ctr --address "$SOCK" -n k8s.io "$@"; }
kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# --- snapshot: what must be the same before up and after down ------------------------------------------------------
snapshot() {
  {
    echo "## processes (naming the work dir, or in the pod cgroups)"
    local p cmd
    for p in /proc/[0-9]*; do
      cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" || continue
      [[ "$cmd" == *"$WORK"* && "${p#/proc/}" != "$$" && "${p#/proc/}" != "$BASHPID" ]] && echo "$(cat "$p/comm" 2>/dev/null) ${cmd:0:120}"
    done | grep -v ' snapshot ' | sort || true
    find /sys/fs/cgroup/*/"$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | sed 's/^/pod cgroup process /' || true
    echo "## links"
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
    echo "## addresses"
    ip -o addr show | awk '{ print $2, $3, $4 }' | sort
    echo "## routes"
    ip route show table all | sort
    local family
    for family in iptables ip6tables; do
      echo "## $family"
      if command -v "$family-save" >/dev/null; then
        "$family-save" 2>/dev/null | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//' | sort || true
      fi
    done
    echo "## ipsets"
    if command -v ipset >/dev/null; then ipset list -n 2>/dev/null | sort || true; fi
    echo "## mounts"
    awk '{ print $5, $9 }' /proc/self/mountinfo | sort
    echo "## netns"
    ls -1 /var/run/netns 2>/dev/null | sort || true
    echo "## cgroups"
    find /sys/fs/cgroup -maxdepth 3 -type d \( -name "$CGROUP_ROOT" -o -name kubepods -o -name 'kubepods*' \) 2>/dev/null | sort
    echo "## sysctls"
    local s
    for s in "${SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s" 2>/dev/null || echo absent)"; done
    echo "## outside paths"
    for s in "${OUTSIDE[@]}"; do
      if [[ -e "$s" ]]; then find "$s" -maxdepth 3 2>/dev/null | sort; else echo "$s absent"; fi
    done
  }
}

# --- down ------------------------------------------------------------------------------------------------------------
stop_pidfile() { # NAME [TIMEOUT_TENTHS]: SIGTERM, then SIGKILL after the timeout
  local f="$WORK/run/$1.pid" pid waited=0
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  # Only our own process: its command line must name the work dir (every component gets a flag under it).
  if [[ -n "$pid" ]] && grep -qF "$WORK" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (( waited < ${2:-50} )); do sleep 0.1; waited=$((waited + 1)); done
    kill -9 "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$f"
}

# Every process left in our pod cgroups (containers, shims are outside): killed.
kill_cgroup_procs() {
  local d pids
  for d in /sys/fs/cgroup/*/"$CGROUP_ROOT"; do
    [[ -d "$d" ]] || continue
    pids="$(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)"
    [[ -z "$pids" ]] || kill -9 $pids 2>/dev/null || true
  done
}

down() {
  # Best effort all the way: a step that fails (a cgroup vanishing while it is read, a rule already gone) must not
  # stop the steps after it. What is left is what `snapshot` shows.
  set +e +o pipefail
  [[ -d "$WORK" ]] || { log "nothing to tear down ($WORK absent)"; return 0; }
  # Never another live user's node: the process that ran `up` (its parent) owns it until it exits.
  local owner
  owner="$(cat "$WORK/owner" 2>/dev/null)"
  if [[ "${FORCE:-0}" != 1 && -n "$owner" && "$owner" != "$PPID" ]] && kill -0 "$owner" 2>/dev/null; then
    log "ERROR: the node in $WORK belongs to running process $owner ($(ps -o args= -p "$owner" 2>/dev/null | cut -c1-80)):"
    log "  not touching it (another test run or user?). Stop it with: hack/node.sh down --force"
    return 1
  fi
  # The machine-wide clean-up (bridge, cgroup root, chains) only for a work dir that `up` made.
  if [[ ! -f "$WORK/saved/sysctls" ]]; then
    log "$WORK holds no node made by hack/node.sh up: left as is"
    return 0
  fi
  log "tearing down the node in $WORK"
  local netns=() id
  # 1. The pods' network namespaces, as containerd knows them (sandbox specs), while it still runs.
  if [[ -S "$SOCK" ]] && command -v ctr >/dev/null; then
    mapfile -t netns < <(for id in $(ctr_ containers ls -q 2>/dev/null); do
      ctr_ containers info "$id" 2>/dev/null | python3 -c '
import json, sys
try:
    spec = json.load(sys.stdin).get("Spec") or {}
    for ns in (spec.get("linux") or {}).get("namespaces") or []:
        if ns.get("type") == "network" and ns.get("path"): print(ns["path"])
except Exception: pass' || true
    done | sort -u)
  fi
  # 2. Control plane and node agents first (nothing recreates pods), then every container, then containerd.
  local c
  for c in kube-router kube-proxy kubelet kube-scheduler kube-controller-manager; do stop_pidfile "$c" 30; done
  kill_cgroup_procs
  if [[ -S "$SOCK" ]]; then
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  fi
  stop_pidfile containerd 50
  # containerd-shim-runc-v2 processes of our containerd (their -address names our socket).
  local pid
  for pid in $(pgrep -f "containerd-shim.*-address $SOCK" 2>/dev/null || true); do kill -9 "$pid" 2>/dev/null || true; done
  kill_cgroup_procs
  stop_pidfile kube-apiserver 100
  stop_pidfile etcd 50

  # 3. Rules: kube-proxy's and kube-router's own clean-up, then the kubelet's chains and ours.
  if [[ -x "$BIN/kube-proxy" && -f "$WORK/kube-proxy.yaml" ]]; then
    "$BIN/kube-proxy" --config "$WORK/kube-proxy.yaml" --cleanup >"$WORK/logs/kube-proxy-cleanup.log" 2>&1 || true
  fi
  cleanup_rules
  # 4. Network: pod netns (CNI results of our network), veths on our bridge, the bridge, conntrack entries.
  local n
  for n in "${netns[@]}"; do
    ip netns pids "$(basename "$n")" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    umount "$n" 2>/dev/null || umount -l "$n" 2>/dev/null || true
    rm -f "$n"
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    for n in $(ip -o link show master "$BRIDGE" | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
      ip link del "$n" 2>/dev/null || true
    done
    ip link del "$BRIDGE"
  fi
  if command -v conntrack >/dev/null; then
    for n in "$POD_CIDR" "$SERVICE_CIDR"; do
      conntrack -D -s "$n" >/dev/null 2>&1 || true
      conntrack -D -d "$n" >/dev/null 2>&1 || true
    done
  fi
  # 5. Mounts under the work dir (deepest first), pod cgroups.
  local m
  for m in $(awk -v w="$WORK" '$5 == w || index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  for c in /sys/fs/cgroup/*/"$CGROUP_ROOT"; do
    [[ -d "$c" ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  # 6. Sysctls and the paths outside the work dir that up found absent.
  if [[ -f "$WORK/saved/sysctls" ]]; then
    local line
    while IFS='=' read -r n line; do
      [[ "$line" == absent ]] || sysctl -qw "$n=$line" 2>/dev/null || true
    done <"$WORK/saved/sysctls"
  fi
  if [[ -f "$WORK/saved/outside-absent" ]]; then
    while read -r n; do rm -rf "$n"; done <"$WORK/saved/outside-absent"
  fi
  rm -f /var/lib/cni/results/"$CNI_NETWORK"-* 2>/dev/null || true
  find /var/log/containers -maxdepth 1 -type l -lname "$WORK/*" -delete 2>/dev/null || true
  # 7. The work dir itself (nothing is mounted in it any more).
  if awk -v w="$WORK" 'index($5, w "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    die "mounts remain under $WORK: $(awk -v w="$WORK" 'index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo)"
  fi
  rm -rf "$WORK"
  log "node torn down"
}

# The iptables chains and ipsets of kube-router, the kubelet's canary chains and our FORWARD guard, both families.
cleanup_rules() {
  local family table chain rule
  for family in iptables ip6tables; do
    command -v "$family" >/dev/null || continue
    # Rules of built-in chains that jump to a chain of ours, or carry our comment.
    "$family-save" 2>/dev/null | awk '
      /^\*/ { table = substr($0, 2) }
      /^-A / && (/ -j (KUBE-ROUTER|KUBE-NWPLCY|KUBE-POD-FW|KUBE-SRC|KUBE-DST|KUBE-FIREWALL|KUBE-KUBELET-CANARY)/ || /groundwork-node/) { print table "\t" $0 }' |
      while IFS=$'\t' read -r table rule; do
        # shellcheck disable=SC2086 # a rule is words
        eval "$family -w -t $table ${rule/-A /-D }" 2>/dev/null || true
      done
    for table in filter nat mangle; do
      for chain in $("$family" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" { print $2 }' |
          grep -E '^(KUBE-ROUTER|KUBE-NWPLCY|KUBE-POD-FW|KUBE-SRC|KUBE-DST|KUBE-KUBELET-CANARY|KUBE-IPTABLES-HINT|KUBE-FIREWALL)' || true); do
        "$family" -w -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$family" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" { print $2 }' |
          grep -E '^(KUBE-ROUTER|KUBE-NWPLCY|KUBE-POD-FW|KUBE-SRC|KUBE-DST|KUBE-KUBELET-CANARY|KUBE-IPTABLES-HINT|KUBE-FIREWALL)' || true); do
        "$family" -w -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  # Tables that iptables-nft created for us (absent before up): dropped, with whatever is left in them.
  if [[ -f "$WORK/saved/nft-tables" ]] && command -v nft >/dev/null; then
    local t
    while read -r t; do
      [[ -n "$t" ]] || continue
      grep -qxF "$t" "$WORK/saved/nft-tables" || nft delete $t 2>/dev/null || true
    done < <(nft list tables 2>/dev/null | sort)
  fi
  if command -v ipset >/dev/null; then
    local set
    for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router|TMP-)' || true); do ipset destroy "$set" 2>/dev/null || true; done
  fi
}

# --- up --------------------------------------------------------------------------------------------------------------
check_free() {
  [[ "$(id -u)" == 0 ]] || die "needs root (kubelet, containerd, bridges, iptables)"
  local b
  for b in etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet kube-proxy kube-router; do
    [[ -x "$BIN/$b" ]] || die "$BIN/$b missing: run hack/build-tools.sh and hack/build-node-tools.sh"
  done
  for b in containerd containerd-shim-runc-v2 runc ctr ip iptables ipset conntrack openssl python3; do
    command -v "$b" >/dev/null || die "$b missing (apt-get install containerd runc containernetworking-plugins iptables ipset conntrack iproute2 openssl python3)"
  done
  [[ -x /usr/lib/cni/bridge ]] || die "/usr/lib/cni/bridge missing (apt-get install containernetworking-plugins)"
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    die "bridge $BRIDGE already exists: another groundwork node runs on this machine (stop it: hack/node.sh down, or set GROUNDWORK_NODE_DIR to its work dir)"
  fi
  local addr
  for addr in "$NODE_IP" "$SERVICE_IP"; do
    if ip -o addr show | awk '{ print $4 }' | grep -q "^${addr%.*}\."; then
      die "addresses in ${addr%.*}.0/24 are already assigned on this machine: choose other ones with GROUNDWORK_NODE_NET"
    fi
  done
  if ip route show | grep -qE "^($NET\.0\.|$NET\.1\.)"; then
    die "a route to $NET.0.0/23 exists already: choose other addresses with GROUNDWORK_NODE_NET"
  fi
  local p taken=()
  for p in "${PORTS[@]}"; do
    if ss -Htanl "( sport = :$p )" 2>/dev/null | grep -q .; then taken+=("$p"); fi
  done
  (( ${#taken[@]} == 0 )) || die "ports already in use: ${taken[*]} (another cluster?): choose others with GROUNDWORK_NODE_PORT_BASE"
}

certs() {
  local d="$WORK/pki"
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" -days 7 -subj "/CN=groundwork-node-ca" 2>/dev/null
  cat >"$d/apiserver.ext" <<EOF
subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:$NODE_IP,IP:$SERVICE_IP,IP:127.0.0.1
extendedKeyUsage=serverAuth
EOF
  openssl req -newkey rsa:2048 -nodes -keyout "$d/apiserver.key" -out "$d/apiserver.csr" -subj "/CN=kube-apiserver" 2>/dev/null
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 7 \
    -extfile "$d/apiserver.ext" -out "$d/apiserver.crt" 2>/dev/null
  # One client identity for every component and the tests: a throw-away test cluster.
  openssl req -newkey rsa:2048 -nodes -keyout "$d/admin.key" -out "$d/admin.csr" -subj "/O=system:masters/CN=groundwork-admin" 2>/dev/null
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 7 -out "$d/admin.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
}

start() { # NAME CMD...: a daemon in its own session, logging under $WORK/logs, pid in $WORK/run
  local name="$1"; shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 </dev/null 3>&- &
  echo $! >"$WORK/run/$name.pid"
}

wait_for() { # WHAT SECONDS CMD...
  local what="$1" secs="$2" start=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start < secs )) || { log "$what not ready after ${secs}s"; return 1; }
    sleep 0.2
  done
}

alive() { local c; for c in "$@"; do kill -0 "$(cat "$WORK/run/$c.pid")" 2>/dev/null || { log "$c exited; its log:"; tail -n 40 "$WORK/logs/$c.log" >&2; return 1; }; done; }

up() {
  local t0=$SECONDS
  if [[ -d "$WORK" ]]; then log "leftover of an earlier run in $WORK: tearing it down first"; down; fi
  check_free
  mkdir -p "$WORK"
  echo "$PPID" >"$WORK/owner"
  mkdir -p "$WORK"/{run,logs,saved,etcd,containerd,cni/net.d,cni/ipam,kubelet/root,kubelet/pki,kubelet/volume-plugins,kubelet/pod-logs}
  # What down restores: sysctls, and the outside paths that did not exist.
  local s
  for s in "${SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s" 2>/dev/null || echo absent)"; done >"$WORK/saved/sysctls"
  for s in "${OUTSIDE[@]}"; do [[ -e "$s" ]] || echo "$s"; done >"$WORK/saved/outside-absent"
  nft list tables 2>/dev/null | sort >"$WORK/saved/nft-tables"
  certs
  local pki="$WORK/pki"
  kc config set-cluster node --server="https://$NODE_IP:$API_PORT" --certificate-authority="$pki/ca.crt" --embed-certs >/dev/null
  kc config set-credentials admin --client-certificate="$pki/admin.crt" --client-key="$pki/admin.key" --embed-certs >/dev/null
  kc config set-context node --cluster=node --user=admin >/dev/null
  kc config use-context node >/dev/null

  # The pod network's bridge, owning the node's address (no dummy devices in this kernel): the API server and the
  # kubelet listen on it; the CNI bridge plugin adopts it.
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  sysctl -qw net.ipv4.ip_forward=1
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  # Pod traffic stays on the machine: nothing from the bridge leaves by another interface.
  iptables -w -I FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment groundwork-node -j DROP

  start etcd "$BIN/etcd" --name=groundwork-node --data-dir="$WORK/etcd" --unsafe-no-fsync \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="groundwork-node=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls=""
  start kube-apiserver "$BIN/kube-apiserver" --advertise-address="$NODE_IP" --bind-address="$NODE_IP" \
    --secure-port="$API_PORT" --cert-dir="$WORK/pki/apiserver-generated" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$pki/sa.key" \
    --service-account-signing-key-file="$pki/sa.key" --client-ca-file="$pki/ca.crt" \
    --authorization-mode=Node,RBAC --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key" \
    --kubelet-preferred-address-types=InternalIP --profiling=false

  # containerd: everything under the work dir; sandboxes need restrict_oom_score_adj (no CAP_SYS_RESOURCE here).
  cat >"$WORK/containerd/config.toml" <<EOF
version = 2
root = "$WORK/containerd/root"
state = "$WORK/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$WORK/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$WORK/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/groundwork-test/pause:3.10"
  restrict_oom_score_adj = true
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "$WORK/cni/net.d"
[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = "$WORK/containerd/runc"
EOF
  cat >"$WORK/cni/net.d/10-groundwork.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$WORK/cni/ipam",
        "ranges": [[{ "subnet": "$POD_CIDR", "rangeStart": "$NET.0.10", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "$SERVICE_CIDR" }]
      }
    }
  ]
}
EOF
  start containerd containerd --config "$WORK/containerd/config.toml"

  wait_for "kube-apiserver" 90 kc get --raw /readyz || { alive etcd kube-apiserver; return 1; }
  wait_for "containerd" 30 ctr_ version || { alive containerd; return 1; }
  local img="${GROUNDWORK_IMAGES_DIR:-$ROOT/target/images}/pause.tar"
  [[ -f "$img" ]] || die "$img missing: run hack/build-images.sh test"
  ctr_ images import --no-unpack "$img" >/dev/null

  cat >"$WORK/resolv.conf" <<EOF
nameserver 127.0.0.1
EOF
  cat >"$WORK/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$SOCK
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_ROOT
failCgroupV1: false
failSwapOn: false
volumePluginDir: $WORK/kubelet/volume-plugins
podLogsDir: $WORK/kubelet/pod-logs
resolvConf: $WORK/resolv.conf
clusterDomain: cluster.local
maxPods: 40
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
shutdownGracePeriod: 0s
nodeStatusReportFrequency: 10s
EOF
  # The kubelet's cgroupRoot (pods under /$CGROUP_ROOT/kubepods in every hierarchy, not another cluster's
  # /kubepods) must exist; cpuset children need cpus and mems before they can hold tasks.
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ -e "$h/cgroup.procs" ]] || continue
    mkdir -p "$h$CGROUP_ROOT"
    if [[ -e "$h/cpuset.cpus" ]]; then
      cat "$h/cpuset.cpus" >"$h$CGROUP_ROOT/cpuset.cpus"
      cat "$h/cpuset.mems" >"$h$CGROUP_ROOT/cpuset.mems"
    fi
  done
  start kubelet "$BIN/kubelet" --config="$WORK/kubelet/config.yaml" --kubeconfig="$KUBECONFIG_FILE" \
    --root-dir="$WORK/kubelet/root" --cert-dir="$WORK/kubelet/pki" --hostname-override="$NODE_NAME" \
    --node-ip="$NODE_IP" --v=1
  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$KUBECONFIG_FILE" \
    --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$WORK/pki/kcm" --leader-elect=false \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" --use-service-account-credentials=true \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --controllers='*,-nodeipam,-cloud-node-lifecycle,-service,-route' \
    --concurrent-gc-syncs=5 --profiling=false
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$KUBECONFIG_FILE" \
    --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$WORK/pki/scheduler" --leader-elect=false --profiling=false
  cat >"$WORK/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $KUBECONFIG_FILE}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:$PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$PROXY_METRICS_PORT
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false, syncPeriod: 5s, minSyncPeriod: 0s}
EOF
  start kube-proxy "$BIN/kube-proxy" --config="$WORK/kube-proxy.yaml"
  # kube-router: only its NetworkPolicy firewall (kube-proxy serves Services, the bridge plugin routes). It finds its
  # node at start, so it starts once the kubelet has registered it.
  wait_for "node $NODE_NAME registered" 60 kc get node "$NODE_NAME" || { alive kubelet; return 1; }
  start kube-router "$BIN/kube-router" --kubeconfig="$KUBECONFIG_FILE" --run-firewall=true --run-router=false \
    --run-service-proxy=false --enable-cni=false --health-port=0 --metrics-port=0 --hostname-override="$NODE_NAME"

  if ! wait_for "node $NODE_NAME Ready" 90 node_ready; then
    alive containerd kubelet kube-controller-manager kube-scheduler kube-proxy kube-router || true
    return 1
  fi
  alive etcd kube-apiserver containerd kubelet kube-controller-manager kube-scheduler kube-proxy kube-router
  # The default ServiceAccount appears once the controller-manager runs: pods need it.
  wait_for "ServiceAccount default/default" 60 kc get serviceaccount default -n default
  env_
  log "node $NODE_NAME Ready in $((SECONDS - t0))s; KUBECONFIG=$KUBECONFIG_FILE"
}

node_ready() {
  alive etcd kube-apiserver containerd kubelet kube-controller-manager kube-scheduler kube-proxy kube-router 2>&3 || exit 1
  kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
}

env_() {
  cat <<EOF
KUBECONFIG=$KUBECONFIG_FILE
NODE_NAME=$NODE_NAME
NODE_IP=$NODE_IP
API_SERVER=https://$NODE_IP:$API_PORT
POD_CIDR=$POD_CIDR
SERVICE_CIDR=$SERVICE_CIDR
CONTAINERD_SOCK=$SOCK
NODE_DIR=$WORK
EOF
}

load() {
  [[ -S "$SOCK" ]] || die "no node running in $WORK"
  local t
  for t in "$@"; do ctr_ images import "$t" | sed 's/^/node: imported /' >&2; done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up) if ! up; then log "set-up failed: logs in $WORK/logs (tear down with: hack/node.sh down)"; exit 1; fi ;;
  down) [[ "${1:-}" == --force ]] && FORCE=1; down ;;
  load) load "$@" ;;
  env) env_ ;;
  snapshot) [[ -n "${1:-}" ]] || die "usage: hack/node.sh snapshot FILE"; snapshot >"$1" ;;
  *) sed -n '2,20p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
