#!/usr/bin/env bash
# Makes sure the local Docker engine has every third-party image of images.env: one already there
# is kept, else it is pulled, and where the pull fails a stand-in is built from offline/<name>/ on
# the Debian base of offline/debian/build.sh, tagged with the official name (so docker-compose.yml
# and the service Dockerfiles use it unchanged) and labelled shop.offline-stand-in=true.
#   infra/deploy/prepare-images.sh                  node, postgres, redis, kafka, mailpit
#   infra/deploy/prepare-images.sh postgres redis
#   PULL_TIMEOUT=0 infra/deploy/prepare-images.sh   build stand-ins without trying to pull
# A stand-in folder holds a Dockerfile and may hold an executable fetch.sh CONTEXT_DIR that
# downloads on the host what the build needs into the build context (caching it under
# .cache/offline-images) and may append NAME=value lines to CONTEXT_DIR/build-args. Each is passed
# to docker build as --build-arg, and so is every images.env variable the Dockerfile declares.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require docker "https://docs.docker.com/engine/install/"
all_names=(node postgres redis kafka mailpit)
pull_timeout="${PULL_TIMEOUT:-60}"
cache="$repo_root/.cache/offline-images"
mkdir -p "$cache/logs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "prepare-images: $*" >&2
  exit 1
}

image_of() {
  local variable="${1^^}_IMAGE"
  [ -n "${!variable:-}" ] || fail "images.env has no $variable"
  echo "${!variable}"
}

size_of() {
  local bytes
  bytes=$(docker image inspect --format '{{.Size}}' "$1")
  echo "$((bytes / 1000000)) MB"
}

base_ready=false
ensure_base() {
  if [ "$base_ready" = false ]; then
    "$deploy_dir/offline/debian/build.sh" || fail "the Debian base image could not be made"
    base_ready=true
  fi
}

build_stand_in() {
  local name="$1" image="$2" source_dir="$deploy_dir/offline/$1" context="$work/$1"
  local log="$cache/logs/$1.log" args=() line variable
  [ -f "$source_dir/Dockerfile" ] || fail "no stand-in for $image: $source_dir/Dockerfile is missing"
  ensure_base
  cp -R "$source_dir/." "$context"
  if [ -x "$source_dir/fetch.sh" ]; then
    "$source_dir/fetch.sh" "$context" || fail "$source_dir/fetch.sh failed"
  fi
  while IFS= read -r variable; do
    if grep -qE "^ARG +$variable(=| *$)" "$context/Dockerfile"; then
      args+=(--build-arg "$variable=${!variable}")
    fi
  done < <(grep -oE '^[A-Z_]+_IMAGE=' "$deploy_dir/images.env" | tr -d =)
  if [ -f "$context/build-args" ]; then
    while IFS= read -r line; do
      [ -n "$line" ] && args+=(--build-arg "$line")
    done <"$context/build-args"
  fi
  echo "$image: building the stand-in (log: ${log#"$repo_root"/})"
  docker build --tag "$image" --label shop.offline-stand-in=true "${args[@]}" "$context" >"$log" 2>&1 || {
    tail -n 30 "$log" >&2
    fail "building the stand-in $image failed (log: $log)"
  }
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=("${all_names[@]}")
fi
for name in "${names[@]}"; do
  case " ${all_names[*]} " in
    *" $name "*) ;;
    *) fail "unknown image $name: one of ${all_names[*]}" ;;
  esac
done

for name in "${names[@]}"; do
  image=$(image_of "$name")
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "$image: present ($(size_of "$image"))"
    continue
  fi
  started=$SECONDS
  if [ "$pull_timeout" != 0 ]; then
    status=0
    timeout "$pull_timeout" docker pull --quiet "$image" >"$cache/logs/$name.pull.log" 2>&1 || status=$?
    if [ "$status" = 0 ]; then
      echo "$image: pulled in $((SECONDS - started)) s ($(size_of "$image"))"
      continue
    fi
    # The daemon's reason names the registry it tried; it stays in the log, not in the output.
    echo "$image: not pulled (exit $status; the daemon's reason: $cache/logs/$name.pull.log)"
    if [ "$status" = 124 ]; then
      echo "prepare-images: no registry answered within ${pull_timeout} s: not pulling the others"
      pull_timeout=0
    fi
  fi
  build_stand_in "$name" "$image"
  echo "$image: stand-in built in $((SECONDS - started)) s ($(size_of "$image"))"
done
