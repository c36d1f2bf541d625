# shellcheck shell=bash
# Starts the pinned etcd and kube-apiserver (hack/build-tools.sh) on loopback ports, envtest-style:
# client-certificate auth (an admin in group system:masters), RBAC, no kube-controller-manager.
# Source it, then call `local_apiserver_start WORKDIR`; it sets LOCAL_KUBECONFIG, ETCD_PID and
# APISERVER_PID, and `local_apiserver_stop` stops both. LOCAL_APISERVER_EXTRA_ARGS (space-separated) are passed to
# kube-apiserver as well (bench/fleet.sh turns on an audit log with them). Needs openssl, curl and python3.

local_apiserver_start() {
  local work="$1" bin="${GROUNDWORK_TOOLS_BIN:?source hack/tools.env first}"
  local free_port='import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  local etcd_port etcd_peer_port api_port
  etcd_port="$(python3 -c "$free_port")"; etcd_peer_port="$(python3 -c "$free_port")"; api_port="$(python3 -c "$free_port")"
  mkdir -p "$work/certs"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.crt" -days 7 \
    -subj "/CN=groundwork-local-ca" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/admin.key" -out "$work/admin.csr" \
    -subj "/O=system:masters/CN=groundwork-admin" 2>/dev/null
  openssl x509 -req -in "$work/admin.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
    -out "$work/admin.crt" -days 7 2>/dev/null
  openssl genrsa -out "$work/sa.key" 2048 2>/dev/null

  "$bin/etcd" --name=groundwork --data-dir="$work/etcd" --unsafe-no-fsync \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster="groundwork=http://127.0.0.1:$etcd_peer_port" >"$work/etcd.log" 2>&1 &
  ETCD_PID=$!
  "$bin/kube-apiserver" \
    --advertise-address=127.0.0.1 --bind-address=127.0.0.1 --secure-port="$api_port" \
    --cert-dir="$work/certs" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$work/sa.key" --service-account-signing-key-file="$work/sa.key" \
    --client-ca-file="$work/ca.crt" --authorization-mode=RBAC \
    --disable-admission-plugins=ServiceAccount ${LOCAL_APISERVER_EXTRA_ARGS:-} >"$work/apiserver.log" 2>&1 &
  APISERVER_PID=$!

  local start=$SECONDS
  until [[ -f "$work/certs/apiserver.crt" ]] && curl -sf --cacert "$work/certs/apiserver.crt" \
      --cert "$work/admin.crt" --key "$work/admin.key" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$APISERVER_PID" 2>/dev/null; then
      echo "kube-apiserver exited; its log:" >&2; tail -n 30 "$work/apiserver.log" >&2; return 1
    fi
    if (( SECONDS - start > 90 )); then echo "kube-apiserver not ready after 90s" >&2; return 1; fi
    sleep 0.5
  done

  LOCAL_KUBECONFIG="$work/kubeconfig"
  local k=("$bin/kubectl" --kubeconfig "$LOCAL_KUBECONFIG")
  "${k[@]}" config set-cluster groundwork-local --server="https://127.0.0.1:$api_port" \
    --certificate-authority="$work/certs/apiserver.crt" --embed-certs >/dev/null
  "${k[@]}" config set-credentials groundwork-admin --client-certificate="$work/admin.crt" \
    --client-key="$work/admin.key" --embed-certs >/dev/null
  "${k[@]}" config set-context groundwork-local --cluster=groundwork-local --user=groundwork-admin >/dev/null
  "${k[@]}" config use-context groundwork-local >/dev/null
}

local_apiserver_stop() {
  stop_process "${APISERVER_PID:-}"
  stop_process "${ETCD_PID:-}"
  APISERVER_PID="" ETCD_PID=""
}

# Asks a process to stop, and kills it after 10 seconds (kube-apiserver's graceful shutdown can take longer).
stop_process() {
  local pid="$1" waited=0
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && (( waited < 100 )); do sleep 0.1; waited=$((waited + 1)); done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
