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

kubernetes_dir="$repo_root/.cache/kubernetes/$kubernetes_version"
kubernetes_bin="$kubernetes_dir/bin"
cluster_data="$repo_root/.data/cluster"

# The Go caches infra/test/deploy/support/tools.ts uses, so the module downloads are shared.
go_env() {
  export GOPATH="$repo_root/.cache/go"
  export GOMODCACHE="$repo_root/.cache/go/mod"
  export GOCACHE="$repo_root/.cache/go/build"
  export GOFLAGS="-modcacherw -buildvcs=false"
  export GOTOOLCHAIN=local
}
