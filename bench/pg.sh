#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the benchmarks, kept under var/bench/pg between runs
# (generating a million reports takes minutes; measuring pages should not redo it).
#
#   bench/pg.sh start   initdb when missing, start on a free loopback port, print the URL
#   bench/pg.sh url     print the URL of the running cluster (database telepati_bench)
#   bench/pg.sh stop    stop it (var/bench/pg stays; `rm -rf var/bench/pg` throws it away)
#
# Same settings as scripts/test_postgres.sh (fsync off: nothing here is worth keeping),
# plus memory for a million rows. As root the server runs as the `postgres` system user.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_PG_DIR:-$root/var/bench/pg}
data=$dir/data

find_pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN"; return 0; fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return 0
  fi
  compgen -G '/usr/lib/postgresql/*/bin' | sort -t / -k 4 -n -r | head -n 1
}
pg_bin=$(find_pg_bin)
if [[ -z $pg_bin || ! -x $pg_bin/initdb ]]; then
  echo "error: PostgreSQL binaries (initdb, pg_ctl) not found; set PG_BIN." >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  runuser=$(command -v runuser || echo /usr/sbin/runuser)
  as_pg() { "$runuser" -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

url() { echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/telepati_bench"; }
running() { [[ -f $dir/port ]] && as_pg "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case ${1:-} in
  start)
    if running; then url; exit 0; fi
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    if [[ ! -f $data/PG_VERSION ]]; then
      as_pg "$pg_bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$pg_bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c effective_cache_size=8GB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    url
    ;;
  url)
    running || { echo "error: the benchmark cluster is not running (bench/pg.sh start)." >&2; exit 1; }
    url
    ;;
  stop)
    if running; then as_pg "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    rm -f "$dir/port"
    ;;
  *)
    echo "usage: $0 start|url|stop" >&2
    exit 2
    ;;
esac
