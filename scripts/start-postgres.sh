#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 on 127.0.0.1:55432 for the provider-parity tests and prints the
# connection string. Idempotent: a server already listening there is reused.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
DATA=${EXIT_PG_DATA:-/tmp/exit-pg}
SOCK=${EXIT_PG_SOCK:-/tmp/exit-pgsock}
PORT=${EXIT_PG_PORT:-55432}
if [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "PostgreSQL 15 is not installed; installing it (Debian package postgresql)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
install -d -o postgres -g postgres "$DATA" "$SOCK"
start() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" \
    -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" \
    -l "$DATA/server.log" -w start >/dev/null
}
if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    runuser -u postgres -- "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
  fi
  # A data folder left by a killed server (or another session) that will not start is only test data: start afresh.
  if ! start; then
    echo "PostgreSQL did not start from $DATA; re-creating it" >&2
    rm -rf "$DATA" && install -d -o postgres -g postgres "$DATA"
    runuser -u postgres -- "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
    start
  fi
fi
echo "Host=127.0.0.1;Port=$PORT;Username=postgres"
