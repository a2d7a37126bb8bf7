#!/usr/bin/env bash
# A Docker engine and the Docker Compose v2 CLI plugin, for the compose path on a machine that
# may have neither (no systemd, so nothing starts dockerd for us).
#   infra/deploy/docker-engine.sh up       engine answering and `docker compose` present; idempotent
#   infra/deploy/docker-engine.sh down     stops dockerd (and its containerd) only if `up` started it
#   infra/deploy/docker-engine.sh status
# An engine that already answers is used as it is and never stopped. Otherwise, as root on Debian,
# `up` installs Debian's Docker package when dockerd is missing and starts dockerd in its own session, with its
# pidfile and log in .data/docker/. Compose is built once per machine from its Go module into
# ~/.cache/shop/docker-compose/<version>/ (SHOP_MACHINE_CACHE, as the cluster's binaries) and linked
# into the Docker CLI's plugin folder, so a fresh clone (CI) reuses it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The newest Compose v2 release verified against Debian 12's Docker package (20.10, API 1.41):
# up --wait with healthchecks, depends_on service_healthy/service_completed_successfully, named
# volumes and builds. Its go.mod has exclude directives, so `go install mod@version` refuses it;
# it is built inside its own module instead, with the ldflags of its Makefile.
compose_version=v2.40.3
compose_module=github.com/docker/compose/v2
machine_cache="${SHOP_MACHINE_CACHE:-${XDG_CACHE_HOME:-${HOME:?}/.cache}/shop}"
compose_cache="$machine_cache/docker-compose/$compose_version"
compose_binary="$compose_cache/docker-compose"
plugin_dir="${DOCKER_CONFIG:-${HOME:?}/.docker}/cli-plugins"

# Debian's package of the engine (with containerd and runc as its dependencies), as an apt pattern:
# the package is named after a host name, which this repository never spells out.
engine_package='?name(^docker[.]io$)'

state_dir="$repo_root/.data/docker"
pidfile="$state_dir/dockerd.pid"
log_file="$state_dir/dockerd.log"
start_timeout=60
stop_timeout=60

say() { echo "docker-engine: $*"; }
fail() {
  echo "docker-engine: $*" >&2
  exit 1
}

engine_answers() { timeout 20 docker info >/dev/null 2>&1; }

# The pid of the dockerd this script started, if it is still that process: the pid alone could
# have been reused, so its command line must name our pidfile.
our_dockerd() {
  [ -s "$pidfile" ] || return 1
  local pid
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--pidfile $pidfile" || return 1
  echo "$pid"
}

# "pid ppid session starttime" for every process. The command (field 2 of /proc/PID/stat) may hold
# spaces, so the fields are split after its closing parenthesis: state ppid pgrp session ...
process_table() {
  local stat_file stat pid fields
  for stat_file in /proc/[0-9]*/stat; do
    stat="$(cat "$stat_file" 2>/dev/null)" || continue
    pid="${stat_file#/proc/}"
    read -r -a fields <<<"${stat##*) }"
    # A process that exits while being read leaves an empty stat.
    [ "${#fields[@]}" -gt 19 ] || continue
    echo "${pid%/stat} ${fields[1]} ${fields[3]} ${fields[19]}"
  done
}

# The sessions dockerd's processes live in: its own (setsid) and the one its containerd makes,
# which also holds the containerd shims.
engine_sessions() {
  echo "$1"
  process_table | awk -v dockerd="$1" '$2 == dockerd { print $3 }' | sort -u
}

# "pid starttime" of what runs in those sessions, with every descendant (container processes
# are children of the shims but lead sessions of their own).
engine_processes() {
  process_table | awk -v sessions="$*" '
    BEGIN { split(sessions, list, " "); for (i in list) wanted[list[i]] = 1 }
    { parent[$1] = $2; started[$1] = $4; if ($3 in wanted) keep[$1] = 1 }
    END {
      do {
        grew = 0
        for (pid in parent) if (!(pid in keep) && (parent[pid] in keep)) { keep[pid] = 1; grew = 1 }
      } while (grew)
      for (pid in keep) print pid, started[pid]
    }'
}

start_time_of() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[19]:-}"
}

# The pids of those "pid starttime" lines that are still the same processes.
still_running() {
  local pid started
  while read -r pid started; do
    if [ "$(start_time_of "$pid")" = "$started" ]; then
      echo "$pid"
    fi
  done
}

wait_until_gone() {
  local pid="$1" seconds="$2"
  while [ "$seconds" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 1
    seconds=$((seconds - 1))
  done
  ! kill -0 "$pid" 2>/dev/null
}

install_engine() {
  if [ "$(id -u)" -ne 0 ] || [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null; then
    fail "no Docker engine answers and dockerd is not installed; install Docker Engine" \
      "(on Debian/Ubuntu: apt-get install '$engine_package') and start it, or run this script as root on Debian"
  fi
  say "dockerd is not installed: installing Debian's Docker package (apt-get)"
  local apt_log="$state_dir/apt.log"
  # The package's own service start is refused without systemd (or by policy-rc.d); we start it.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$engine_package" >"$apt_log" 2>&1; then
    say "apt-get install failed; updating the package lists and trying again"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$apt_log" 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$engine_package" >>"$apt_log" 2>&1; then
      tail -n 20 "$apt_log" >&2
      fail "could not install Debian's Docker package (full log: $apt_log)"
    fi
  fi
}

start_engine() {
  if [ "$(id -u)" -ne 0 ]; then
    fail "no Docker engine answers; start dockerd (it needs root) or ask for access to its socket"
  fi
  local pid
  if pid="$(our_dockerd)"; then
    say "dockerd (pid $pid, started by this script) is running but not answering yet; waiting"
  else
    say "starting dockerd in the background (log: $log_file)"
    # In its own session, so that `down` can find the containerd and shims it leaves behind. With
    # --wait, $! stays alive as long as dockerd even when setsid has to fork.
    setsid --wait dockerd --pidfile "$pidfile" </dev/null >"$log_file" 2>&1 &
    pid=$!
  fi
  local waited=0
  until engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log_file" >&2 || true
      fail "dockerd exited before answering (log above, full log: $log_file)"
    fi
    if [ "$waited" -ge "$start_timeout" ]; then
      tail -n 30 "$log_file" >&2 || true
      fail "dockerd did not answer within ${start_timeout}s (log above, full log: $log_file)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

ensure_engine() {
  if engine_answers; then
    return
  fi
  if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != unix:///var/run/docker.sock ]; then
    fail "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
  fi
  mkdir -p "$state_dir"
  if ! command -v dockerd >/dev/null; then
    install_engine
    # In case the package started it after all.
    if engine_answers; then
      return
    fi
  fi
  if ! command -v docker >/dev/null; then
    fail "the docker CLI is missing; install it (on Debian: apt-get install '$engine_package')"
  fi
  start_engine
}

build_compose() {
  command -v go >/dev/null ||
    fail "Docker Compose is missing and Go is needed to build it; install Go 1.24 or newer"
  say "building Docker Compose $compose_version from its Go module (once, a few minutes when cold)"
  mkdir -p "$compose_cache"
  local build_log="$compose_cache/build.log" module_dir go_caches
  # Go's caches for this build only: the binary is all that is kept.
  go_caches="$(mktemp -d)"
  module_dir="$go_caches/mod/$compose_module@$compose_version"
  local started=$SECONDS
  if ! (
    export GOCACHE="$go_caches/build" GOMODCACHE="$go_caches/mod" GOFLAGS=-modcacherw &&
      cd "$compose_cache" &&
      go mod download "$compose_module@$compose_version" &&
      cd "$module_dir" &&
      go build -trimpath \
        -ldflags "-s -w -X $compose_module/internal.Version=$compose_version" \
        -o "$compose_binary.tmp.$$" ./cmd
  ) >"$build_log" 2>&1; then
    rm -rf "$compose_binary.tmp.$$" "$go_caches"
    tail -n 20 "$build_log" >&2
    fail "building Docker Compose failed (full log: $build_log)"
  fi
  rm -rf "$go_caches"
  mv -f "$compose_binary.tmp.$$" "$compose_binary"
  say "built Docker Compose in $((SECONDS - started))s: $compose_binary"
}

ensure_compose() {
  if docker compose version >/dev/null 2>&1; then
    return
  fi
  [ -x "$compose_binary" ] || build_compose
  mkdir -p "$plugin_dir"
  ln -sfn "$compose_binary" "$plugin_dir/docker-compose"
  docker compose version >/dev/null 2>&1 ||
    fail "docker compose does not run from $plugin_dir/docker-compose -> $compose_binary"
  say "installed the Docker Compose plugin: $plugin_dir/docker-compose -> $compose_binary"
}

engine_version() {
  docker version --format 'Docker Engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null
}

up() {
  ensure_engine
  ensure_compose
  say "$(engine_version), $(docker compose version)"
}

down() {
  local pid
  if ! pid="$(our_dockerd)"; then
    if [ -s "$pidfile" ]; then
      say "the dockerd this script started (pid $(<"$pidfile")) is gone; see $log_file"
      rm -f "$pidfile"
    else
      say "no dockerd started by this script is running; nothing to stop"
    fi
    return
  fi
  say "stopping dockerd (pid $pid), its containers and its containerd"
  local sessions
  sessions="$(engine_sessions "$pid")"
  kill -TERM "$pid"
  # dockerd stops its containers (each within its stop timeout) and then its containerd.
  if ! wait_until_gone "$pid" "$stop_timeout"; then
    say "dockerd did not stop within ${stop_timeout}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until_gone "$pid" 5 || true
  fi
  local leftovers pids
  # shellcheck disable=SC2086 # one session a word
  leftovers="$(engine_processes $sessions)"
  pids="$(still_running <<<"$leftovers")"
  if [ -n "$pids" ]; then
    say "stopping what dockerd left behind: pids $(tr '\n' ' ' <<<"$pids")"
    # shellcheck disable=SC2086 # one pid a word
    kill -TERM $pids 2>/dev/null || true
    sleep 5
    # Orphaned container processes no longer descend from a shim, hence the list from before.
    pids="$(still_running <<<"$leftovers")"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "stopped"
}

status() {
  local healthy=0 pid
  if engine_answers; then
    if pid="$(our_dockerd)"; then
      say "engine: $(engine_version), started by this script (pid $pid, log: $log_file)"
    else
      say "engine: $(engine_version), not started by this script"
    fi
  else
    say "engine: not answering"
    healthy=1
  fi
  if docker compose version >/dev/null 2>&1; then
    say "compose: $(docker compose version)"
  else
    say "compose: not installed (\`$0 up\` builds $compose_version)"
    healthy=1
  fi
  return "$healthy"
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
