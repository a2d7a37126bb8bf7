#!/usr/bin/env bash
# The Debian bookworm base of every stand-in image, for machines that cannot pull from an image
# registry: a minimal root filesystem made by debootstrap from the Debian mirror apt already uses,
# imported as shop-offline/debian:bookworm. The root filesystem is cached as a tarball under
# .cache/offline-images, so a second machine run only re-imports it.
#   infra/deploy/offline/debian/build.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=SCRIPTDIR/../../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"

image=shop-offline/debian:bookworm
cache="$repo_root/.cache/offline-images"
tarball="$cache/debian-bookworm-minbase.tar"

if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi

# The mirror of this machine's own apt sources: the only one known to be reachable.
debian_mirror() {
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
    grep -oE 'https?://[^ ]+' | head -n 1 || true)
  if [ -z "$uri" ]; then
    echo "no Debian mirror in /etc/apt/sources.list*: debootstrap needs one" >&2
    exit 1
  fi
  echo "$uri"
}

if [ ! -s "$tarball" ]; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "debootstrap is required to make the base image: apt-get install debootstrap" >&2
      exit 1
    fi
    apt-get install -y -qq debootstrap >/dev/null
  fi
  mkdir -p "$cache"
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  mirror=$(debian_mirror)
  echo "offline images: debootstrap bookworm (minbase) from $mirror" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
    tail -n 20 "$cache/debootstrap.log" >&2
    exit 1
  }
  # What apt inside the image should use: the same mirror, and nothing cached.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
fi

docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  "$tarball" "$image" >/dev/null
echo "offline images: $image imported" >&2
