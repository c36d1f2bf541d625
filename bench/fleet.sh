#!/usr/bin/env bash
# Fleet scale benchmark (SPEC section 6, docs/performance.md). One command, one fresh API server, in one run:
#   1. the limit: the exact objects groundwork would create for N products (planned by its own pure builders),
#      server-side applied by a client-go program (hack/tools/bench/ssa-limit) with 16 parallel writers and no
#      client rate limit, in namespaces of their own (products lim-*), then deleted;
#   2. groundwork (the packaged operator, a separate process with the chart's JVM options) converging the same N
#      products (gw-*): time, ratio to the limit, RSS, peak RSS and live set;
#   3. the operator's writes in a quiet minute (from the API server's audit log, by the operator's user);
#   4. drift repair latency over 40 deletions;
#   5. a restart: time to ready, writes in the 30 s after it;
#   6. a change of the PlatformStandard reaching all N products;
#   7. the preview of a change (SPEC 9): applied paused, time to a complete preview, requests by kind, memory added;
#      then unpaused, the clean products moving and the rollout halting on the blocked ones.
# Run by hand; not part of the test suite.
#
#   bench/fleet.sh [-Dbench.products=1000] [-Dbench.writers=16] [-Dbench.rollout='{"strategy":"Immediate"}']
#                  [-Dbench.rollout2='{"strategy":"Waves", ...}'] [-Dbench.timeout=900] [--no-build]
#                  [-Dbench.convergeOnly=true | -Dbench.previewOnly=true]
#
# The rollout stanza is written into PlatformStandard default before the products, so the standard change can be
# measured per strategy; -Dbench.rollout2 writes a second stanza afterwards and times a second change under it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=hack/tools.env
. "$ROOT/hack/tools.env"
# shellcheck source=hack/lib/local-apiserver.sh
. "$ROOT/hack/lib/local-apiserver.sh"

BUILD=1
ARGS=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then BUILD=0; else ARGS+=("$a"); fi
done
if (( BUILD )); then
  hack/build-tools.sh >/dev/null
  mvn -B -q -DskipTests package
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/groundwork-fleet.XXXXXX")"
cleanup() {
  trap - EXIT INT TERM
  local_apiserver_stop
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Requests are counted from the API server's audit log: every create, update, patch and delete (status and Events
# included) of every user, and the operator's reads too (its user is groundwork-operator), at Metadata level.
cat >"$WORK/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete, deletecollection]
  - level: Metadata
    users: [groundwork-operator]
  - level: None
EOF
(cd hack/tools && GOTOOLCHAIN=local go build -mod=readonly -o "$WORK/ssa-limit" ./bench/ssa-limit)

LOCAL_APISERVER_EXTRA_ARGS="--audit-policy-file=$WORK/audit-policy.yaml --audit-log-path=$WORK/audit.log --audit-log-maxsize=0"
local_apiserver_start "$WORK"
KUBECTL=("$GROUNDWORK_TOOLS_BIN/kubectl" --kubeconfig "$LOCAL_KUBECONFIG")

# The operator runs as a user of its own (group system:masters, as the local run), so its writes are told apart.
openssl req -newkey rsa:2048 -nodes -keyout "$WORK/operator.key" -out "$WORK/operator.csr" \
  -subj "/O=system:masters/CN=groundwork-operator" 2>/dev/null
openssl x509 -req -in "$WORK/operator.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial \
  -out "$WORK/operator.crt" -days 7 2>/dev/null
cp "$LOCAL_KUBECONFIG" "$WORK/operator.kubeconfig"
OPK=("$GROUNDWORK_TOOLS_BIN/kubectl" --kubeconfig "$WORK/operator.kubeconfig")
"${OPK[@]}" config set-credentials groundwork-operator --client-certificate="$WORK/operator.crt" \
  --client-key="$WORK/operator.key" --embed-certs >/dev/null
"${OPK[@]}" config set-context groundwork-local --cluster=groundwork-local --user=groundwork-operator >/dev/null

"${KUBECTL[@]}" apply --server-side -f crds/ >/dev/null
"${KUBECTL[@]}" wait --for=condition=Established crd/productplatforms.groundwork.dev \
  crd/platformstandards.groundwork.dev --timeout=60s >/dev/null
"${KUBECTL[@]}" create namespace groundwork-system >/dev/null

KUBECTL="$GROUNDWORK_TOOLS_BIN/kubectl" mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.groundwork.bench.FleetBench \
  -Dbench.kubeconfig="$LOCAL_KUBECONFIG" -Dbench.operatorKubeconfig="$WORK/operator.kubeconfig" \
  -Dbench.auditLog="$WORK/audit.log" -Dbench.work="$WORK" -Dbench.ssaLimit="$WORK/ssa-limit" -Dbench.root="$ROOT" "${ARGS[@]}" 2>&1 \
  | grep -vE '^\s*$|^\S+ (INFO|WARN|DEBUG) |^\[(INFO|WARNING)\]'
