#!/usr/bin/env bash
# The whole system under Docker Compose: an engine and Compose (docker-engine.sh), the third-party
# images pulled or made locally (prepare-images.sh), every image built (build-images.sh),
# credentials generated once (infra/deploy/compose/.env), every container started and waited for
# until healthy.
#   infra/deploy/compose-up.sh          then http://localhost:8080 and http://localhost:8025
#   docker compose --env-file infra/deploy/compose/.env down [-v]   stops it (-v: and its data)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require node "Node 20, as for the rest of the workspace"
"$deploy_dir/docker-engine.sh" up
"$deploy_dir/prepare-images.sh"
TAG="${TAG:-dev}" "$deploy_dir/build-images.sh"
env_file="$deploy_dir/compose/.env"
node "$deploy_dir/secrets.mjs" compose "$env_file"

cd "$repo_root"
started=$SECONDS
TAG="${TAG:-dev}" docker compose --env-file "$env_file" up --detach --wait --no-build
echo
echo "shop is up ($((SECONDS - started)) s to healthy): http://localhost:${SHOP_GATEWAY_PORT:-8080}" \
  "(API docs: /api/docs), mail: http://localhost:${SHOP_MAIL_PORT:-8025}"
echo "demo users: customer@shop.test / admin@shop.test, passwords in $env_file"
