#!/bin/sh
# The official image's entrypoint (https://github.com/docker-library/redis, docker-entrypoint.sh),
# with setpriv instead of gosu: options or a *.conf file as the first argument are passed to
# redis-server, and redis-server started as root owns /data and runs as redis. Like the official
# one it drops privileges only when the command is redis-server itself, not for `sh -c ...`.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# The files redis writes (the append-only file, dumps) readable by their owner only.
um="$(umask)"
if [ "$um" = '0022' ]; then
  umask 0077
fi

exec "$@"
