#!/usr/bin/env bash
# Issue 18's fleet-store figures, in one run on this machine (docs/fleet.md, "Measured"):
#   push of one 100 K-op journal  vs  psql \copy of the same rows (CSV from sqlite3 -csv)
#                                     into plain tables on the same server, in one transaction
#   push of JOURNALS journals of OPS ops each, then `query --db … --named per-device` over all,
#   and reuse-distance and faults-after-unmap over them all, from the store and from the files
#
# The server: DMAJOURNAL_TEST_PG_URL if set, else the throwaway cluster of
# scripts/pg-test-cluster.sh (started here, stopped on exit). Without a PostgreSQL server
# it says so in one line and exits 0. Each figure is the best of ROUNDS (3) tries, ours and
# the baseline taken in turn so a neighbour's build slows both alike; with a server on this
# machine, the client's and the server's CPU are taken too (Benchmarks/backend-cpu.py), and
# from them what two idle cores would allow.
# Usage: Benchmarks/push.sh [journals] [ops]   (release build; defaults 100 100000)
#        TOOL=/path/to/dmajournal Benchmarks/push.sh …   (that build instead, not rebuilt)
set -euo pipefail
cd "$(dirname "$0")/.."
journals=${1:-100}
ops=${2:-100000}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
started_cluster=
cleanup() {
    [ -n "$started_cluster" ] && bash scripts/pg-test-cluster.sh stop || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DMAJOURNAL_TEST_PG_URL:-}" ]; then
    if ! cluster=$(bash scripts/pg-test-cluster.sh start 2>/dev/null); then
        echo "push.sh: no PostgreSQL server (set DMAJOURNAL_TEST_PG_URL, or apt-get install postgresql): skipped"
        exit 0
    fi
    eval "$cluster"
    # Stopped on exit only if this script started it (not one the tests are using).
    case "$cluster" in *"already running"*) ;; *) started_cluster=1 ;; esac
fi
server=$DMAJOURNAL_TEST_PG_URL
base=${server%%\?*}
base=${base%/*}
for tool in psql sqlite3; do
    command -v $tool >/dev/null || { echo "push.sh: no $tool: skipped"; exit 0; }
done

if [ -n "${TOOL:-}" ]; then
    tool=$TOOL   # another build's dmajournal (e.g. main's, for a before/after), not rebuilt
else
    echo "== building (release)" >&2
    swift build -c release --product dmajournal >&2
    tool=.build/release/dmajournal
fi
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
database() {   # a fresh database; dropped on exit
    local name="dmajournal_bench_$1_$$"
    psql "$server" -qc "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
    databases+=("$name")
    echo "$base/$name"
}
databases=()
drop_databases() {
    for name in "${databases[@]}"; do psql "$server" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null || true; done
}
trap 'drop_databases; cleanup' EXIT

echo "== recording $journals journals of $ops nvme ops (release)" >&2
for seed in $(seq 1 "$journals"); do
    "$tool" record --workload nvme --ops "$ops" --seed "$seed" --journal "$work/n$seed.db" >/dev/null
done
"$tool" run fixtures/scripts/quickstart.ops --journal "$work/small.db" >/dev/null
one_ops=$(sqlite3 "$work/n1.db" "SELECT count(*) FROM ops")

# The baseline: every table of n1.db as CSV (not timed), and a psql script that makes a
# plain table per journal table (its columns and types, no keys, no indexes) and \copies
# the CSV into it, all in one transaction (psql -1).
tables=$(sqlite3 "$work/n1.db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
make_baseline() {   # $1: schema name
    echo "CREATE SCHEMA $1;"
    for table in $tables; do
        columns=$(sqlite3 "$work/n1.db" "SELECT group_concat('\"' || name || '\"', ', ') FROM pragma_table_info('$table')")
        echo "CREATE TABLE $1.$table (LIKE dmajournal.$table);"
        echo "ALTER TABLE $1.$table ALTER COLUMN journal_no SET DEFAULT 1;"
        echo "\\copy $1.$table ($columns) FROM '$work/csv/$table.csv' (FORMAT csv)"
    done
}
mkdir -p "$work/csv"
for table in $tables; do
    # Blobs as bytea's hex text; everything else as sqlite3 prints it (NULL is empty).
    select=$(sqlite3 "$work/n1.db" "SELECT group_concat(CASE WHEN type = '' OR type LIKE '%BLOB%'
        THEN 'CASE WHEN \"' || name || '\" IS NULL THEN NULL ELSE ''\\x'' || hex(\"' || name || '\") END'
        ELSE '\"' || name || '\"' END, ', ') FROM pragma_table_info('$table')")
    sqlite3 -csv "$work/n1.db" "SELECT $select FROM \"$table\"" >"$work/csv/$table.csv"
done

# CPU as well as wall time: the client's (its rusage) and the server's (every backend of
# the round's database, read from /proc: Benchmarks/backend-cpu.py), when the server runs
# on this machine and its postmaster's PID can be read; wall time alone on a machine shared
# with other work says more about the neighbours than about push.
postmaster=$(head -1 "$(psql "$server" -tAc 'SHOW data_directory')/postmaster.pid" 2>/dev/null || true)
measured() {   # $1: database name; the rest: the command. Prints "wall client server busiest".
    if [ -n "$postmaster" ] && [ -r "/proc/$postmaster/stat" ]; then
        python3 Benchmarks/backend-cpu.py "$postmaster" "$1" "${@:2}" 2>/dev/null \
            | sed -E 's/^wall ([0-9.]+) s, client ([0-9.]+) s, server ([0-9.]+) s \([0-9]+ backends, busiest ([0-9.]+) s\)$/\1 \2 \3 \4/'
    else
        echo "$(seconds "${@:2}") - - -"
    fi
}
minimum() { echo "$1 ${2:-$1}" | awk '{print ($1 < $2 ? $1 : $2)}'; }
echo "== push of one journal ($one_ops ops) vs psql \\copy of the same rows, best of $rounds"
echo "   (wall s / client CPU s / server CPU s, busiest backend s; load $(cut -d' ' -f1-3 /proc/loadavg))"
for what in ours theirs keyed; do for field in wall client server busiest; do eval "best_${what}_$field="; done; done
for round in $(seq 1 "$rounds"); do
    store=$(database "one$round")
    name=${store##*/}
    "$tool" push --quiet "$work/small.db" --to "$store"   # makes the store: not timed
    make_baseline "baseline" >"$work/copy.sql"
    read -r theirs_wall theirs_client theirs_server theirs_busiest < <(measured "$name" psql "$store" -q -1 -v ON_ERROR_STOP=1 -f "$work/copy.sql")
    # The same, then the store's keys and indexes built on the copied tables (what push's
    # ATTACH builds): where the baseline's time would go with the store's indexes.
    { make_baseline "keyed"; psql "$store" -tAc "SELECT regexp_replace(replace(indexdef, 'ON ONLY dmajournal.', 'ON keyed.'),
        '^CREATE (UNIQUE )?INDEX (\S+)', 'CREATE \1INDEX keyed_\2') || ';' FROM pg_indexes WHERE schemaname = 'dmajournal'
        AND tablename IN (SELECT relname FROM pg_class WHERE relkind = 'p' AND relnamespace = 'dmajournal'::regnamespace)"; } >"$work/keyed.sql"
    read -r keyed_wall keyed_client keyed_server keyed_busiest < <(measured "$name" psql "$store" -q -1 -v ON_ERROR_STOP=1 -f "$work/keyed.sql")
    read -r ours_wall ours_client ours_server ours_busiest < <(measured "$name" "$tool" push --quiet "$work/n1.db" --to "$store")
    echo "round $round: dmajournal push $ours_wall / $ours_client / $ours_server, $ours_busiest;" \
         "psql \\copy $theirs_wall / $theirs_client / $theirs_server, $theirs_busiest;" \
         "\\copy + keys and indexes $keyed_wall / $keyed_client / $keyed_server, $keyed_busiest"
    for what in ours theirs keyed; do for field in wall client server busiest; do
        value=$(eval echo "\$${what}_$field"); [ "$value" = "-" ] && continue
        eval "best_${what}_$field=\$(minimum $value \$best_${what}_$field)"
    done; done
done
summary() {   # $1: label, $2: wall, $3: client, $4: server, $5: busiest backend
    awk -v l="$1" -v w="$2" -v c="$3" -v s="$4" -v b="$5" -v n="$one_ops" 'BEGIN {
        printf "%-26s %.2f s, %4.0f K ops/s", l, w, n / w / 1000
        if (c != "") {
            # On two idle cores: no faster than the busiest backend, nor than all the CPU
            # spread over both cores.
            idle = (c + s) / 2 > b ? (c + s) / 2 : b
            printf "; CPU client %.3f s + server %.3f s = %.3f s (busiest backend %.3f s): two idle cores, at best %.2f s, %.0f K ops/s", c, s, c + s, b, idle, n / idle / 1000
        }
        printf "\n"
    }'
}
summary "dmajournal push:" "$best_ours_wall" "$best_ours_client" "$best_ours_server" "$best_ours_busiest"
summary "psql \\copy:" "$best_theirs_wall" "$best_theirs_client" "$best_theirs_server" "$best_theirs_busiest"
summary "psql \\copy + keys, indexes:" "$best_keyed_wall" "$best_keyed_client" "$best_keyed_server" "$best_keyed_busiest"
echo "(best of $rounds each, figure by figure; push: the whole command (store check, COPY, keys and indexes, attach, commit); \\copy: CSV into plain tables, no keys or indexes; target: 500 K ops/s)"

echo "== $journals journals of $ops ops pushed, then per-device over all of them"
store=$(database "fleet")
all=()
for seed in $(seq 1 "$journals"); do all+=("$work/n$seed.db"); done
push_all=$(seconds "$tool" push --quiet "${all[@]}" --to "$store")
total_ops=$(psql "$store" -tAc "SELECT sum(op_count) FROM dmajournal.journals")
echo "push of $journals journals ($total_ops ops): $push_all s"
for round in $(seq 1 "$rounds"); do
    echo "query --named per-device over $journals journals: $(seconds "$tool" query --db "$store" --named per-device) s"
done
echo "query --named per-device --where \"seed = 1\" (one journal): $(seconds "$tool" query --db "$store" --named per-device --where "seed = 1") s"
for named in reuse-distance faults-after-unmap; do
    echo "query --db … --named $named over $journals journals: $(seconds "$tool" query --db "$store" --named $named) s"
    echo "query FILE… --named $named over the $journals files: $(seconds "$tool" query "${all[@]}" --named $named) s"
done
