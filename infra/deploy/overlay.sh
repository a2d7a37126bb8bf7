# Deploys k8s/overlays/kind to a cluster whose images are already on its node, the same way for
# kind (kind-deploy.sh) and for the single-node cluster of this machine (cluster/deploy.sh).
# Sourced, not run, after lib.sh (repo_root, deploy_dir, image_names).
# shellcheck shell=bash
# The variables are read by the scripts that source this file; lib.sh's are set by the caller.
# shellcheck disable=SC2034,SC2154

overlay="$repo_root/k8s/overlays/kind"
namespace=shop

# apply_overlay <gateway URL> <kubectl command…>: credentials generated once (git-ignored),
# `kubectl apply -k`, every rollout and the topics Job waited for, then the gateway's readiness
# through its NodePort.
apply_overlay() {
  local gateway_url="$1"
  local kube=("${@:2}")
  local names
  mapfile -t names < <(image_names)
  node "$deploy_dir/secrets.mjs" kind "$overlay/secrets"

  local redeploy=false
  if "${kube[@]}" get namespace "$namespace" >/dev/null 2>&1; then
    redeploy=true
    # A Job's pod template cannot be changed: the finished one goes, the applied one runs again
    # (creating topics that exist is a no-op).
    "${kube[@]}" -n "$namespace" delete job kafka-topics --ignore-not-found
  fi
  "${kube[@]}" apply -k "$overlay"

  local store
  for store in postgres redis kafka; do
    "${kube[@]}" -n "$namespace" rollout status "statefulset/$store" --timeout=300s
  done
  "${kube[@]}" -n "$namespace" wait --for=condition=complete job/kafka-topics --timeout=300s

  local name
  if [ "$redeploy" = true ]; then
    # The images were rebuilt under the same tag: new pods pick them up.
    for name in "${names[@]}"; do
      "${kube[@]}" -n "$namespace" rollout restart "deployment/$name"
    done
  fi
  for name in mailpit "${names[@]}"; do
    "${kube[@]}" -n "$namespace" rollout status "deployment/$name" --timeout=300s
  done

  local attempt
  for attempt in $(seq 1 60); do
    if curl -fsS "$gateway_url/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    [ "$attempt" -lt 60 ] && sleep 2
  done
  curl -fsS "$gateway_url/health/ready" >/dev/null
}

demo_password() {
  grep "^$1=" "$overlay/secrets/identity.env" | cut -d= -f2-
}
