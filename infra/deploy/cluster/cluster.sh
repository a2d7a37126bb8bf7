#!/usr/bin/env bash
# A single-node Kubernetes control plane on loopback, from the binaries build.sh makes: etcd,
# kube-apiserver, kube-controller-manager and kube-scheduler as background processes of this
# machine (no container, no kind: kind's node container needs --privileged). No node yet: see
# NOTES.md for what the kubelet part needs.
#
#   infra/deploy/cluster/cluster.sh up       certificates once, start what is not running, wait
#   infra/deploy/cluster/cluster.sh status   each process and its health
#   infra/deploy/cluster/cluster.sh down     stop every process up started (the data is kept;
#                                            rm -rf .data/cluster for a fresh cluster)
#
# Everything lives under .data/cluster/: pki/, etcd/, <component>.pid and <component>.log, and
# admin.kubeconfig (KUBECONFIG=.data/cluster/admin.kubeconfig kubectl …).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# High ports on 127.0.0.1 only, away from the ones the Compose system publishes.
etcd_client_port="${ETCD_CLIENT_PORT:-12379}"
etcd_peer_port="${ETCD_PEER_PORT:-12380}"
etcd_metrics_port="${ETCD_METRICS_PORT:-12381}"
apiserver_port="${APISERVER_PORT:-16443}"
controller_manager_port="${CONTROLLER_MANAGER_PORT:-10257}"
scheduler_port="${SCHEDULER_PORT:-10259}"
# kind's ranges; neither overlaps Docker's 172.17.0.0/16 nor this machine's routes.
service_cidr="${SERVICE_CIDR:-10.96.0.0/16}"
pod_cidr="${POD_CIDR:-10.244.0.0/16}"

components=(etcd kube-apiserver kube-controller-manager kube-scheduler)
pki="$cluster_data/pki"
admin_kubeconfig="$cluster_data/admin.kubeconfig"
kubectl=("$kubernetes_bin/kubectl" --kubeconfig "$admin_kubeconfig")

# --- certificates -----------------------------------------------------------------------------

new_key() {
  [ -f "$1" ] || (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

new_ca() {
  local name="$1" subject="$2"
  [ -f "$pki/$name.crt" ] && return
  new_key "$pki/$name.key"
  openssl req -x509 -new -key "$pki/$name.key" -subj "$subject" -days 3650 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$pki/$name.crt"
}

# new_cert <name> <ca> <subject> <serverAuth|clientAuth|serverAuth,clientAuth> [subjectAltName]
new_cert() {
  local name="$1" ca="$2" subject="$3" usage="$4" san="${5:-}"
  [ -f "$pki/$name.crt" ] && return
  new_key "$pki/$name.key"
  local extensions="$pki/$name.ext"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    if [ -n "$san" ]; then echo "subjectAltName=$san"; fi
  } >"$extensions"
  openssl req -new -key "$pki/$name.key" -subj "$subject" |
    openssl x509 -req -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial -days 365 \
      -extfile "$extensions" -out "$pki/$name.crt" 2>/dev/null
  rm "$extensions"
}

# kubeconfig <file> <client cert name>
kubeconfig() {
  local file="$1" user="$2"
  [ -f "$file" ] && return
  local config=("$kubernetes_bin/kubectl" config --kubeconfig "$file.tmp")
  "${config[@]}" set-cluster shop --server "https://127.0.0.1:$apiserver_port" \
    --certificate-authority "$pki/ca.crt" --embed-certs >/dev/null
  "${config[@]}" set-credentials "$user" --client-certificate "$pki/$user.crt" \
    --client-key "$pki/$user.key" --embed-certs >/dev/null
  "${config[@]}" set-context shop --cluster shop --user "$user" >/dev/null
  "${config[@]}" use-context shop >/dev/null
  chmod 600 "$file.tmp"
  mv "$file.tmp" "$file"
}

certificates() {
  mkdir -p "$pki"
  chmod 700 "$pki"
  # etcd trusts its own CA only, so a client certificate of the cluster CA (the admin's) cannot
  # read etcd directly, as with kubeadm.
  new_ca etcd-ca "/CN=shop-etcd-ca"
  new_cert etcd etcd-ca "/CN=shop-etcd" serverAuth,clientAuth "IP:127.0.0.1,DNS:localhost"
  new_cert apiserver-etcd-client etcd-ca "/CN=kube-apiserver-etcd-client" clientAuth

  new_ca ca "/CN=shop-kubernetes-ca"
  # The names the in-cluster clients use too (kubernetes.default.svc…, the Service's first IP).
  local service_ip
  service_ip="$(first_service_ip)"
  new_cert apiserver ca "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,IP:$service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # The identity the API server presents to kubelets (logs, exec, port-forward); the
  # system:masters group is what kubeadm gave it before 1.29.
  new_cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  # The built-in RBAC roles are bound to these user names.
  new_cert kube-controller-manager ca "/CN=system:kube-controller-manager" clientAuth
  new_cert kube-scheduler ca "/CN=system:kube-scheduler" clientAuth
  new_cert admin ca "/O=system:masters/CN=shop-admin" clientAuth

  # The aggregation layer (metrics-server for the HorizontalPodAutoscalers, later): the API server
  # proxies to extension API servers as front-proxy-client, and the controller manager and the
  # scheduler read this CA back to authenticate requests it forwards.
  new_ca front-proxy-ca "/CN=shop-front-proxy-ca"
  new_cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth

  # Service account tokens: the API server verifies with the public key, the controller manager
  # and the API server (TokenRequest) sign with the private one.
  if [ ! -f "$pki/sa.key" ]; then
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null)
    openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
  fi

  kubeconfig "$cluster_data/kube-controller-manager.kubeconfig" kube-controller-manager
  kubeconfig "$cluster_data/kube-scheduler.kubeconfig" kube-scheduler
  kubeconfig "$admin_kubeconfig" admin
}

# The first address of the service range is the "kubernetes" Service's ClusterIP.
first_service_ip() {
  local network="${service_cidr%/*}"
  echo "${network%.*}.$((${network##*.} + 1))"
}

# --- processes --------------------------------------------------------------------------------

pidfile() { echo "$cluster_data/$1.pid"; }

# The pid of a component started by this script and still running; a pid file left by a crash,
# or whose number now belongs to another program, does not count.
running_pid() {
  local file pid
  file="$(pidfile "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  local exe
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  # A binary rebuilt while it runs shows as "<path> (deleted)": still ours to stop.
  [ "${exe% (deleted)}" = "$kubernetes_bin/$1" ] || return 1
  echo "$pid"
}

port_free() {
  ! ss -Htln "sport = :$1" | grep -q .
}

command_of() {
  local data="$cluster_data"
  case "$1" in
    etcd)
      echo --name=shop --data-dir="$data/etcd" \
        --listen-client-urls="https://127.0.0.1:$etcd_client_port" \
        --advertise-client-urls="https://127.0.0.1:$etcd_client_port" \
        --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
        --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
        --initial-cluster="shop=http://127.0.0.1:$etcd_peer_port" \
        --listen-metrics-urls="http://127.0.0.1:$etcd_metrics_port" \
        --cert-file="$pki/etcd.crt" --key-file="$pki/etcd.key" \
        --client-cert-auth --trusted-ca-file="$pki/etcd-ca.crt"
      ;;
    kube-apiserver)
      # Endpoints may not hold a loopback address, so while the API server advertises 127.0.0.1
      # nothing maintains the "kubernetes" Service's endpoints (the Service itself is still
      # created); pods need a non-loopback address anyway (NOTES.md, "reachable from pods").
      echo --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$apiserver_port" \
        --etcd-servers="https://127.0.0.1:$etcd_client_port" \
        --etcd-cafile="$pki/etcd-ca.crt" --etcd-certfile="$pki/apiserver-etcd-client.crt" \
        --etcd-keyfile="$pki/apiserver-etcd-client.key" \
        --client-ca-file="$pki/ca.crt" \
        --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
        --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
        --kubelet-preferred-address-types=InternalIP,Hostname \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$pki/sa.pub" \
        --service-account-signing-key-file="$pki/sa.key" \
        --service-cluster-ip-range="$service_cidr" \
        --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
        --requestheader-allowed-names=front-proxy-client \
        --requestheader-username-headers=X-Remote-User \
        --requestheader-group-headers=X-Remote-Group \
        --requestheader-extra-headers-prefix=X-Remote-Extra- \
        --proxy-client-cert-file="$pki/front-proxy-client.crt" \
        --proxy-client-key-file="$pki/front-proxy-client.key" \
        --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
        --endpoint-reconciler-type=none \
        --allow-privileged=true --profiling=false
      ;;
    kube-controller-manager)
      echo --bind-address=127.0.0.1 --secure-port="$controller_manager_port" \
        --kubeconfig="$data/kube-controller-manager.kubeconfig" \
        --authentication-kubeconfig="$data/kube-controller-manager.kubeconfig" \
        --authorization-kubeconfig="$data/kube-controller-manager.kubeconfig" \
        --client-ca-file="$pki/ca.crt" --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
        --root-ca-file="$pki/ca.crt" \
        --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
        --service-account-private-key-file="$pki/sa.key" --use-service-account-credentials=true \
        --allocate-node-cidrs=true --cluster-cidr="$pod_cidr" \
        --service-cluster-ip-range="$service_cidr" \
        --leader-elect=false --profiling=false
      ;;
    kube-scheduler)
      echo --bind-address=127.0.0.1 --secure-port="$scheduler_port" \
        --kubeconfig="$data/kube-scheduler.kubeconfig" \
        --authentication-kubeconfig="$data/kube-scheduler.kubeconfig" \
        --authorization-kubeconfig="$data/kube-scheduler.kubeconfig" \
        --leader-elect=false --profiling=false
      ;;
  esac
}

ports_of() {
  case "$1" in
    etcd) echo "$etcd_client_port $etcd_peer_port $etcd_metrics_port" ;;
    kube-apiserver) echo "$apiserver_port" ;;
    kube-controller-manager) echo "$controller_manager_port" ;;
    kube-scheduler) echo "$scheduler_port" ;;
  esac
}

# Exit 0 once the component answers its health check.
healthy() {
  case "$1" in
    etcd) curl -fsS --max-time 2 "http://127.0.0.1:$etcd_metrics_port/health" >/dev/null 2>&1 ;;
    kube-apiserver) "${kubectl[@]}" get --raw /readyz >/dev/null 2>&1 ;;
    # Their serving certificates are self-signed at start; /healthz needs no credentials.
    kube-controller-manager) curl -kfsS --max-time 2 "https://127.0.0.1:$controller_manager_port/healthz" >/dev/null 2>&1 ;;
    kube-scheduler) curl -kfsS --max-time 2 "https://127.0.0.1:$scheduler_port/healthz" >/dev/null 2>&1 ;;
  esac
}

start() {
  local name="$1" pid
  if pid="$(running_pid "$name")"; then
    echo "$name: already running (pid $pid)"
  else
    local port
    for port in $(ports_of "$name"); do
      if ! port_free "$port"; then
        echo "$name: port 127.0.0.1:$port is taken by another program" >&2
        ss -Htlnp "sport = :$port" >&2 || true
        exit 1
      fi
    done
    local args
    read -r -a args <<<"$(command_of "$name")"
    # setsid: its own session, so neither the terminal's signals nor this script's exit reach it.
    setsid "$kubernetes_bin/$name" "${args[@]}" >>"$cluster_data/$name.log" 2>&1 </dev/null &
    echo $! >"$(pidfile "$name")"
    echo "$name: started (pid $!, log .data/cluster/$name.log)"
  fi
  local deadline=$((SECONDS + 90))
  until healthy "$name"; do
    if ! running_pid "$name" >/dev/null; then
      echo "$name: exited (\"$0 down\" stops what did start); the end of its log:" >&2
      tail -n 20 "$cluster_data/$name.log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name: not healthy after 90 s (\"$0 down\" stops it); the end of its log:" >&2
      tail -n 20 "$cluster_data/$name.log" >&2
      exit 1
    fi
    sleep 1
  done
}

stop() {
  local name="$1" pid
  if pid="$(running_pid "$name")"; then
    kill -TERM "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name: still running 30 s after SIGTERM, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "$name: stopped (pid $pid)"
  fi
  rm -f "$(pidfile "$name")"
}

up() {
  local binary
  for binary in "${components[@]}" kubectl; do
    [ -x "$kubernetes_bin/$binary" ] || "$(dirname "${BASH_SOURCE[0]}")/build.sh" "$binary"
  done
  mkdir -p "$cluster_data"
  certificates
  local name
  for name in "${components[@]}"; do
    start "$name"
  done
  echo "Control plane up (Kubernetes $kubernetes_version, etcd $etcd_version):"
  echo "  export KUBECONFIG=$admin_kubeconfig"
  echo "  export PATH=$kubernetes_bin:\$PATH"
}

down() {
  local index
  for ((index = ${#components[@]} - 1; index >= 0; index--)); do
    stop "${components[index]}"
  done
}

status() {
  local name pid state=0
  for name in "${components[@]}"; do
    if pid="$(running_pid "$name")"; then
      if healthy "$name"; then
        echo "$name: running (pid $pid), healthy"
      else
        echo "$name: running (pid $pid), NOT healthy"
        state=1
      fi
    else
      echo "$name: not running"
      state=1
    fi
  done
  return "$state"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
