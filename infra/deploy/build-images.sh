#!/usr/bin/env bash
# Builds the image of the gateway and of every service from the workspace root:
# shop/<name>:<tag>, the tag being TAG or else the git version of the checkout.
#   infra/deploy/build-images.sh              every image
#   TAG=1.4.0 infra/deploy/build-images.sh order cart
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

for name in "${names[@]}"; do
  dockerfile="$(dockerfile_of "$name")"
  if [ ! -f "$dockerfile" ]; then
    echo "no Dockerfile for $name ($dockerfile)" >&2
    exit 1
  fi
  echo "building shop/$name:$tag"
  docker build \
    --file "$dockerfile" \
    --tag "shop/$name:$tag" \
    --label "org.opencontainers.image.revision=$revision" \
    --label "org.opencontainers.image.version=$tag" \
    "$repo_root"
done
echo "built ${#names[@]} images tagged $tag"
