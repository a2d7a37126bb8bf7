#!/usr/bin/env bash
# Deploys the system to the single-node cluster of this machine (cluster.sh) exactly as a kind
# user deploys it: the images built with the tag "kind" and put on the node, then
# `kubectl apply -k k8s/overlays/kind` and every rollout waited for. Starts the cluster first if
# it is not running. Prints where the gateway answers.
#   infra/deploy/cluster/deploy.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=SCRIPTDIR/../overlay.sh
source "$deploy_dir/overlay.sh"

cluster_script="$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
# kind maps the NodePort to localhost:8080; here the node's own address serves it.
gateway_url="http://10.244.0.1:30080"
kube=("$kubernetes_bin/kubectl" --kubeconfig "$cluster_data/admin.kubeconfig")

require docker "infra/deploy/docker-engine.sh up"
require node "Node 20, as for the rest of the workspace"

"$cluster_script" status >/dev/null 2>&1 || "$cluster_script" up

mapfile -t names < <(image_names)
TAG=kind "$deploy_dir/build-images.sh" "${names[@]}"
"$deploy_dir/prepare-images.sh" postgres redis kafka mailpit
images=("$POSTGRES_IMAGE" "$REDIS_IMAGE" "$KAFKA_IMAGE" "$MAILPIT_IMAGE")
for name in "${names[@]}"; do
  images+=("shop/$name:kind")
done
"$cluster_script" images "${images[@]}"

started=$SECONDS
apply_overlay "$gateway_url" "${kube[@]}"

cat <<MESSAGE

shop runs on this machine's Kubernetes ($((SECONDS - started)) s from apply to ready): $gateway_url
  API docs:      $gateway_url/api/docs
  demo customer: customer@shop.test / $(demo_password DEMO_CUSTOMER_PASSWORD)
  demo admin:    admin@shop.test / $(demo_password DEMO_ADMIN_PASSWORD)
  kubectl:       export KUBECONFIG=$cluster_data/admin.kubeconfig PATH=$kubernetes_bin:\$PATH
  mail:          kubectl -n $namespace port-forward deploy/mailpit 8025:8025
  teardown:      infra/deploy/cluster/cluster.sh down
MESSAGE
