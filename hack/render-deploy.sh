#!/usr/bin/env bash
# Renders deploy/ — plain manifests for `kubectl apply -f deploy/` — from the Helm chart with its default values:
#
#   00-namespace.yaml                      the operator's namespace, groundwork-system (Pod Security: restricted)
#   01-crd-platformstandards.groundwork.dev.yaml  the chart's crds/ files, byte for byte
#   01-crd-productplatforms.groundwork.dev.yaml
#   02-groundwork.yaml                     `helm template groundwork helm/groundwork --namespace groundwork-system`
#
# kubectl applies the files in name order, so the namespace exists before anything is created in it; the CRDs must
# be established before the PlatformStandard in 02 can be created (docs/install.md: apply 01-crd-* first and wait).
# DeployManifestsIT re-renders into a temporary directory and fails when deploy/ differs by one byte.
#
#   hack/render-deploy.sh           rewrite deploy/
#   hack/render-deploy.sh OUT_DIR   render into OUT_DIR instead
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=hack/tools.env
. "$ROOT/hack/tools.env"
HELM="${HELM:-$GROUNDWORK_TOOLS_BIN/helm}"
[[ -x "$HELM" ]] || { echo "render-deploy: $HELM missing; run hack/build-tools.sh" >&2; exit 1; }

OUT="${1:-$ROOT/deploy}"
RELEASE=groundwork
NAMESPACE=groundwork-system
CHART="$ROOT/helm/groundwork"
CRD=productplatforms.groundwork.dev-v1.yml
STANDARD_CRD=platformstandards.groundwork.dev-v1.yml

# Helm must not read or write the user's Helm configuration.
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/render-deploy.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
export HELM_CACHE_HOME="$SCRATCH/cache" HELM_CONFIG_HOME="$SCRATCH/config" HELM_DATA_HOME="$SCRATCH/data"

mkdir -p "$OUT"
rm -f "$OUT"/*.yaml "$OUT"/*.yml
cat >"$OUT/00-namespace.yaml" <<YAML
# The operator's namespace. Rendered by hack/render-deploy.sh; do not edit.
apiVersion: v1
kind: Namespace
metadata:
  name: $NAMESPACE
  labels:
    app.kubernetes.io/part-of: groundwork
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
YAML
cp "$CHART/crds/$CRD" "$OUT/01-crd-productplatforms.groundwork.dev.yaml"
cp "$CHART/crds/$STANDARD_CRD" "$OUT/01-crd-platformstandards.groundwork.dev.yaml"
"$HELM" template "$RELEASE" "$CHART" --namespace "$NAMESPACE" >"$OUT/02-groundwork.yaml"
echo "render-deploy: wrote $(cd "$OUT" && ls -- *.yaml | tr '\n' ' ')into $OUT"
