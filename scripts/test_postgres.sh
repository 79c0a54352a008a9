#!/usr/bin/env bash
# Run a command (the test suite) against a throwaway PostgreSQL cluster.
#
#   scripts/test_postgres.sh .venv/bin/pytest [ARGS...]
#
# A fresh cluster is created with initdb in a temporary directory, started on a free
# loopback port with its unix socket in that directory, exposed to the command as
# DATABASE_URL, then stopped and removed when the command ends, also on failure or Ctrl-C.
# As root (CI, these build machines) the cluster runs as the `postgres` system user,
# because initdb refuses to run as root.
#
# TELEPATI_TEST_PG: auto (default: skip with a message when the binaries are missing),
# required (missing binaries are an error), skip (do not run this pass).
# PG_BIN: directory holding initdb and pg_ctl, if not on PATH or in /usr/lib/postgresql.
set -euo pipefail

mode=${TELEPATI_TEST_PG:-auto}
case $mode in
  auto | required | skip) ;;
  *)
    echo "TELEPATI_TEST_PG must be auto, required or skip, got '$mode'." >&2
    exit 2
    ;;
esac
if [[ $mode == skip ]]; then
  echo "PostgreSQL pass skipped (TELEPATI_TEST_PG=skip)."
  exit 0
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

find_pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    echo "$PG_BIN"
    return 0
  fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return 0
  fi
  local dir
  while read -r dir; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
      echo "$dir"
      return 0
    fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t / -k 4 -n -r)
  return 1
}

if ! pg_bin=$(find_pg_bin) || [[ ! -x $pg_bin/initdb || ! -x $pg_bin/pg_ctl ]]; then
  message="PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin"
  if [[ $mode == required ]]; then
    echo "error: $message, and TELEPATI_TEST_PG=required." >&2
    echo "Install PostgreSQL 15 (Debian: apt-get install postgresql-15) or set PG_BIN." >&2
    exit 1
  fi
  echo "NOTE: $message: skipping the PostgreSQL test pass."
  echo "      Install PostgreSQL 15 to run it; TELEPATI_TEST_PG=required makes this an error."
  exit 0
fi

# As root, run the server as `postgres`; otherwise as the current user.
if [[ $(id -u) -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "error: running as root but there is no 'postgres' system user to own the cluster." >&2
    exit 1
  fi
  runuser=$(command -v runuser || echo /usr/sbin/runuser) # sbin may be off PATH
  as_pg() { "$runuser" -u postgres -- "$@"; }
  tmp_parent=/tmp
else
  as_pg() { "$@"; }
  tmp_parent=${TMPDIR:-/tmp}
fi

cluster=$(mktemp -d "$tmp_parent/telepati-pg.XXXXXX")
started=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $started -eq 1 ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$cluster"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "==> Throwaway PostgreSQL: $("$pg_bin/postgres" --version 2>/dev/null || "$pg_bin/initdb" --version), port $port, in $cluster"
as_pg "$pg_bin/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
  >"$cluster/initdb.log" 2>&1 || {
  cat "$cluster/initdb.log" >&2
  exit 1
}
# Durability is pointless for a cluster that lives for one test run: trade it for speed.
started=1
as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || {
  echo "error: the PostgreSQL server did not start; its log:" >&2
  cat "$cluster/server.log" >&2
  exit 1
}

# Django creates (and drops) the test database `test_postgres` next to this one.
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
