#!/usr/bin/env bash
# Runs groundwork locally without any cluster: starts the pinned kube-apiserver and etcd, installs the CRD,
# runs the operator (the packaged Quarkus application) against them, applies examples/ and shows their
# status. Ctrl-C stops every process it started and removes its temporary files.
#
#   hack/run-local.sh            build what is missing, run, and wait for Ctrl-C
#   hack/run-local.sh --no-build use the tools and target/quarkus-app already built (the tests do this)
#   hack/run-local.sh --node     on a real single-node cluster instead (root only; hack/node.sh): node up, images
#                                built and imported, `helm install --wait` of the chart, examples applied, status
#                                shown; Ctrl-C tears the node down (hack/node.sh down)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=hack/tools.env
. "$ROOT/hack/tools.env"
# shellcheck source=hack/lib/local-apiserver.sh
. "$ROOT/hack/lib/local-apiserver.sh"

BUILD=1
NODE=0
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --node) NODE=1 ;;
    *) echo "run-local: unknown argument $arg (--no-build, --node)" >&2; exit 2 ;;
  esac
done

# Waits until the examples in Enforce are Ready (an example in Audit mode never is: it only reports).
wait_for_examples() {
  local enforced=() f name
  for f in "$ROOT"/examples/*.yaml; do
    name="$(sed -n 's/^  name: //p' "$f" | head -n 1)"
    grep -q '^  mode: Audit' "$f" || enforced+=("productplatform/$name")
  done
  "${KUBECTL[@]}" wait --for=condition=Ready "${enforced[@]}" --timeout=180s
}

if (( NODE )); then
  [[ "$(id -u)" == 0 ]] || { echo "run-local: --node needs root (kubelet, containerd, bridges, iptables)" >&2; exit 1; }
  if (( BUILD )); then
    "$ROOT/hack/build-tools.sh"
    "$ROOT/hack/build-node-tools.sh"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
    "$ROOT/hack/build-images.sh"
  fi
  node_down() {
    trap - EXIT INT TERM
    echo
    echo "run-local: tearing the node down"
    "$ROOT/hack/node.sh" down
  }
  trap node_down EXIT
  trap 'exit 130' INT TERM
  "$ROOT/hack/node.sh" up
  eval "$("$ROOT/hack/node.sh" env | sed 's/^/export NODE_/; s/^export NODE_NODE_/export NODE_/')"
  export KUBECONFIG="$NODE_KUBECONFIG"
  "$ROOT/hack/node.sh" load "$ROOT/target/images/operator.tar"
  KUBECTL=("$GROUNDWORK_TOOLS_BIN/kubectl")
  HELM_HOME="$NODE_DIR/helm"
  export HELM_CACHE_HOME="$HELM_HOME/cache" HELM_CONFIG_HOME="$HELM_HOME/config" HELM_DATA_HOME="$HELM_HOME/data"
  echo "run-local: helm install groundwork helm/groundwork --wait"
  "$GROUNDWORK_TOOLS_BIN/helm" install groundwork "$ROOT/helm/groundwork" --namespace groundwork-system \
    --create-namespace --wait --timeout 5m
  "${KUBECTL[@]}" get pods -n groundwork-system -o wide
  "${KUBECTL[@]}" apply -f "$ROOT/examples/"
  wait_for_examples
  "${KUBECTL[@]}" get productplatforms -o wide
  "${KUBECTL[@]}" get networkpolicies -A
  echo
  echo "run-local: ready on node $NODE_NAME. Try: KUBECONFIG=$KUBECONFIG kubectl describe productplatform payments"
  echo "run-local: press Ctrl-C to stop (tears the node down)"
  while sleep 3600; do :; done
fi

if (( BUILD )); then
  "$ROOT/hack/build-tools.sh"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
APP="$ROOT/target/quarkus-app/quarkus-run.jar"
[[ -f "$APP" ]] || { echo "run-local: $APP missing; run without --no-build" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/groundwork-local.XXXXXX")"
OPERATOR_PID=""
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "run-local: stopping"
  stop_process "$OPERATOR_PID"
  local_apiserver_stop
  rm -rf "$WORK"
  echo "run-local: stopped every process and removed $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "run-local: starting kube-apiserver v$K8S_VERSION and etcd v$ETCD_VERSION in $WORK"
local_apiserver_start "$WORK"
KUBECTL=("$GROUNDWORK_TOOLS_BIN/kubectl" --kubeconfig "$LOCAL_KUBECONFIG")
echo "run-local: kubeconfig $LOCAL_KUBECONFIG"

"${KUBECTL[@]}" apply --server-side -f "$ROOT/crds/"
"${KUBECTL[@]}" wait --for=condition=Established crd/productplatforms.groundwork.dev crd/platformstandards.groundwork.dev --timeout=60s

# The operator's own namespace, as in a cluster install: home of its leader-election Lease.
"${KUBECTL[@]}" create namespace groundwork-system >/dev/null

HTTP_PORT="${GROUNDWORK_HTTP_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
echo "run-local: starting the operator (log: $WORK/operator.log)"
KUBECONFIG="$LOCAL_KUBECONFIG" GROUNDWORK_OPERATOR_NAMESPACE=groundwork-system QUARKUS_HTTP_PORT="$HTTP_PORT" \
  java -jar "$APP" >"$WORK/operator.log" 2>&1 &
OPERATOR_PID=$!

# The cluster's standard, as deploy/ ships it: an empty spec is the complete built-in standard.
printf 'apiVersion: groundwork.dev/v1alpha1\nkind: PlatformStandard\nmetadata:\n  name: default\nspec: {}\n' \
  | "${KUBECTL[@]}" apply -f -
"${KUBECTL[@]}" apply -f "$ROOT/examples/"
if ! wait_for_examples; then
  echo "run-local: examples not Ready; operator log:" >&2; tail -n 50 "$WORK/operator.log" >&2
  exit 1
fi
"${KUBECTL[@]}" get platformstandards
"${KUBECTL[@]}" get productplatforms -o wide
"${KUBECTL[@]}" get productplatforms -o \
  jsonpath='{range .items[*]}{"\n"}{.metadata.name}{":\n"}{range .status.conditions[*]}{"  "}{.type}{"="}{.status}{" "}{.reason}{": "}{.message}{"\n"}{end}{end}'
echo
echo "run-local: metrics http://127.0.0.1:$HTTP_PORT/q/metrics"
echo "run-local: ready. Try: kubectl --kubeconfig $LOCAL_KUBECONFIG describe productplatform payments"
echo "run-local: press Ctrl-C to stop"
wait "$OPERATOR_PID"
echo "run-local: the operator exited; its log:" >&2
tail -n 50 "$WORK/operator.log" >&2
exit 1
