#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the fleet tests and benchmarks (issue 18).
#
#   eval "$(bash scripts/pg-test-cluster.sh start)"   # prints: export DMAJOURNAL_TEST_PG_URL=…
#   swift test --filter Fleet
#   bash scripts/pg-test-cluster.sh stop
#
# initdb + pg_ctl into a directory under ${TMPDIR:-/tmp} (PGTEST_DIR overrides it), C
# locale (text sorts by bytes, as in SQLite), trust authentication on 127.0.0.1 only, port
# PGTEST_PORT (55432 by default), and no fsync: the cluster is scratch, thrown away after
# the tests, and the tests make and drop many databases and partitions. PostgreSQL refuses to run as root, so under root (CI) the
# cluster belongs to the `postgres` system user, run through runuser.
set -euo pipefail
port="${PGTEST_PORT:-55432}"
dir="${PGTEST_DIR:-${TMPDIR:-/tmp}/dmajournal-pgtest-$port}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bindir/pg_ctl" ] || { echo "pg-test-cluster: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
        as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --locale=C -E UTF8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "export DMAJOURNAL_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"   # already running
        exit 0
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_locks_per_transaction=1024 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "export DMAJOURNAL_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg-test-cluster.sh start|stop" >&2; exit 2
    ;;
esac
