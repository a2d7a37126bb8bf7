#!/usr/bin/env bash
# Builds the real Mailpit of MAILPIT_IMAGE on the host and puts the binary into the build context
# CONTEXT_DIR as mailpit, the way upstream's Dockerfile builds it: the web UI bundled by its
# esbuild script (npm ci, npm run package), then a static `go build` that embeds it. The source is
# the Go module from the Go module proxy, which carries the UI's sources and package-lock.json;
# npm and Go fetch the dependencies through their registries. The binary is kept under
# .cache/offline-images/mailpit, so a second build only copies it.
#   infra/deploy/offline/mailpit/fetch.sh CONTEXT_DIR
set -euo pipefail
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=SCRIPTDIR/../../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"

context="${1:?usage: fetch.sh CONTEXT_DIR}"
require go "https://go.dev/doc/install"
require npm "https://nodejs.org/en/download"

# The image's tag is Mailpit's release: the stand-in is built from that very version.
version="${MAILPIT_IMAGE##*:}"

cache="$repo_root/.cache/offline-images/mailpit"
binary="$cache/mailpit-$version"
if [ ! -x "$binary" ]; then
  mkdir -p "$cache"
  echo "mailpit stand-in: building Mailpit $version (go module, npm, go build)" >&2
  module_dir=$(go mod download -json "github.com/axllent/mailpit@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ ! -d "$module_dir" ]; then
    echo "mailpit stand-in: the Go module proxy did not give github.com/axllent/mailpit@$version" >&2
    exit 1
  fi
  work=$(mktemp -d "$cache/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cp -R "$module_dir/." "$work"
  chmod -R u+w "$work"
  # Install scripts are not needed: esbuild finds its platform binary package by itself.
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null &&
    npm run --silent package)
  (cd "$work" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$version" -o "$binary.partial" .)
  mv "$binary.partial" "$binary"
fi

cp "$binary" "$context/mailpit"
