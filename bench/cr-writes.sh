#!/usr/bin/env bash
# What the API server spends on a ProductPlatform's own writes (create, finalizer, status), per write, on a fresh
# pinned kube-apiserver with groundwork's CRDs and nothing else (docs/performance.md). Run by hand.
#   bench/cr-writes.sh [-n 1000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=hack/tools.env
. "$ROOT/hack/tools.env"
# shellcheck source=hack/lib/local-apiserver.sh
. "$ROOT/hack/lib/local-apiserver.sh"
hack/build-tools.sh >/dev/null
WORK="$(mktemp -d "${TMPDIR:-/tmp}/groundwork-crw.XXXXXX")"
trap 'local_apiserver_stop; rm -rf "$WORK"' EXIT
(cd hack/tools && GOTOOLCHAIN=local go build -mod=readonly -o "$WORK/cr-writes" ./bench/cr-writes)
local_apiserver_start "$WORK" >/dev/null
KUBECTL=("$GROUNDWORK_TOOLS_BIN/kubectl" --kubeconfig "$LOCAL_KUBECONFIG")
"${KUBECTL[@]}" apply --server-side -f crds/ >/dev/null
"${KUBECTL[@]}" wait --for=condition=Established crd/productplatforms.groundwork.dev --timeout=60s >/dev/null
sleep 3
"$WORK/cr-writes" -kubeconfig "$LOCAL_KUBECONFIG" -pid "$(pgrep -f "kube-apiserver.*$WORK" | head -1)" "$@"
