#!/usr/bin/env bash
# A single-node Kubernetes on this machine, from the binaries build.sh makes: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, a containerd of its own (Debian's, CRI
# on), the kubelet and kube-proxy as background processes, CoreDNS and a local-path volume
# provisioner as pods. No container for the node, no kind: kind's node container needs
# --privileged, which this VM refuses. NOTES.md says why each piece is the way it is.
#
#   infra/deploy/cluster/cluster.sh up       certificates once, start what is not running, wait
#                                            until the node is Ready and DNS and storage serve
#   infra/deploy/cluster/cluster.sh status   each process and its health
#   infra/deploy/cluster/cluster.sh images shop/order:kind …
#                                            copy images from Docker into the node's containerd
#   infra/deploy/cluster/cluster.sh down     stop everything up started and remove what it made
#                                            on the machine: pods, mounts, iptables chains, the
#                                            bridge (the data is kept; "down --purge" removes it)
#
# The node's address is the gateway of its pod network, on a bridge this script creates (shop0,
# 10.244.0.1): the API server listens there, so pods reach it, and nothing listens on the
# machine's own interfaces. Everything lives under .data/cluster/: pki/, etcd/, containerd/,
# kubelet/, <component>.pid and <component>.log, and admin.kubeconfig
# (KUBECONFIG=.data/cluster/admin.kubeconfig kubectl …).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# High ports, away from the ones the native and the Compose systems use.
etcd_client_port="${ETCD_CLIENT_PORT:-12379}"
etcd_peer_port="${ETCD_PEER_PORT:-12380}"
etcd_metrics_port="${ETCD_METRICS_PORT:-12381}"
apiserver_port="${APISERVER_PORT:-16443}"
controller_manager_port="${CONTROLLER_MANAGER_PORT:-10257}"
scheduler_port="${SCHEDULER_PORT:-10259}"
kubelet_port=10250
kubelet_healthz_port=10248
kube_proxy_healthz_port=10256
kube_proxy_metrics_port=10249
# kind's ranges; neither overlaps Docker's 172.17.0.0/16 nor this machine's routes.
service_cidr="${SERVICE_CIDR:-10.96.0.0/16}"
pod_cidr="${POD_CIDR:-10.244.0.0/16}"
# The node's share of pod_cidr (the controller manager gives the first node the first /24) and
# the bridge its pods hang on; the bridge's address is the node's address.
node_pod_cidr="10.244.0.0/24"
bridge=shop0
node_ip=10.244.0.1
node_name=shop-node
cluster_dns=10.96.0.10
cgroup_root=shop-kubelet

components=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)
pki="$cluster_data/pki"
admin_kubeconfig="$cluster_data/admin.kubeconfig"
kubectl=("$kubernetes_bin/kubectl" --kubeconfig "$admin_kubeconfig")
containerd_dir="$cluster_data/containerd"
containerd_state=/run/shop-containerd
containerd_socket="$containerd_state/containerd.sock"
ctr=(ctr --address "$containerd_socket" --namespace k8s.io)
kubelet_dir="$cluster_data/kubelet"
cni_conf_dir="$cluster_data/cni/net.d"
local_path_root="$cluster_data/local-path"
addons_dir="$(dirname "${BASH_SOURCE[0]}")/addons"

say() { echo "cluster: $*"; }
fail() {
  echo "cluster: $*" >&2
  exit 1
}

# ensure_package <command or file> <Debian package>: installs the package when what it provides
# is missing (as root on Debian; the package lists are refreshed once if the first try fails).
ensure_package() {
  local provides="$1" package="$2"
  if [[ "$provides" == /* ]]; then [ -e "$provides" ] && return; else command -v "$provides" >/dev/null && return; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    fail "$provides is missing: install Debian's $package"
  fi
  say "installing Debian's $package (for $provides)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$package" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq "$package" >/dev/null; } ||
    fail "apt-get could not install $package"
}

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
  "${config[@]}" set-cluster shop --server "https://$node_ip:$apiserver_port" \
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
    "IP:$node_ip,IP:$service_ip,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # The identity the API server presents to kubelets (logs, exec, port-forward); the
  # system:masters group is what kubeadm gave it before 1.29.
  new_cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  # The built-in RBAC roles and the Node authorizer are bound to these user names.
  new_cert kube-controller-manager ca "/CN=system:kube-controller-manager" clientAuth
  new_cert kube-scheduler ca "/CN=system:kube-scheduler" clientAuth
  new_cert kubelet ca "/O=system:nodes/CN=system:node:$node_name" clientAuth
  new_cert kubelet-serving ca "/CN=$node_name" serverAuth "IP:$node_ip,DNS:$node_name"
  new_cert kube-proxy ca "/CN=system:kube-proxy" clientAuth
  new_cert admin ca "/O=system:masters/CN=shop-admin" clientAuth

  # The aggregation layer (metrics-server for the HorizontalPodAutoscalers): the API server
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

  local user
  for user in kube-controller-manager kube-scheduler kubelet kube-proxy; do
    kubeconfig "$cluster_data/$user.kubeconfig" "$user"
  done
  kubeconfig "$admin_kubeconfig" admin
}

# The first address of the service range is the "kubernetes" Service's ClusterIP.
first_service_ip() {
  local network="${service_cidr%/*}"
  echo "${network%.*}.$((${network##*.} + 1))"
}

# --- the node's network and configuration -----------------------------------------------------

# The bridge exists before the API server starts, since it listens on the bridge's address. The
# CNI bridge plugin then finds it with its gateway address already set and attaches pods to it.
ensure_bridge() {
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
  fi
  if ! ip -4 addr show dev "$bridge" | grep -q "inet $node_ip/"; then
    ip addr add "$node_ip/${node_pod_cidr#*/}" dev "$bridge"
  fi
  ip link set "$bridge" up
  # Service addresses are routed to the bridge too: kube-proxy rewrites a connection to one into a
  # connection to a pod, and one made before it has (the API server's first call to a new
  # Service) must end here, not leave by the machine's default route.
  ip route replace "$service_cidr" dev "$bridge" src "$node_ip"
}

# The kubelet's cgroupRoot, made in every cgroup v1 hierarchy (the mounts themselves are left as
# they are); a new cpuset starts empty and must be given its parent's CPUs and memory nodes.
cgroup_hierarchies() {
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -f "$hierarchy/cgroup.procs" ] && [ "$(basename "$hierarchy")" != unified ] && echo "${hierarchy%/}"
  done
  return 0
}

ensure_cgroup_root() {
  local hierarchy
  for hierarchy in $(cgroup_hierarchies); do
    [ -d "$hierarchy/$cgroup_root" ] && continue
    mkdir "$hierarchy/$cgroup_root"
    if [ -f "$hierarchy/cpuset.cpus" ]; then
      cat "$hierarchy/cpuset.cpus" >"$hierarchy/$cgroup_root/cpuset.cpus"
      cat "$hierarchy/cpuset.mems" >"$hierarchy/$cgroup_root/cpuset.mems"
    fi
  done
}

# Deepest first; a cgroup still holding a process is left and named.
remove_cgroup_root() {
  local hierarchy group
  for hierarchy in $(cgroup_hierarchies); do
    [ -d "$hierarchy/$cgroup_root" ] || continue
    while IFS= read -r group; do
      rmdir "$group" 2>/dev/null || say "cgroup $group still has processes" >&2
    done < <(find "$hierarchy/$cgroup_root" -depth -type d)
  done
}

# Standard input into the file, unless it holds exactly that already: kube-proxy exits when its
# configuration file is written to, even with the same content.
write_if_changed() {
  local content
  content="$(cat)"
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$content" ]; then
    printf '%s\n' "$content" >"$1"
  fi
}

node_configuration() {
  mkdir -p "$containerd_dir" "$kubelet_dir/root" "$cni_conf_dir" "$local_path_root"
  # Debian's containerd 1.6 (config version 2), apart from Docker's: its own socket, root and
  # state. restrict_oom_score_adj: this VM refuses to lower a process's oom_score_adj, which the
  # CRI plugin would do for Guaranteed pods. Images are imported (nothing can be pulled).
  write_if_changed "$containerd_dir/config.toml" <<TOML
version = 2
root = "$containerd_dir/root"
state = "$containerd_state"
[grpc]
  address = "$containerd_socket"
[ttrpc]
  address = "$containerd_state/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "shop/pause:$pause_version"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$cni_conf_dir"
TOML

  # Debian's CNI plugins: pods on the shop0 bridge with addresses of the node's pod range;
  # "firewall" adds the ACCEPT rules pod traffic needs under Docker's FORWARD policy of DROP.
  write_if_changed "$cni_conf_dir/10-shop.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "shop",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$node_pod_cidr", "gateway": "$node_ip" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$cluster_data/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } },
    { "type": "firewall" }
  ]
}
JSON

  write_if_changed "$kubelet_dir/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$containerd_socket
# containerd 1.6 cannot tell the kubelet its cgroup driver; there is no systemd here.
cgroupDriver: cgroupfs
failCgroupV1: false
# One subtree of its own, apart from Docker's.
cgroupRoot: /$cgroup_root
# -999 would fail on this VM (see restrict_oom_score_adj).
oomScoreAdj: 0
failSwapOn: false
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $pki/ca.crt }
authorization: { mode: Webhook }
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
clusterDNS: [$cluster_dns]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# As kind does: a development node is never evicted for disk, and images are never garbage
# collected (they cannot be pulled back).
evictionHard: { nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%" }
imageGCHighThresholdPercent: 100
YAML

  write_if_changed "$cluster_data/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $cluster_data/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $pod_cidr
hostnameOverride: $node_name
bindAddress: 127.0.0.1
metricsBindAddress: 127.0.0.1:$kube_proxy_metrics_port
healthzBindAddress: 127.0.0.1:$kube_proxy_healthz_port
# Leave the machine's conntrack table size alone (as kind does).
conntrack: { maxPerCore: 0 }
# NodePorts on the node's address only, never on the machine's own interfaces; no
# route_localnet, so none on 127.0.0.1 either.
nodePortAddresses: [$node_ip/32]
iptables: { localhostNodePorts: false }
YAML
}

# --- processes --------------------------------------------------------------------------------

binary_of() {
  if [ "$1" = containerd ]; then
    command -v containerd
  else
    echo "$kubernetes_bin/$1"
  fi
}

pidfile() { echo "$cluster_data/$1.pid"; }

# The pid of a component started by this script and still running; a pid file left by a crash,
# or whose number now belongs to another program, does not count.
# Whether a process exists and has not exited (a zombie has).
alive() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [ -n "$state" ] && [ "$state" != Z ]
}

running_pid() {
  local file pid
  file="$(pidfile "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  local exe
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  # A binary rebuilt while it runs shows as "<path> (deleted)": still ours to stop.
  [ "${exe% (deleted)}" = "$(readlink -f "$(binary_of "$1")")" ] || return 1
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
      # On the node's bridge address: reachable from pods (the "kubernetes" Service's endpoint)
      # and from this machine, from nowhere else.
      echo --bind-address="$node_ip" --advertise-address="$node_ip" --secure-port="$apiserver_port" \
        --etcd-servers="https://127.0.0.1:$etcd_client_port" \
        --etcd-cafile="$pki/etcd-ca.crt" --etcd-certfile="$pki/apiserver-etcd-client.crt" \
        --etcd-keyfile="$pki/apiserver-etcd-client.key" \
        --client-ca-file="$pki/ca.crt" \
        --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
        --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
        --kubelet-certificate-authority="$pki/ca.crt" \
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
        --enable-aggregator-routing=true \
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
    containerd)
      echo --config="$containerd_dir/config.toml"
      ;;
    kubelet)
      echo --config="$kubelet_dir/config.yaml" --kubeconfig="$data/kubelet.kubeconfig" \
        --hostname-override="$node_name" --node-ip="$node_ip" --root-dir="$kubelet_dir/root"
      ;;
    kube-proxy)
      echo --config="$data/kube-proxy.yaml"
      ;;
  esac
}

ports_of() {
  case "$1" in
    etcd) echo "$etcd_client_port $etcd_peer_port $etcd_metrics_port" ;;
    kube-apiserver) echo "$apiserver_port" ;;
    kube-controller-manager) echo "$controller_manager_port" ;;
    kube-scheduler) echo "$scheduler_port" ;;
    kubelet) echo "$kubelet_port $kubelet_healthz_port" ;;
    kube-proxy) echo "$kube_proxy_healthz_port $kube_proxy_metrics_port" ;;
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
    containerd) "${ctr[@]}" version >/dev/null 2>&1 ;;
    kubelet) curl -fsS --max-time 2 "http://127.0.0.1:$kubelet_healthz_port/healthz" >/dev/null 2>&1 ;;
    kube-proxy) curl -fsS --max-time 2 "http://127.0.0.1:$kube_proxy_healthz_port/healthz" >/dev/null 2>&1 ;;
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
        echo "$name: port $port is taken by another program" >&2
        ss -Htlnp "sport = :$port" >&2 || true
        exit 1
      fi
    done
    local args
    read -r -a args <<<"$(command_of "$name")"
    # setsid: its own session, so neither the terminal's signals nor this script's exit reach it.
    # 9>&-: the lock of serialize() is not handed down to the daemons.
    setsid "$(binary_of "$name")" "${args[@]}" >>"$cluster_data/$name.log" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$(pidfile "$name")"
    echo "$name: started (pid $pid, log .data/cluster/$name.log)"
  fi
  local deadline=$((SECONDS + 90))
  until healthy "$name"; do
    # Alive, not running_pid: on a busy machine setsid may not have exec'd the binary yet, and
    # until it has, /proc/<pid>/exe names setsid (a fresh-clone CI run once stopped here with an
    # empty log).
    if ! alive "$pid"; then
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

# --- images -----------------------------------------------------------------------------------

# The cluster's own images (the sandbox, CoreDNS, the volume provisioner and its helper), each a
# single static binary in a FROM-scratch image, built in the local Docker engine.
system_image() {
  local image="$1" binary="$2"
  if docker image inspect "$image" >/dev/null 2>&1; then
    return
  fi
  local context
  context="$(mktemp -d)"
  cp "$binary" "$context/"
  local name
  name="$(basename "$binary")"
  if [ "$name" = busybox ]; then
    printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n' >"$context/Dockerfile"
  else
    printf 'FROM scratch\nCOPY %s /%s\nENTRYPOINT ["/%s"]\n' "$name" "$name" "$name" >"$context/Dockerfile"
  fi
  docker build --quiet --tag "$image" "$context" >/dev/null
  rm -rf "$context"
  say "built $image"
}

# How containerd names an image Docker calls postgres:15-bookworm or shop/order:kind.
containerd_name() {
  case "$1" in
    */*/*) echo "$1" ;;
    */*) echo "docker.io/$1" ;;
    *) echo "docker.io/library/$1" ;;
  esac
}

# The images the kind overlay and the add-ons name, from the local Docker engine into the node's
# containerd (the k8s.io namespace is the one the CRI plugin reads). Nothing is pulled.
import_images() {
  local images=("$@") wanted=() image id
  for image in "${images[@]}"; do
    id="$(docker image inspect --format '{{.Id}}' "$image")" || fail "image $image is not in the local Docker engine"
    # An image already imported under the same id is not imported again.
    if [ -z "$("${ctr[@]}" images list --quiet "name==$(containerd_name "$image")" 2>/dev/null)" ] ||
      ! grep -qx "$image $id" "$containerd_dir/imported" 2>/dev/null; then
      wanted+=("$image")
    fi
  done
  [ "${#wanted[@]}" -eq 0 ] && return
  local started=$SECONDS
  docker save "${wanted[@]}" | "${ctr[@]}" images import --no-unpack - >/dev/null
  for image in "${wanted[@]}"; do
    sed -i "\\|^$image |d" "$containerd_dir/imported" 2>/dev/null || true
    echo "$image $(docker image inspect --format '{{.Id}}' "$image")" >>"$containerd_dir/imported"
  done
  say "imported ${#wanted[@]} images into the node in $((SECONDS - started)) s"
}

system_images() {
  require docker "Docker (infra/deploy/docker-engine.sh up)"
  system_image "shop/pause:$pause_version" "$kubernetes_bin/pause"
  system_image "shop/coredns:$coredns_version" "$kubernetes_bin/coredns"
  system_image "shop/local-path-provisioner:$local_path_version" "$kubernetes_bin/local-path-provisioner"
  ensure_package /bin/busybox busybox-static
  system_image shop/busybox:debian12 /bin/busybox
  system_image "shop/metrics-server:$metrics_server_version" "$kubernetes_bin/metrics-server"
  import_images "shop/pause:$pause_version" "shop/coredns:$coredns_version" \
    "shop/local-path-provisioner:$local_path_version" shop/busybox:debian12 \
    "shop/metrics-server:$metrics_server_version"
}

# --- add-ons ----------------------------------------------------------------------------------

addons() {
  "${kubectl[@]}" apply -f "$addons_dir/coredns.yaml" -f "$addons_dir/metrics-server.yaml" >/dev/null
  sed "s|LOCAL_PATH_ROOT|$local_path_root|" "$addons_dir/local-path-storage.yaml" |
    "${kubectl[@]}" apply -f - >/dev/null
  "${kubectl[@]}" -n kube-system rollout status deployment/coredns --timeout=180s >/dev/null
  "${kubectl[@]}" -n local-path-storage rollout status deployment/local-path-provisioner --timeout=180s >/dev/null
  "${kubectl[@]}" -n kube-system rollout status deployment/metrics-server --timeout=180s >/dev/null
  say "CoreDNS at $cluster_dns, the default StorageClass \"standard\" and metrics-server serve"
}

wait_for_node() {
  local deadline=$((SECONDS + 120))
  until "${kubectl[@]}" wait --for=condition=Ready "node/$node_name" --timeout=5s >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "node $node_name not Ready after 120 s (.data/cluster/kubelet.log)"
    sleep 1
  done
}

# --- what down removes from the machine -------------------------------------------------------

# The shims containerd starts run in their own sessions and outlive it: every one that serves
# this cluster's containerd (and only those: Docker's have another address).
stop_shims() {
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $containerd_socket" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# Mounts under the cluster's folders and its containerd state (secrets' tmpfs, overlay root
# filesystems, pod network namespaces), deepest first.
unmount_all() {
  local mount
  while IFS= read -r mount; do
    umount -l "$mount" 2>/dev/null || true
  done < <(awk '{print $2}' /proc/self/mounts | grep -E "^($cluster_data|$containerd_state|/run/netns/cni-)" | sort -r)
  local netns
  for netns in /run/netns/cni-*; do
    [ -e "$netns" ] && rm -f "$netns"
  done
  return 0
}

# The chains Kubernetes' components and the CNI plugins made (KUBE-*, CNI-*), and only those:
# first the rules of other chains that jump to them (by number, last first: a rule's text with its
# quoted comments does not survive the shell), then the chains themselves. Docker's are left as
# they are.
ours='^(KUBE-|CNI-)'
remove_iptables_chains() {
  local command table chain number
  for command in iptables ip6tables; do
    command -v "$command" >/dev/null || continue
    for table in filter nat mangle raw; do
      "$command" -t "$table" -S >/dev/null 2>&1 || continue
      for chain in $("$command" -t "$table" -S | awk '$1 == "-P" || $1 == "-N" {print $2}' | grep -vE "$ours"); do
        for number in $("$command" -t "$table" -S "$chain" | grep '^-A' |
          awk -v pattern="$ours" '{ for (i = 1; i < NF; i++) if ($i == "-j" && $(i + 1) ~ pattern) print NR }' | sort -rn); do
          "$command" -t "$table" -D "$chain" "$number"
        done
      done
      for chain in $("$command" -t "$table" -S | awk '$1 == "-N" {print $2}' | grep -E "$ours"); do
        "$command" -t "$table" -F "$chain"
      done
      for chain in $("$command" -t "$table" -S | awk '$1 == "-N" {print $2}' | grep -E "$ours"); do
        "$command" -t "$table" -X "$chain"
      done
    done
  done
}

remove_node_network() {
  local link
  for link in $(ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$link" 2>/dev/null || true
  done
  if ip link show "$bridge" >/dev/null 2>&1; then
    ip link delete "$bridge"
  fi
  rm -rf "$cluster_data/cni/ipam"
}

# --- commands ---------------------------------------------------------------------------------

up() {
  ensure_package containerd containerd
  ensure_package /usr/lib/cni/bridge containernetworking-plugins
  ensure_package conntrack conntrack
  ensure_package gcc gcc
  local binary missing=()
  for binary in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl \
    coredns local-path-provisioner metrics-server pause; do
    [ -x "$kubernetes_bin/$binary" ] || missing+=("$binary")
  done
  # One build for all of them: they share Go's caches, which live only as long as the build.
  if [ "${#missing[@]}" -gt 0 ]; then
    "$(dirname "${BASH_SOURCE[0]}")/build.sh" "${missing[@]}"
  fi
  mkdir -p "$cluster_data"
  certificates
  ensure_bridge
  ensure_cgroup_root
  node_configuration
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd; do
    start "$name"
  done
  system_images
  for name in kubelet kube-proxy; do
    start "$name"
  done
  wait_for_node
  addons
  echo "Kubernetes $kubernetes_version up, one node ($node_name at $node_ip):"
  echo "  export KUBECONFIG=$admin_kubeconfig"
  echo "  export PATH=$kubernetes_bin:\$PATH"
}

# Every pod goes first, while the kubelet and containerd still run, so that the CNI plugins take
# their network down and the kubelet unmounts their volumes.
drain_pods() {
  healthy kube-apiserver || return 0
  running_pid kubelet >/dev/null || return 0
  local namespace
  for namespace in $("${kubectl[@]}" get namespaces -o name | sed 's|namespace/||'); do
    case "$namespace" in
      default | kube-system | kube-public | kube-node-lease) ;;
      *) "${kubectl[@]}" delete namespace "$namespace" --wait=false >/dev/null 2>&1 || true ;;
    esac
  done
  "${kubectl[@]}" -n kube-system delete deployments,daemonsets --all --wait=false >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 90))
  while [ -n "$("${kubectl[@]}" get pods --all-namespaces -o name 2>/dev/null)" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "pods still there after 90 s; forcing them down" >&2
      break
    fi
    sleep 1
  done
}

down() {
  drain_pods
  local index
  for ((index = ${#components[@]} - 1; index >= 0; index--)); do
    stop "${components[index]}"
  done
  stop_shims
  unmount_all
  remove_iptables_chains
  remove_node_network
  remove_cgroup_root
  if [ "${1:-}" = --purge ]; then
    rm -rf "$cluster_data"
    say "removed .data/cluster"
  fi
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

# One up, down or images at a time: a down still draining when an up starts would delete what
# the up deploys.
serialize() {
  mkdir -p "$(dirname "$cluster_data")"
  exec 9>"$cluster_data.lock"
  flock --wait 600 9 || fail "another cluster.sh held $cluster_data.lock for 10 minutes"
}

case "${1:-}" in
  up | down | images) serialize ;;
esac

case "${1:-}" in
  up) up ;;
  down) down "${2:-}" ;;
  status) status ;;
  images)
    shift
    running_pid containerd >/dev/null || fail "the cluster is not up ($0 up)"
    import_images "$@"
    ;;
  *)
    echo "usage: $0 up|down [--purge]|status|images <image>…" >&2
    exit 2
    ;;
esac
