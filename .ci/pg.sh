#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages (when missing) and starts a throwaway
# cluster on loopback. Prints the URL to use as COHORTBOT_TEST_POSTGRES_URL.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
port=${PGPORT_TEST:-55432}
dir=${PGDATA_TEST:-/tmp/cohortbot-pg}
if ! "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
  rm -rf "$dir"; mkdir -p "$dir"; chown postgres "$dir"
  su postgres -c "$bin/initdb -D $dir -A trust -U postgres" >/dev/null
  su postgres -c "$bin/pg_ctl -D $dir -o '-c listen_addresses=127.0.0.1 -p $port -c max_connections=300 -c fsync=off -c unix_socket_directories=/tmp' -l $dir/log start" >/dev/null
  for _ in $(seq 1 50); do "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q && break; sleep 0.2; done
fi
echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
