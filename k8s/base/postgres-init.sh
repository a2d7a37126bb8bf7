#!/usr/bin/env bash
# Runs once, on an empty data directory (the postgres image's /docker-entrypoint-initdb.d): one
# login role shop_<owner> and one database per service, and a role can connect only to its own
# database, as the native runner provisions it (infra/src/postgres.ts). The one copy: kustomize
# makes the StatefulSet's init ConfigMap from it and Docker Compose mounts it.
set -euo pipefail

owners=(identity catalog inventory order payment notification)

admin_psql() {
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres "$@"
}

admin_psql <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL

for owner in "${owners[@]}"; do
  variable="${owner^^}_DB_PASSWORD"
  password="${!variable:?$variable is required}"
  # psql quotes :"name" as an identifier and :'name' as a literal ("order" is a keyword).
  admin_psql -v owner="$owner" -v role="shop_$owner" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE :"owner" OWNER :"role";
REVOKE CONNECT ON DATABASE :"owner" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"owner" TO :"role";
SQL
done
