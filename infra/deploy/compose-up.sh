#!/usr/bin/env bash
# The whole system under Docker Compose: credentials generated once (infra/deploy/compose/.env),
# images built, every container started and waited for until healthy.
#   infra/deploy/compose-up.sh          then http://localhost:8080 and http://localhost:8025
#   docker compose --env-file infra/deploy/compose/.env down [-v]   stops it (-v: and its data)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require docker "https://docs.docker.com/engine/install/"
require node "Node 20, as for the rest of the workspace"
env_file="$deploy_dir/compose/.env"
node "$deploy_dir/secrets.mjs" compose "$env_file"

cd "$repo_root"
TAG="${TAG:-dev}" docker compose --env-file "$env_file" up --build --detach --wait
echo
echo "shop is up: http://localhost:8080 (API docs: /api/docs), mail: http://localhost:8025"
echo "demo users: customer@shop.test / admin@shop.test, passwords in $env_file"
