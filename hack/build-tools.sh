#!/usr/bin/env bash
# Builds the pinned Kubernetes test tools (kube-apiserver, etcd, kubectl, helm)
# from the Go module in hack/tools/, caches them outside the repo, and puts them
# where the tests look for them. See hack/README.md.
#
#   hack/build-tools.sh
#
# Environment (all optional): GROUNDWORK_TOOLS_CACHE, GROUNDWORK_TOOLS_BIN,
# KUBE_API_TEST_DIR (defaults in hack/tools.env), GOPROXY/GOMODCACHE/GOCACHE as
# usual for go. Safe to run repeatedly and concurrently; needs no stdin.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_DIR="$HACK_DIR/tools"
# shellcheck source=hack/tools.env
. "$HACK_DIR/tools.env"

BINARIES=(kube-apiserver etcd kubectl helm)
KUBE_API_TEST_BINARIES=(kube-apiserver etcd kubectl)

log() { printf '%s\n' "$*" >&2; }
die() { log "build-tools: $*"; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not on PATH (need Go >= 1.25)"

# Everything go runs here: the local toolchain only, no cgo, no go.work from a
# parent directory, go.mod/go.sum used as committed.
gocmd() {
  (cd "$TOOLS_DIR" && CGO_ENABLED=0 GOTOOLCHAIN=local GOWORK=off go "$@")
}

# --- go.mod must pin what tools.env says ------------------------------------
# Version of a module in a require line of go.mod ("<path> vX.Y.Z").
gomod_require() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$TOOLS_DIR/go.mod"; }

K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="${K8S_VERSION#*.}"; K8S_MINOR="${K8S_MINOR%%.*}"
STAGING_VERSION="v0.${K8S_VERSION#*.}"  # k8s.io/api etc. are tagged v0.<minor>.<patch>

check_pin() { # module expected
  local got
  got="$(gomod_require "$1")"
  [[ "$got" == "$2" ]] || die "hack/tools/go.mod requires $1 ${got:-<none>}, hack/tools.env wants $2"
}
check_pin k8s.io/kubernetes "v$K8S_VERSION"
check_pin k8s.io/kubectl "$STAGING_VERSION"
check_pin go.etcd.io/etcd/server/v3 "v$ETCD_VERSION"
check_pin helm.sh/helm/v3 "v$HELM_VERSION"
bad_replaces="$(awk -v v="$STAGING_VERSION" '$2 == "=>" && $1 ~ /^k8s\.io\// && $4 != v' "$TOOLS_DIR/go.mod")"
[[ -z "$bad_replaces" ]] || die "staging replaces in hack/tools/go.mod not at $STAGING_VERSION:
$bad_replaces"

# --- cache key ----------------------------------------------------------------
# Everything that changes the binaries: the module, the mains, this script, the
# pinned versions, and the Go toolchain / target platform.
GOOS_GOARCH="$(gocmd env GOOS)-$(gocmd env GOARCH)"
KEY="$(
  {
    cat "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" "${BASH_SOURCE[0]}" "$HACK_DIR/tools.env"
    find "$TOOLS_DIR/cmd" -type f -name '*.go' | LC_ALL=C sort | xargs cat
    gocmd env GOVERSION
    echo "$GOOS_GOARCH"
  } | sha256sum | cut -c1-16
)"
DEST="$GROUNDWORK_TOOLS_CACHE/$KEY"

complete() { # dir
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$1/$b" ]] || return 1; done
}

# --- build (only when the cache entry is missing) ----------------------------
build() {
  mkdir -p "$GROUNDWORK_TOOLS_CACHE"
  # Leftovers of builds killed outright (a day old: surely not still running).
  find "$GROUNDWORK_TOOLS_CACHE" -mindepth 1 -maxdepth 1 -name '.build-*' -mmin +1440 \
    -exec rm -rf {} + 2>/dev/null || true
  local tmp
  tmp="$(mktemp -d "$GROUNDWORK_TOOLS_CACHE/.build-$KEY.XXXXXX")"
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT

  # Release date of the pinned k8s.io/kubernetes tag: a reproducible buildDate.
  local build_date
  build_date="$(gocmd list -mod=readonly -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)"
  [[ -n "$build_date" ]] || build_date="1970-01-01T00:00:00Z"

  # The same variables hack/lib/version.sh sets for a release build of Kubernetes
  # (in both component-base and client-go), and the ones helm's Makefile sets.
  # The commit is left empty: module zips carry no git hash. A -X for a package
  # a binary does not link is ignored, so one set of flags serves all four.
  local ldflags=(-s -w)
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=(
      "-X '$pkg.gitVersion=v$K8S_VERSION'"
      "-X '$pkg.gitMajor=$K8S_MAJOR'"
      "-X '$pkg.gitMinor=$K8S_MINOR'"
      "-X '$pkg.gitCommit='"
      "-X '$pkg.gitTreeState=clean'"
      "-X '$pkg.buildDate=$build_date'"
    )
  done
  ldflags+=(
    "-X 'helm.sh/helm/v3/internal/version.version=v$HELM_VERSION'"
    "-X 'helm.sh/helm/v3/internal/version.metadata='"
    "-X 'helm.sh/helm/v3/internal/version.gitCommit='"
    "-X 'helm.sh/helm/v3/internal/version.gitTreeState=clean'"
    # Kubernetes version helm assumes without a cluster (helm template, lint);
    # its default is 1.20.
    "-X 'helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$K8S_MAJOR'"
    "-X 'helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$K8S_MINOR'"
    "-X 'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$K8S_MAJOR'"
    "-X 'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$K8S_MINOR'"
  )

  log "building kube-apiserver v$K8S_VERSION, etcd v$ETCD_VERSION, kubectl v$K8S_VERSION, helm v$HELM_VERSION"
  log "  into $DEST (go $(gocmd env GOVERSION), $GOOS_GOARCH; a cold build takes a while)"
  # One go build for all four: packages shared between them compile once.
  # go's scratch dir inside $tmp: a killed build leaves nothing in /tmp.
  mkdir "$tmp/.gotmp"
  GOTMPDIR="$tmp/.gotmp" gocmd build -mod=readonly -buildvcs=false -trimpath -ldflags "${ldflags[*]}" -o "$tmp/" \
    ./cmd/kube-apiserver ./cmd/etcd ./cmd/kubectl helm.sh/helm/v3/cmd/helm
  rm -rf "$tmp/.gotmp"

  complete "$tmp" || die "build did not produce all of: ${BINARIES[*]}"
  # Never cache binaries that report the wrong version.
  local got
  got="$("$tmp/kube-apiserver" --version)"
  [[ "$got" == "Kubernetes v$K8S_VERSION" ]] || die "kube-apiserver --version says: $got"
  got="$("$tmp/kubectl" version --client -o json)"
  [[ "$got" == *"\"gitVersion\": \"v$K8S_VERSION\""* ]] || die "kubectl version --client says: $got"
  got="$("$tmp/helm" version --template '{{.Version}}')"
  [[ "$got" == "v$HELM_VERSION" ]] || die "helm version says: $got"

  chmod 755 "$tmp"
  # Publish atomically: the key dir appears complete or not at all. A stale,
  # incomplete one (not created by this script) is replaced; if a concurrent run
  # published first, keep its copy.
  if [[ -e "$DEST" ]] && ! complete "$DEST"; then rm -rf "$DEST"; fi
  if ! mv -T "$tmp" "$DEST" 2>/dev/null; then
    complete "$DEST" || die "could not move $tmp to $DEST"
  fi
  rm -rf "$tmp"
  trap - EXIT
}

if complete "$DEST"; then
  log "tools up to date: $DEST"
else
  # One build per key at a time: a second run waits, then finds it done.
  mkdir -p "$GROUNDWORK_TOOLS_CACHE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$GROUNDWORK_TOOLS_CACHE/.lock-$KEY"
    flock 9 || die "could not lock $GROUNDWORK_TOOLS_CACHE/.lock-$KEY"
  fi
  if complete "$DEST"; then
    log "tools up to date (built by a concurrent run): $DEST"
  else
    build
  fi
fi

# --- install: stable symlinks + the kube-api-test layout ---------------------
# Replace $2 by a symlink to $1 / a hard link or copy of $1, atomically.
link_sym() { ln -sfn "$1" "$2.tmp.$$" && mv -Tf "$2.tmp.$$" "$2"; }
link_file() {
  cmp -s "$1" "$2" && return 0
  ln -f "$1" "$2.tmp.$$" 2>/dev/null || cp -f "$1" "$2.tmp.$$"
  mv -f "$2.tmp.$$" "$2"
}

mkdir -p "$GROUNDWORK_TOOLS_BIN"
for b in "${BINARIES[@]}"; do link_sym "$DEST/$b" "$GROUNDWORK_TOOLS_BIN/$b"; done

# kube-api-test checks that the files exist and runs them: real files (hard
# links into the cache when on the same filesystem), named <version>-<os>-<arch>.
KAT_DIR="$KUBE_API_TEST_DIR/k8s/$K8S_VERSION-$GOOS_GOARCH"
mkdir -p "$KAT_DIR"
for b in "${KUBE_API_TEST_BINARIES[@]}"; do link_file "$DEST/$b" "$KAT_DIR/$b"; done

log "tools bin:     $GROUNDWORK_TOOLS_BIN"
log "kube-api-test: $KAT_DIR"
# First line of a command's output. Not `cmd | head -n 1`: with pipefail, the
# command may die of SIGPIPE when head exits early, failing the script at random.
first_line() { local out; out="$("$@")"; printf '%s\n' "${out%%$'\n'*}"; }
first_line "$GROUNDWORK_TOOLS_BIN/kube-apiserver" --version
first_line "$GROUNDWORK_TOOLS_BIN/etcd" --version
first_line "$GROUNDWORK_TOOLS_BIN/kubectl" version --client
echo "helm $("$GROUNDWORK_TOOLS_BIN/helm" version --short)"
