# Shared by the scripts of this folder (sourced, not run).
# shellcheck shell=bash
# The variables are read by the scripts that source this file.
# shellcheck disable=SC2034

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
deploy_dir="$repo_root/infra/deploy"
# The third-party images (NODE_IMAGE, POSTGRES_IMAGE, …): one version of each everywhere.
# shellcheck source=SCRIPTDIR/images.env
source "$deploy_dir/images.env"

# The gateway and every service that has a composition root (services/<name>/src/main.ts).
image_names() {
  echo gateway
  local main
  for main in "$repo_root"/services/*/src/main.ts; do
    basename "$(dirname "$(dirname "$main")")"
  done
}

# Every image is built from one Dockerfile, told which folder it is for and the port that
# folder's config defaults to (a test keeps this table equal to the configs).
dockerfile="$repo_root/infra/deploy/image/Dockerfile"

folder_of() {
  if [ "$1" = gateway ]; then
    echo gateway
  else
    echo "services/$1"
  fi
}

port_of() {
  case "$1" in
    gateway) echo 8080 ;;
    identity) echo 8081 ;;
    catalog) echo 8082 ;;
    cart) echo 8083 ;;
    order) echo 8084 ;;
    inventory) echo 8085 ;;
    payment) echo 8086 ;;
    notification) echo 8087 ;;
    *)
      echo "no port known for $1 (infra/deploy/lib.sh port_of)" >&2
      return 1
      ;;
  esac
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
