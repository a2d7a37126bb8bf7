#!/usr/bin/env bash
# Deletes the kind cluster "shop" and everything in it, volumes included.
#   infra/deploy/kind-teardown.sh                    keeps the generated credentials
#   infra/deploy/kind-teardown.sh --forget-secrets   and removes them (new ones next deploy)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
cluster=shop

if kind get clusters | grep -qx "$cluster"; then
  kind delete cluster --name "$cluster"
else
  echo "no kind cluster named $cluster"
fi

if [ "${1:-}" = --forget-secrets ]; then
  find "$repo_root/k8s/overlays/kind/secrets" -type f ! -name .gitignore -delete
  echo "generated credentials removed"
fi
