#!/usr/bin/env bash
# The entrypoint contract of the official postgres image
# (https://github.com/docker-library/postgres, docker-entrypoint.sh). On an empty PGDATA: initdb
# as the superuser POSTGRES_USER (default postgres) with POSTGRES_PASSWORD (required unless
# POSTGRES_HOST_AUTH_METHOD=trust), then, on a temporary server listening on the socket only,
# create POSTGRES_DB (default: the user's name) and run /docker-entrypoint-initdb.d/*: *.sh
# executed if executable and sourced otherwise, *.sql and *.sql.gz through psql. Then the
# command, postgres by default, listening on every address with POSTGRES_HOST_AUTH_METHOD
# (default scram-sha-256) for connections over the network. Started as root it prepares the
# directories and drops to postgres (setpriv instead of gosu); started as postgres (999) it runs
# as is. VAR_FILE may name a file holding POSTGRES_PASSWORD, _USER, _DB or _INITDB_ARGS.
# Unlike the official image: no POSTGRES_INITDB_WALDIR, no *.sql.xz/*.sql.zst init files, and no
# nss_wrapper, so a user id other than 0 or 999 cannot initialise a database.
set -Eeo pipefail

# Sets VAR from VAR or from the file named by VAR_FILE, else to the default $2.
file_env() {
  local variable="$1" file_variable="${1}_FILE" value="${2:-}"
  if [ -n "${!variable:-}" ] && [ -n "${!file_variable:-}" ]; then
    echo "error: both $variable and $file_variable are set (but are exclusive)" >&2
    exit 1
  fi
  if [ -n "${!variable:-}" ]; then
    value="${!variable}"
  elif [ -n "${!file_variable:-}" ]; then
    value="$(<"${!file_variable}")"
  fi
  export "$variable"="$value"
  unset "$file_variable"
}

# Options that make postgres print and exit, for which nothing is initialised.
wants_help() {
  local argument
  for argument; do
    case "$argument" in
      -'?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

create_directories() {
  mkdir -p "$PGDATA"
  # Fails on a volume that the current user does not own; initdb says so if it matters.
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ "$(id -u)" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

require_password() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'MESSAGE'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
MESSAGE
    exit 1
  fi
}

# initdb leaves connections over the socket and from 127.0.0.1 trusted, as in the official image.
init_database_dir() {
  # POSTGRES_INITDB_ARGS is evaluated, as the official image does, so that it may hold quotes.
  if [ -n "$POSTGRES_PASSWORD" ]; then
    eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"${POSTGRES_INITDB_ARGS:-}"
  else
    eval 'initdb --username="$POSTGRES_USER" '"${POSTGRES_INITDB_ARGS:-}"
  fi
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
}

run_psql() {
  PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

# With the command's options (without "postgres"), but on the socket only.
start_temporary_server() {
  if [ "${1:-}" = postgres ]; then
    shift
  fi
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

stop_temporary_server() {
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

create_database() {
  local exists
  if [ "$POSTGRES_DB" = postgres ]; then
    return
  fi
  exists=$(run_psql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")
  if [ -z "$exists" ]; then
    run_psql --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    echo
  fi
}

run_init_files() {
  local file
  for file in /docker-entrypoint-initdb.d/*; do
    [ -e "$file" ] || continue
    case "$file" in
      *.sh)
        if [ -x "$file" ]; then
          echo "$0: running $file"
          "$file"
        else
          echo "$0: sourcing $file"
          # shellcheck disable=SC1090
          . "$file"
        fi
        ;;
      *.sql)
        echo "$0: running $file"
        run_psql --dbname "$POSTGRES_DB" -f "$file"
        echo
        ;;
      *.sql.gz)
        echo "$0: running $file"
        gunzip -c "$file" | run_psql --dbname "$POSTGRES_DB"
        echo
        ;;
      *) echo "$0: ignoring $file" ;;
    esac
  done
}

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" != postgres ] || wants_help "$@"; then
  exec "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
export POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

create_directories
if [ "$(id -u)" = 0 ]; then
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ -s "$PGDATA/PG_VERSION" ]; then
  printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
else
  require_password
  # Unreadable init scripts fail now rather than after initdb.
  ls /docker-entrypoint-initdb.d/ >/dev/null
  init_database_dir
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  start_temporary_server "$@"
  create_database
  run_init_files
  stop_temporary_server
  unset PGPASSWORD
  printf '\nPostgreSQL init process complete; ready for start up.\n\n'
fi

exec "$@"
