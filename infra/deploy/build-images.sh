#!/usr/bin/env bash
# Builds the image of the gateway and of every service from the workspace root, one after the
# other so that the shared layers (pnpm, the dependency store) are built once:
# shop/<name>:<tag>, the tag being TAG or else the git version of the checkout.
#   infra/deploy/build-images.sh              every image
#   TAG=1.4.0 infra/deploy/build-images.sh order cart
# The Node base image is pulled, or made locally by infra/deploy/prepare-images.sh when no image
# registry can be reached.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require docker "https://docs.docker.com/engine/install/"
tag="$(image_tag)"
revision="$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || echo unknown)"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(image_names)
fi

# Behind a TLS-inspecting proxy the build stages need its CA to download pnpm and dependencies.
build_ca="$deploy_dir/image/build-ca/extra.pem"
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$build_ca"
else
  rm -f "$build_ca"
fi

mkdir -p "$repo_root/.data"
for name in "${names[@]}"; do
  port="$(port_of "$name")"
  started=$SECONDS
  echo "building shop/$name:$tag"
  docker build \
    --file "$dockerfile" \
    --build-arg "NODE_IMAGE=$NODE_IMAGE" \
    --build-arg "SERVICE=$(folder_of "$name")" \
    --build-arg "PORT=$port" \
    --tag "shop/$name:$tag" \
    --label "org.opencontainers.image.title=shop-$name" \
    --label "org.opencontainers.image.revision=$revision" \
    --label "org.opencontainers.image.version=$tag" \
    "$repo_root" >"$repo_root/.data/build-$name.log" 2>&1 || {
    tail -n 30 "$repo_root/.data/build-$name.log" >&2
    echo "building shop/$name failed (log: .data/build-$name.log)" >&2
    exit 1
  }
  # The image the tag named before is left nameless: removed, or every rebuild keeps 250 MB more.
  docker image prune --force --filter "label=org.opencontainers.image.title=shop-$name" >/dev/null
  size="$(docker image inspect --format '{{.Size}}' "shop/$name:$tag")"
  echo "  shop/$name:$tag  $((size / 1000000)) MB  in $((SECONDS - started)) s"
done
echo "built ${#names[@]} images tagged $tag"
