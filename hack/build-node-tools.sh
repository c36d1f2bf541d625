#!/usr/bin/env bash
# Builds the pinned binaries of the single-node test cluster (hack/node.sh) from Go modules, caches them outside the
# repo, and links them into $GROUNDWORK_TOOLS_BIN next to the API-server tools (hack/build-tools.sh):
#   kubelet, kube-controller-manager, kube-scheduler, kube-proxy  from hack/tools (the same pinned k8s.io/kubernetes
#                                                                 module set as kube-apiserver)
#   kube-router (its NetworkPolicy firewall only)                 from hack/tools/kube-router (a module of its own:
#                                                                 its dependencies differ)
# Same scheme as build-tools.sh: a key over everything that changes the binaries, a flock per key, a temp dir renamed
# into place only once every binary built and reports the right version. Safe to run repeatedly and concurrently.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_DIR="$HACK_DIR/tools"
ROUTER_DIR="$HACK_DIR/tools/kube-router"
# shellcheck source=hack/tools.env
. "$HACK_DIR/tools.env"

K8S_BINARIES=(kubelet kube-controller-manager kube-scheduler kube-proxy)
BINARIES=("${K8S_BINARIES[@]}" kube-router)

log() { printf '%s\n' "$*" >&2; }
die() { log "build-node-tools: $*"; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not on PATH (need Go >= 1.25)"
gocmd() { local dir="$1"; shift; (cd "$dir" && CGO_ENABLED=0 GOTOOLCHAIN=local GOWORK=off go "$@"); }

got="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$TOOLS_DIR/go.mod")"
[[ "$got" == "v$K8S_VERSION" ]] || die "hack/tools/go.mod requires k8s.io/kubernetes $got, hack/tools.env wants v$K8S_VERSION"
got="$(awk '$1 == "github.com/cloudnativelabs/kube-router/v2" && $2 ~ /^v/ { print $2; exit }' "$ROUTER_DIR/go.mod")"
[[ "$got" == "v$KUBE_ROUTER_VERSION" ]] || die "hack/tools/kube-router/go.mod requires kube-router $got, hack/tools.env wants v$KUBE_ROUTER_VERSION"

GOOS_GOARCH="$(gocmd "$TOOLS_DIR" env GOOS)-$(gocmd "$TOOLS_DIR" env GOARCH)"
KEY="$(
  {
    cat "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" "$ROUTER_DIR/go.mod" "$ROUTER_DIR/go.sum" "${BASH_SOURCE[0]}" "$HACK_DIR/tools.env"
    for b in "${K8S_BINARIES[@]}"; do cat "$TOOLS_DIR/cmd/$b/main.go"; done
    gocmd "$TOOLS_DIR" env GOVERSION
    echo "$GOOS_GOARCH"
  } | sha256sum | cut -c1-16
)"
DEST="$GROUNDWORK_TOOLS_CACHE/node-$KEY"

complete() { local b; for b in "${BINARIES[@]}"; do [[ -x "$1/$b" ]] || return 1; done; }

build() {
  local tmp build_date pkg
  tmp="$(mktemp -d "$GROUNDWORK_TOOLS_CACHE/.build-node-$KEY.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  build_date="$(gocmd "$TOOLS_DIR" list -mod=readonly -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)"
  [[ -n "$build_date" ]] || build_date="1970-01-01T00:00:00Z"
  local k8s_major="${K8S_VERSION%%.*}" k8s_minor="${K8S_VERSION#*.}"; k8s_minor="${k8s_minor%%.*}"
  local ldflags=(-s -w)
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=("-X '$pkg.gitVersion=v$K8S_VERSION'" "-X '$pkg.gitMajor=$k8s_major'" "-X '$pkg.gitMinor=$k8s_minor'"
      "-X '$pkg.gitCommit='" "-X '$pkg.gitTreeState=clean'" "-X '$pkg.buildDate=$build_date'")
  done
  mkdir "$tmp/.gotmp"
  log "building ${K8S_BINARIES[*]} v$K8S_VERSION into $DEST"
  GOTMPDIR="$tmp/.gotmp" gocmd "$TOOLS_DIR" build -mod=readonly -buildvcs=false -trimpath -ldflags "${ldflags[*]}" \
    -o "$tmp/" ./cmd/kubelet ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kube-proxy
  log "building kube-router v$KUBE_ROUTER_VERSION (firewall only; test node only, never shipped)"
  GOTMPDIR="$tmp/.gotmp" gocmd "$ROUTER_DIR" build -mod=readonly -buildvcs=false -trimpath \
    -ldflags "-s -w -X 'github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=v$KUBE_ROUTER_VERSION'" \
    -o "$tmp/kube-router" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  rm -rf "$tmp/.gotmp"
  complete "$tmp" || die "build did not produce all of: ${BINARIES[*]}"
  local b out
  for b in "${K8S_BINARIES[@]}"; do
    out="$("$tmp/$b" --version 2>&1)"
    [[ "$out" == "Kubernetes v$K8S_VERSION" ]] || die "$b --version says: $out"
  done
  chmod 755 "$tmp"
  if [[ -e "$DEST" ]] && ! complete "$DEST"; then rm -rf "$DEST"; fi
  if ! mv -T "$tmp" "$DEST" 2>/dev/null; then complete "$DEST" || die "could not move $tmp to $DEST"; fi
  rm -rf "$tmp"
  trap - EXIT
}

mkdir -p "$GROUNDWORK_TOOLS_CACHE"
if complete "$DEST"; then
  log "node tools up to date: $DEST"
else
  exec 9>"$GROUNDWORK_TOOLS_CACHE/.lock-node-$KEY"
  flock 9 || die "could not lock $GROUNDWORK_TOOLS_CACHE/.lock-node-$KEY"
  if complete "$DEST"; then log "node tools up to date (built by a concurrent run): $DEST"; else build; fi
fi

mkdir -p "$GROUNDWORK_TOOLS_BIN"
for b in "${BINARIES[@]}"; do ln -sfn "$DEST/$b" "$GROUNDWORK_TOOLS_BIN/$b.tmp.$$" && mv -Tf "$GROUNDWORK_TOOLS_BIN/$b.tmp.$$" "$GROUNDWORK_TOOLS_BIN/$b"; done
log "node tools bin: $GROUNDWORK_TOOLS_BIN (${BINARIES[*]})"
