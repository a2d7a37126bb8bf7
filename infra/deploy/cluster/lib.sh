# Shared by build.sh and cluster.sh (sourced, not run).
# shellcheck shell=bash
# The variables are read by the scripts that source this file.
# shellcheck disable=SC2034

# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The newest v1.34 patch release; its staging modules (k8s.io/api, client-go, …) are released as
# v0.34.<patch> at the same time.
kubernetes_version="${KUBERNETES_VERSION:-v1.34.4}"
staging_version="v0.${kubernetes_version#v1.}"
# The etcd that kubeadm of that release deploys (DefaultEtcdVersion in
# cmd/kubeadm/app/constants/constants.go of k8s.io/kubernetes v1.34.4: "3.6.5-0").
etcd_version="${ETCD_VERSION:-v3.6.5}"

# The CoreDNS that kubeadm of that release deploys (CoreDNSVersion in the same file).
coredns_version="${COREDNS_VERSION:-v1.12.1}"
# The dynamic storage kind ships (its default StorageClass "standard").
local_path_version="${LOCAL_PATH_VERSION:-v0.0.30}"
# Resource metrics for the HorizontalPodAutoscalers.
metrics_server_version="${METRICS_SERVER_VERSION:-v0.8.0}"
# The sandbox image kubeadm of that release pins (PauseVersion).
pause_version="3.10.1"

# What is built is kept per machine, not per checkout: a fresh clone (CI) reuses the binaries and
# Go's own build and module caches instead of spending 13 minutes on Kubernetes again.
machine_cache="${SHOP_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shop}"
kubernetes_dir="$machine_cache/kubernetes/$kubernetes_version"
kubernetes_bin="$kubernetes_dir/bin"
cluster_data="$repo_root/.data/cluster"

go_env() {
  export GOFLAGS="-modcacherw -buildvcs=false"
  export GOTOOLCHAIN=local
}
