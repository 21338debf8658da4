#!/usr/bin/env bash
# `dmajournal import` of generated dma:* ftrace text beside its anchor, a C program
# inserting the same rows (baselines/sqlite_insert.c re-inserts every row of the imported
# journal through prepared statements in one transaction): lines/s, MB/s, ops/s and peak
# RSS of the import, rows/s of the C inserts, and the ratio the goal is stated in (import
# >= 0.5x the C inserts of the rows it writes). Then `replay` of the imported journal:
# ops/s and peak RSS (flat in trace length: it streams).
# Usage: Benchmarks/import.sh [lines...]   (default 1,000,000; release build; several GB
# of scratch for 10 M lines, in $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")"
sizes=("${@:-1000000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== building (release)" >&2
(cd .. && swift build -c release --product dmajournal >&2)
cc -O2 -o "$work/sqlite_insert" baselines/sqlite_insert.c -lsqlite3
tool=../.build/release/dmajournal
# "wall user sys peakKiB" of one command, its output discarded.
measure() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }

for lines in "${sizes[@]}"; do
    trace="$work/trace-$lines.txt"
    python3 ../scripts/generate-dma-ftrace.py "$lines" > "$trace"
    bytes=$(stat -c %s "$trace")
    journal="$work/import-$lines.db"
    echo "== import of $lines generated ftrace lines ($((bytes / 1000000)) MB)"
    read -r wall user sys rss < <(measure "$tool" import "$trace" --journal "$journal" --quiet)
    ops=$(sqlite3 -readonly "$journal" "SELECT count(*) FROM ops")
    awk -v l="$lines" -v b="$bytes" -v o="$ops" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "ours: %.1f s wall (%.1f user + %.1f sys): %.0f lines/s, %.1f MB/s, %.0f ops/s by wall clock; %.0f lines/s by CPU time; peak RSS %.0f MiB\n",
            w, u, s, l / w, b / w / 1e6, o / w, l / (u + s), r / 1024
    }'
    anchor=$("$work/sqlite_insert" "$journal" "$work/copy.db")
    rm -f "$work/copy.db" "$work/copy.db-wal" "$work/copy.db-shm"
    echo "C:    $anchor"
    awk -v a="$anchor" -v l="$lines" -v w="$wall" -v u="$user" -v s="$sys" 'function field(line, name) {
            match(line, name "=[0-9]+"); return substr(line, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
        }
        BEGIN {
            printf "import is %.2fx the C inserts of its rows by wall clock (lines/s over ops/s), %.2fx by CPU time (goal 0.5; 1M lines/s)\n",
                (l / w) / field(a, "ops_per_s"), (l / (u + s)) / field(a, "ops_per_cpu_s")
        }'
    # The generated faults part the model from the trace at the first reused IOVA (see the
    # generator), so replay is measured on the same trace without them, which runs to its end.
    python3 ../scripts/generate-dma-ftrace.py "$lines" --no-faults > "$trace"
    rm -f "$journal"
    "$tool" import "$trace" --journal "$journal" --quiet >/dev/null
    ops=$(sqlite3 -readonly "$journal" "SELECT count(*) FROM ops")
    echo "== replay of the import of the same trace without faults ($ops ops)"
    "$tool" replay "$journal" | head -1
    read -r wall user sys rss < <(measure "$tool" replay "$journal")
    awk -v o="$ops" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
        printf "replay: %.1f s wall (%.1f user): %.0f ops/s; peak RSS %.0f MiB\n", w, u, o / w, r / 1024
    }'
    rm -f "$trace" "$journal"
done
