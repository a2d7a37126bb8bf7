#!/usr/bin/env bash
# Deploys the system to a local kind cluster named "shop":
# creates the cluster if absent (k8s/kind/cluster.yaml), builds the images (tag "kind") and loads
# them into the node, generates the credentials once (k8s/overlays/kind/secrets/, git-ignored),
# applies k8s/overlays/kind, waits for every rollout and prints where the gateway answers.
#   infra/deploy/kind-deploy.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=SCRIPTDIR/overlay.sh
source "$deploy_dir/overlay.sh"

cluster=shop
gateway_url=http://localhost:8080

require docker "https://docs.docker.com/engine/install/"
require kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
require kubectl "https://kubernetes.io/docs/tasks/tools/"
require node "Node 20, as for the rest of the workspace"
require curl "apt-get install curl"

if ! kind get clusters | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --config "$repo_root/k8s/kind/cluster.yaml" --wait 180s
fi
kube=(kubectl --context "kind-$cluster")

mapfile -t names < <(image_names)
TAG=kind "$deploy_dir/build-images.sh" "${names[@]}"
for name in "${names[@]}"; do
  kind load docker-image --name "$cluster" "shop/$name:kind"
done

apply_overlay "$gateway_url" "${kube[@]}"

cat <<MESSAGE

shop runs on kind: $gateway_url  (API docs: $gateway_url/api/docs)
  demo customer: customer@shop.test / $(demo_password DEMO_CUSTOMER_PASSWORD)
  demo admin:    admin@shop.test / $(demo_password DEMO_ADMIN_PASSWORD)
  mail:          kubectl --context kind-$cluster -n $namespace port-forward deploy/mailpit 8025:8025
  chaos demo:    infra/deploy/kind-chaos.sh
  teardown:      infra/deploy/kind-teardown.sh
MESSAGE
