#!/usr/bin/env bash
# Builds the container images as OCI image-layout tarballs, reproducibly, without a container daemon or registry:
#
#   hack/build-images.sh [operator] [test]     (default: both)
#
#   operator  target/images/operator.tar   groundwork/operator:<version>: a JRE from Debian packages (mmdebstrap) plus
#                                          target/quarkus-app (run `mvn package` first), in the layout, user (185)
#                                          and entrypoint of src/main/docker/Dockerfile.jvm (see docs/decisions.md)
#   test      target/images/pause.tar      the sandbox image: upstream's pause.c (from the pinned k8s.io/kubernetes
#                                          module) compiled with gcc -static
#             target/images/busybox.tar    Debian's busybox-static, for test clients and servers (nc, wget, sh)
#
# Every input is hashed into a key; images and the JRE layer are cached under $GROUNDWORK_TOOLS_CACHE/images by key
# (flock per key, atomic rename), so a second run only links files. Same inputs, byte-identical tarballs: entries
# sorted, mtimes SOURCE_DATE_EPOCH=0, numeric owners, gzip without time or name (hack/lib/oci-image.py).
# Needs root for mmdebstrap (or run it as a user with unshare), gcc, busybox-static, python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HACK_DIR="$ROOT/hack"
# shellcheck source=hack/tools.env
. "$HACK_DIR/tools.env"
OCI="$HACK_DIR/lib/oci-image.py"
CACHE="$GROUNDWORK_TOOLS_CACHE/images"
OUT="${GROUNDWORK_IMAGES_DIR:-$ROOT/target/images}"
export SOURCE_DATE_EPOCH=0
# The Debian release and JRE package of the operator image; DEBIAN_MIRROR for a mirror of your own.
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
JRE_PACKAGE=openjdk-17-jre-headless
# Version of build_jre below: part of the JRE layer's cache key.
JRE_RECIPE=1
# Test image names: never pulled (imagePullPolicy IfNotPresent/Never), imported with ctr.
PAUSE_IMAGE=localhost/groundwork-test/pause:3.10
BUSYBOX_IMAGE=localhost/groundwork-test/busybox:1

log() { printf 'build-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
mkdir -p "$CACHE" "$OUT"

key() { sha256sum | cut -c1-16; }
tree_hash() { # stable hash of a tree: paths, modes, link targets and contents
  (cd "$1" && find . -mindepth 1 -printf '%P %y %m %l\n' | LC_ALL=C sort
   find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-64
}
# with_lock NAME CMD...: one builder per cache entry; CMD runs only when $CACHE/NAME is still missing.
with_lock() {
  local name="$1"; shift
  [[ -e "$CACHE/$name" ]] && return 0
  exec 8>"$CACHE/.lock-$name"
  flock 8
  [[ -e "$CACHE/$name" ]] || "$@"
  exec 8>&-
}
publish() { # FILE NAME: link a cached file into target/images atomically
  [[ "$CACHE/$1" -ef "$OUT/$2" ]] && return 0
  ln -f "$CACHE/$1" "$OUT/$2.tmp.$$" 2>/dev/null || cp -f "$CACHE/$1" "$OUT/$2.tmp.$$"
  mv -f "$OUT/$2.tmp.$$" "$OUT/$2"
}
image_config() { # JSON of the image config from name=value pairs given as python literals
  python3 -c 'import json,sys; print(json.dumps(eval(sys.argv[1]), sort_keys=True))' "$1"
}

# --- the JRE base layer --------------------------------------------------------------------------------------
jre_layer() {
  local candidate
  candidate="$(apt-cache policy "$JRE_PACKAGE" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  local k
  # Keyed by the recipe (JRE_RECIPE: bump it when build_jre changes), not by this whole script.
  k="$( { cat "$OCI"; echo "$JRE_RECIPE $DEBIAN_SUITE $DEBIAN_MIRROR $JRE_PACKAGE ${candidate:-unknown}"; } | key)"
  JRE_LAYER="jre-$k.tar.gz"
  build_jre() {
    command -v mmdebstrap >/dev/null || die "mmdebstrap missing (apt-get install mmdebstrap)"
    local tmp; tmp="$(mktemp -d "$CACHE/.build-jre.XXXXXX")"
    log "mmdebstrap $DEBIAN_SUITE + $JRE_PACKAGE (${candidate:-version unknown}) into $tmp"
    # Excluding /usr/share/man breaks the JRE's postinst (update-alternatives wants man1): create it first.
    mmdebstrap --quiet --variant=essential --include="$JRE_PACKAGE" \
      --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
      --customize-hook='echo "jboss:x:185:185:groundwork operator:/deployments:/usr/sbin/nologin" >> "$1"/etc/passwd' \
      --customize-hook='echo "jboss:x:185:" >> "$1"/etc/group' \
      --customize-hook='rm -rf "$1"/var/log/* "$1"/var/cache/ldconfig/aux-cache "$1"/var/lib/dpkg/*-old; : > "$1"/etc/machine-id' \
      "$DEBIAN_SUITE" "$tmp/rootfs" \
      "deb $DEBIAN_MIRROR $DEBIAN_SUITE main" "deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main" \
      "deb $DEBIAN_SECURITY_MIRROR $DEBIAN_SUITE-security main" >&2
    rm -rf "$tmp/rootfs/dev"/* "$tmp/rootfs/proc"/* "$tmp/rootfs/sys"/*
    python3 "$OCI" layer "$tmp/rootfs" "$tmp/layer.tar.gz"
    mv "$tmp/layer.tar.gz.diffid" "$CACHE/$JRE_LAYER.diffid"
    mv "$tmp/layer.tar.gz" "$CACHE/$JRE_LAYER"
    rm -rf "$tmp"
  }
  with_lock "$JRE_LAYER" build_jre
}

# --- the operator image ----------------------------------------------------------------------------------------
operator_image() {
  local app="$ROOT/target/quarkus-app"
  [[ -f "$app/quarkus-run.jar" ]] || die "$app/quarkus-run.jar missing: run mvn package first"
  local version
  version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/helm/groundwork/Chart.yaml")"
  [[ -n "$version" ]] || die "no appVersion in helm/groundwork/Chart.yaml"
  OPERATOR_IMAGE="groundwork/operator:$version"
  jre_layer
  local k
  k="$( { cat "${BASH_SOURCE[0]}" "$OCI" "$HACK_DIR/image/run-java.sh" "$CACHE/$JRE_LAYER.diffid"; echo "$OPERATOR_IMAGE"; tree_hash "$app"; } | key)"
  local name="operator-$k.tar"
  build_operator() {
    local tmp; tmp="$(mktemp -d "$CACHE/.build-operator.XXXXXX")"
    log "operator image $OPERATOR_IMAGE from $app"
    # run-java.sh at the path of UBI's, so the entrypoint is the Dockerfile's.
    mkdir -p "$tmp/entry/opt/jboss/container/java/run" "$tmp/jars"
    install -m 0755 "$HACK_DIR/image/run-java.sh" "$tmp/entry/opt/jboss/container/java/run/run-java.sh"
    cp -p "$app"/*.jar "$tmp/jars/"
    # The Dockerfile's four COPY --chown=185 layers, least to most often changed.
    python3 "$OCI" layer "$tmp/entry" "$tmp/l1.tar.gz"
    python3 "$OCI" layer "$app/lib" "$tmp/l2.tar.gz" --owner 185:185 --prefix /deployments/lib
    python3 "$OCI" layer "$tmp/jars" "$tmp/l3.tar.gz" --owner 185:185 --prefix /deployments
    python3 "$OCI" layer "$app/app" "$tmp/l4.tar.gz" --owner 185:185 --prefix /deployments/app
    python3 "$OCI" layer "$app/quarkus" "$tmp/l5.tar.gz" --owner 185:185 --prefix /deployments/quarkus
    image_config "{'Entrypoint': ['/opt/jboss/container/java/run/run-java.sh'], 'User': '185', 'WorkingDir': '/deployments',
      'ExposedPorts': {'8080/tcp': {}},
      'Env': ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANGUAGE=en_US:en',
              'JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64', 'JAVA_APP_DIR=/deployments',
              'JAVA_OPTS_APPEND=-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager',
              'JAVA_APP_JAR=/deployments/quarkus-run.jar']}" >"$tmp/config.json"
    python3 "$OCI" image --out "$tmp/image.tar" --name "$OPERATOR_IMAGE" --config "$tmp/config.json" \
      --layer "$CACHE/$JRE_LAYER" --layer "$tmp/l1.tar.gz" --layer "$tmp/l2.tar.gz" --layer "$tmp/l3.tar.gz" \
      --layer "$tmp/l4.tar.gz" --layer "$tmp/l5.tar.gz" >"$tmp/ref"
    mv "$tmp/ref" "$CACHE/$name.ref"
    mv "$tmp/image.tar" "$CACHE/$name"
    rm -rf "$tmp"
  }
  with_lock "$name" build_operator
  publish "$name" operator.tar
  log "$OUT/operator.tar: $(cat "$CACHE/$name.ref")"
}

# --- test images ---------------------------------------------------------------------------------------------------
# A one-layer image of $1/root, named $3 with config $4 (extra arguments go to the layer), into the cache as $2;
# removes the build directory $1.
single_layer_image() {
  local tmp="$1" name="$2" image="$3" config="$4"
  shift 4
  python3 "$OCI" layer "$tmp/root" "$tmp/l.tar.gz" "$@"
  image_config "$config" >"$tmp/config.json"
  python3 "$OCI" image --out "$tmp/image.tar" --name "$image" --config "$tmp/config.json" --layer "$tmp/l.tar.gz" >"$tmp/ref"
  mv "$tmp/ref" "$CACHE/$name.ref"; mv "$tmp/image.tar" "$CACHE/$name"; rm -rf "$tmp"
}

pause_image() {
  local src
  (cd "$HACK_DIR/tools" && GOTOOLCHAIN=local GOWORK=off go mod download k8s.io/kubernetes)
  src="$(cd "$HACK_DIR/tools" && GOTOOLCHAIN=local GOWORK=off go list -mod=readonly -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  [[ -f "$src" ]] || die "no $src"
  local k; k="$( { cat "${BASH_SOURCE[0]}" "$OCI" "$src"; gcc --version | head -n 1; } | key)"
  local name="pause-$k.tar"
  build_pause() {
    local tmp; tmp="$(mktemp -d "$CACHE/.build-pause.XXXXXX")"
    mkdir "$tmp/root"
    gcc -Os -Wall -Werror -static -DVERSION=v3.10-groundwork -o "$tmp/root/pause" "$src"
    strip "$tmp/root/pause"
    single_layer_image "$tmp" "$name" "$PAUSE_IMAGE" "{'Entrypoint': ['/pause'], 'User': '65535:65535'}"
  }
  with_lock "$name" build_pause
  publish "$name" pause.tar
  log "$OUT/pause.tar: $(cat "$CACHE/$name.ref")"
}

busybox_image() {
  local bb=/bin/busybox
  [[ -x "$bb" ]] || die "$bb missing (apt-get install busybox-static)"
  local k; k="$( { cat "${BASH_SOURCE[0]}" "$OCI" "$bb"; } | key)"
  local name="busybox-$k.tar"
  build_busybox() {
    local tmp; tmp="$(mktemp -d "$CACHE/.build-busybox.XXXXXX")"
    mkdir -p "$tmp/root/bin" "$tmp/root/tmp" "$tmp/root/etc"
    chmod 1777 "$tmp/root/tmp"
    install -m 0755 "$bb" "$tmp/root/bin/busybox"
    local applet
    for applet in $("$bb" --list); do [[ "$applet" == busybox ]] || ln -s busybox "$tmp/root/bin/$applet"; done
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$tmp/root/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$tmp/root/etc/group"
    single_layer_image "$tmp" "$name" "$BUSYBOX_IMAGE" "{'Cmd': ['/bin/sh'], 'Env': ['PATH=/bin']}" --owner 0:0
  }
  with_lock "$name" build_busybox
  publish "$name" busybox.tar
  log "$OUT/busybox.tar: $(cat "$CACHE/$name.ref")"
}

what=("$@"); (( ${#what[@]} )) || what=(operator test)
for w in "${what[@]}"; do
  case "$w" in
    operator) operator_image ;;
    test) pause_image; busybox_image ;;
    jre) jre_layer; log "JRE layer: $CACHE/$JRE_LAYER" ;;
    *) die "unknown image set: $w (operator, test, jre)" ;;
  esac
done
