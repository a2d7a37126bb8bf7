#!/bin/sh
# The official image's entrypoint (https://github.com/nodejs/docker-node, docker-entrypoint.sh):
# a first argument that is a flag, not a command, or a non-executable file is run by node.
set -e

# The last test inside {} works around a dash bug: https://bugs.debian.org/874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
