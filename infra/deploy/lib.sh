# Shared by the scripts of this folder (sourced, not run).
# shellcheck shell=bash
# The variables are read by the scripts that source this file.
# shellcheck disable=SC2034

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
deploy_dir="$repo_root/infra/deploy"

# The gateway and every service that has a composition root (services/<name>/src/main.ts).
image_names() {
  echo gateway
  local main
  for main in "$repo_root"/services/*/src/main.ts; do
    basename "$(dirname "$(dirname "$main")")"
  done
}

dockerfile_of() {
  if [ "$1" = gateway ]; then
    echo "$repo_root/gateway/Dockerfile"
  else
    echo "$repo_root/services/$1/Dockerfile"
  fi
}

# TAG if set, else the git version of the checkout (a dirty tree says so).
image_tag() {
  if [ -n "${TAG:-}" ]; then
    echo "$TAG"
  else
    git -C "$repo_root" describe --tags --always --dirty 2>/dev/null || echo dev
  fi
}

require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$1 is required: $2" >&2
    exit 1
  fi
}
