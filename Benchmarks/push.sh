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
# the baseline taken in turn so a neighbour's build slows both alike.
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
    psql "$server" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
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

echo "== push of one journal ($one_ops ops) vs psql \\copy of the same rows, best of $rounds"
best_ours=
best_theirs=
best_keyed=
for round in $(seq 1 "$rounds"); do
    store=$(database "one$round")
    "$tool" push --quiet "$work/small.db" --to "$store"   # makes the store: not timed
    make_baseline "baseline" >"$work/copy.sql"
    theirs=$(seconds psql "$store" -q -1 -v ON_ERROR_STOP=1 -f "$work/copy.sql")
    # The same, then the store's keys and indexes built on the copied tables (what push's
    # ATTACH builds): where the baseline's time would go with the store's indexes.
    { make_baseline "keyed"; psql "$store" -tAc "SELECT regexp_replace(replace(indexdef, 'ON ONLY dmajournal.', 'ON keyed.'),
        '^CREATE (UNIQUE )?INDEX (\S+)', 'CREATE \1INDEX keyed_\2') || ';' FROM pg_indexes WHERE schemaname = 'dmajournal'
        AND tablename IN (SELECT relname FROM pg_class WHERE relkind = 'p' AND relnamespace = 'dmajournal'::regnamespace)"; } >"$work/keyed.sql"
    keyed=$(seconds psql "$store" -q -1 -v ON_ERROR_STOP=1 -f "$work/keyed.sql")
    ours=$(seconds "$tool" push --quiet "$work/n1.db" --to "$store")
    echo "round $round: dmajournal push $ours s, psql \\copy $theirs s, psql \\copy + keys and indexes $keyed s"
    best_keyed=$(echo "$keyed ${best_keyed:-$keyed}" | awk '{print ($1 < $2 ? $1 : $2)}')
    best_ours=$(echo "$ours ${best_ours:-$ours}" | awk '{print ($1 < $2 ? $1 : $2)}')
    best_theirs=$(echo "$theirs ${best_theirs:-$theirs}" | awk '{print ($1 < $2 ? $1 : $2)}')
done
awk -v o="$best_ours" -v t="$best_theirs" -v k="$best_keyed" -v n="$one_ops" 'BEGIN {
    printf "dmajournal push: %.2f s, %.0f K ops/s (whole command: store check, COPY, keys and indexes, attach, commit)\n", o, n / o / 1000
    printf "psql \\copy:      %.2f s, %.0f K ops/s (CSV into plain tables, no keys or indexes)\n", t, n / t / 1000
    printf "psql \\copy + the store'"'"'s keys and indexes: %.2f s, %.0f K ops/s\n", k, n / k / 1000
    printf "push is %.2fx the baseline (target: 500 K ops/s)\n", t / o
}'

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
echo "query --named per-device --where \"seed = 7\": $(seconds "$tool" query --db "$store" --named per-device --where "seed = 7") s"
for named in reuse-distance faults-after-unmap; do
    echo "query --db … --named $named over $journals journals: $(seconds "$tool" query --db "$store" --named $named) s"
    echo "query FILE… --named $named over the $journals files: $(seconds "$tool" query "${all[@]}" --named $named) s"
done
