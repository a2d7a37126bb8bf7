#!/usr/bin/env bash
# Builds etcd, CoreDNS, the pause program and the Kubernetes binaries of a single-node cluster
# from their Go modules (and the pause program from the C source in Kubernetes' module), into
# ~/.cache/shop/kubernetes/<version>/bin/, each once (a binary already there is kept). Only the Go
# module proxy is needed: no image registry, no release download.
#
#   infra/deploy/cluster/build.sh            every binary
#   infra/deploy/cluster/build.sh kubectl    only those named
#
# Measured on 2 busy cores (NOTES.md): 13 min for all seven from an empty build cache, of which
# kube-apiserver (with the module downloads) 6.5 min; 1.9 GB of memory at the peak; the build
# cache grows to 5 GB, the module cache to 1.1 GB, the binaries take 490 MB. Both caches are this
# build's own and are removed when it ends: only the binaries are kept, and a machine whose disk
# is shared does not carry 6 GB it no longer needs into the deploy that follows.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require go "Go 1.24 or newer (k8s.io/kubernetes 'go' directive)"

all=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl coredns local-path-provisioner metrics-server pause)
if [ "$#" -gt 0 ]; then
  wanted=("$@")
else
  wanted=("${all[@]}")
fi
go_env
mkdir -p "$kubernetes_bin"

# Go's build and module caches for this build only (a killed build's are removed by the next).
rm -rf "$kubernetes_dir"/go-caches.*
go_caches="$(mktemp -d "$kubernetes_dir/go-caches.XXXXXX")"
trap 'rm -rf "$go_caches"' EXIT
export GOCACHE="$go_caches/build" GOMODCACHE="$go_caches/mod"

# A scratch module that requires k8s.io/kubernetes, with every k8s.io staging module it replaces
# by a local folder (./staging/src/k8s.io/…, absent from the module zip) replaced instead by its
# released version. The list is read from k8s.io/kubernetes's own go.mod.
kubernetes_module() {
  local src="$kubernetes_dir/src"
  [ -f "$src/go.sum" ] && return
  mkdir -p "$src"
  local upstream_mod
  upstream_mod="$(go mod download -json "k8s.io/kubernetes@$kubernetes_version" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  {
    echo "module shop.local/kubernetes-build"
    echo
    sed -n '/^go /p' "$upstream_mod"
    echo
    echo "require k8s.io/kubernetes $kubernetes_version"
    echo
    sed -n 's|^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*|replace \1 => \1 '"$staging_version"'|p' "$upstream_mod"
    echo
    local binary
    for binary in "${all[@]}"; do
      case "$binary" in
        kube* ) echo "tool k8s.io/kubernetes/cmd/$binary" ;;
      esac
    done
  } >"$src/go.mod"
  (cd "$src" && go mod tidy)
}

# etcd's server module replaces its sibling modules by ../ folders, so it cannot be built with
# `go install …@version` either: the same kind of scratch module. CoreDNS is built the same way.
# scratch_module <name> <module> <version> [main package]: prints the folder of a module that
# requires it.
scratch_module() {
  local name="$1" module="$2" version="$3" package="${4:-$2}"
  local src="$machine_cache/kubernetes/$name-$version/src"
  if [ ! -f "$src/go.sum" ]; then
    mkdir -p "$src"
    printf 'module shop.local/%s-build\n\ngo 1.24.0\n\nrequire %s %s\n\ntool %s\n' \
      "$name" "$module" "$version" "$package" >"$src/go.mod"
    if ! (cd "$src" && go mod tidy) >&2; then
      rm -rf "$src"
      echo "$name $version: its module could not be resolved (above)" >&2
      exit 1
    fi
  fi
  echo "$src"
}

# The flags of Kubernetes' own release build (hack/lib/golang.sh, hack/lib/version.sh): the
# version stamped where `kubectl version` and /version read it, no debug symbols, trimmed paths.
kubernetes_ldflags() {
  local minor="${kubernetes_version#v1.}"
  minor="${minor%%.*}"
  local build_date
  build_date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' \
    "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$kubernetes_version.info")"
  local flags="" package key value
  for package in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    for key in gitVersion=$kubernetes_version gitMajor=1 gitMinor=$minor gitTreeState=clean buildDate=$build_date; do
      value="${key#*=}"
      flags+=" -X $package.${key%%=*}=$value"
    done
  done
  echo "all=$flags -s -w"
}

build() {
  local binary="$1" target="$kubernetes_bin/$1"
  if [ -x "$target" ]; then
    echo "$binary: already built ($target)"
    return
  fi
  local started=$SECONDS tmp="$target.tmp.$$"
  rm -f "$target".tmp.*
  local src
  if [ "$binary" = etcd ]; then
    src="$(scratch_module etcd go.etcd.io/etcd/server/v3 "$etcd_version")"
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" go.etcd.io/etcd/server/v3)
  elif [ "$binary" = coredns ]; then
    src="$(scratch_module coredns github.com/coredns/coredns "$coredns_version")"
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" github.com/coredns/coredns)
  elif [ "$binary" = local-path-provisioner ]; then
    src="$(scratch_module local-path-provisioner github.com/rancher/local-path-provisioner "$local_path_version")"
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" github.com/rancher/local-path-provisioner)
  elif [ "$binary" = metrics-server ]; then
    local package=sigs.k8s.io/metrics-server/cmd/metrics-server
    src="$(scratch_module metrics-server sigs.k8s.io/metrics-server "$metrics_server_version" "$package")"
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" "$package")
  elif [ "$binary" = pause ]; then
    # The sandbox every pod starts with: Kubernetes' build/pause/linux/pause.c, linked statically
    # as its Makefile does, for a FROM-scratch image.
    require gcc "a C compiler (apt-get install gcc libc6-dev) for the pause program"
    local module
    module="$(go mod download -json "k8s.io/kubernetes@$kubernetes_version" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    gcc -Os -Wall -Werror -static -DVERSION="v$pause_version-shop" -o "$tmp" \
      "$module/build/pause/linux/pause.c"
    strip "$tmp"
  else
    kubernetes_module
    # Upstream links every binary statically but the kubelet (KUBE_STATIC_BINARIES).
    local cgo=0
    [ "$binary" = kubelet ] && cgo="$(go env CGO_ENABLED)"
    (cd "$kubernetes_dir/src" && CGO_ENABLED="$cgo" go build -trimpath \
      -tags=selinux,notest,grpcnotrace -ldflags="$(kubernetes_ldflags)" \
      -o "$tmp" "k8s.io/kubernetes/cmd/$binary")
  fi
  mv "$tmp" "$target"
  echo "$binary: built in $((SECONDS - started)) s"
}

for binary in "${wanted[@]}"; do
  case " ${all[*]} " in
    *" $binary "*) build "$binary" ;;
    *)
      echo "unknown binary $binary (one of: ${all[*]})" >&2
      exit 1
      ;;
  esac
done
