#!/bin/sh
# Runs once, when the database volume is first initialised (docker-entrypoint-initdb.d), as the
# superuser POSTGRES_USER. Makes the two login roles scx runs with:
#   scx_owner  owns the database and its tables; migrations run as it (the `migrate` service)
#   scx_app    the API's login, a member of scx_api, which owns nothing and holds only the
#              privileges the migration ApiRole grants (no trigger can be disabled, no payment or
#              audit event changed)
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$SCX_DB_OWNER_PASSWORD" -v api_password="$SCX_DB_API_PASSWORD" <<'SQL'
CREATE ROLE scx_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE scx_api NOLOGIN;
CREATE ROLE scx_app LOGIN PASSWORD :'api_password' IN ROLE scx_api;
ALTER DATABASE :"db" OWNER TO scx_owner;
ALTER SCHEMA public OWNER TO scx_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
