#!/usr/bin/env bash
# Runs our numbers beside their baselines in one run on this machine, and prints ratios.
#   engine link+unlink 4K        vs  a plain Dictionary page table (the naive design)
#   snapshot / restore of 1 GiB  vs  the lz4 CLI (-1 / -d) on the same bytes
#   journal inserts              vs  a C program inserting the same rows (baselines/sqlite_insert.c)
#   engine link+unlink 1 GiB     vs  the same before block PTEs (baselines/link-unlink-1G.txt, recorded)
#   query first row, RSS         vs  the sqlite3 shell on the same journal and query (query.sh)
#   import of ftrace text        vs  C prepared inserts of the rows it journals (import.sh)
#   every named query            vs  the sqlite3 shell running its SQL on the same journal (named.sh)
#   fleet push                   vs  psql \copy of the same rows into the same server (push.sh)
# Usage: Benchmarks/compare.sh [image-MiB]   (release builds; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")"
mebibytes=${1:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building (release)" >&2
swift build -c release --product SnapshotThroughput >&2
swift build -c release --product BaselineBenchmarks >&2
swift build -c release --product JournalThroughput >&2
cc -O2 -o "$work/sqlite_insert" baselines/sqlite_insert.c -lsqlite3

echo "== journal inserts vs C prepared inserts of the same rows (1M nvme ops)"
ours=$(./.build/release/JournalThroughput 1000000 "$work/journal.db")
theirs=$("$work/sqlite_insert" "$work/journal.db" "$work/copy.db")
echo "ours: $ours"
echo "C:    $theirs"
# Wall clock and the thread's CPU time: on a shared machine the CPU ratio is the steadier.
awk -v o="$ours" -v t="$theirs" 'function field(line, name) {
        match(line, name "=[0-9]+"); return substr(line, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
    }
    BEGIN {
        printf "journal inserts are %.2fx the C baseline by wall clock, %.2fx by CPU time (target 0.8)\n",
            field(o, "ops_per_s") / field(t, "ops_per_s"), field(o, "ops_per_cpu_s") / field(t, "ops_per_cpu_s")
    }'
rm -f "$work/journal.db" "$work/copy.db"

echo "== engine vs the naive Dictionary page table"
swift package --disable-sandbox benchmark --target BaselineBenchmarks --format markdown --no-progress 2>/dev/null \
    | awk '/^### /{name=$0} /Throughput/{print name " | p50 " $8 " " $3 $4 $5}' | tee "$work/baseline.txt"

echo "== engine link+unlink of 1 GiB at aligned addresses vs the figure before block PTEs"
# p50 of the Time row, in ns whatever unit the table uses; the baseline's is recorded.
swift package --disable-sandbox benchmark --target EngineBenchmarks --filter "link.unlink 1G.*" --format markdown --no-progress 2>/dev/null \
    | awk -F'|' -v base="$(awk '/^# p50_ns/{print $3}' baselines/link-unlink-1G.txt)" '/Time \(wall clock\)/ {
        scale = $2 ~ /\(ns\)/ ? 1 : $2 ~ /\(μs\)/ ? 1e3 : $2 ~ /\(ms\)/ ? 1e6 : 1e9
        ns = $5 * scale
        printf "ours: p50 %.0f ns; before block PTEs: p50 %.0f ns -> %.0fx faster\n", ns, base, base / ns
    }'

seconds() { /usr/bin/time -f "%e %U" "$@" 2>&1 >/dev/null | tail -1; }
for mixing in page chunk; do
    echo "== snapshot vs lz4 on a ${mebibytes} MiB image mixed by $mixing"
    ./.build/release/SnapshotThroughput "$mebibytes" "$mixing" "$work/image.raw" | tee "$work/ours.txt"
    read -r lz4_wall lz4_user < <(seconds lz4 -1 -f -q "$work/image.raw" "$work/image.lz4")
    read -r unlz4_wall unlz4_user < <(seconds lz4 -d -f -q "$work/image.lz4" "$work/image.out")
    ours=$(awk '/^snapshot:/{print $2}' "$work/ours.txt")
    restore=$(awk '/^restore into empty/{print $5}' "$work/ours.txt")
    # CPU time: SnapshotThroughput prints "(user U s, sys S s)" per phase.
    ours_user=$(sed -n 's/^snapshot:.*(user \([0-9.]*\) s.*/\1/p' "$work/ours.txt")
    restore_user=$(sed -n 's/^restore into empty.*(user \([0-9.]*\) s.*/\1/p' "$work/ours.txt")
    awk -v o="$ours" -v ou="$ours_user" -v w="$lz4_wall" -v u="$lz4_user" -v r="$restore" -v ru="$restore_user" \
        -v dw="$unlz4_wall" -v du="$unlz4_user" 'BEGIN {
        printf "lz4 -1: %.2f s wall, %.2f s user -> snapshot is %.2fx faster by wall time, %.2fx by user time\n", w, u, w / o, u / ou
        printf "lz4 -d: %.2f s wall, %.2f s user -> cold restore is %.2fx faster by wall time, %.2fx by user time\n", dw, du, dw / r, du / ru
    }'
    rm -f "$work/image.raw" "$work/image.lz4" "$work/image.out"
done

echo "== query: first row and RSS vs the sqlite3 shell (1M ops; Benchmarks/query.sh for 10M)"
bash ./query.sh 1000000

echo "== import: lines/s vs C inserts of the same rows, and replay RSS (1M lines; Benchmarks/import.sh for more)"
bash ./import.sh 1000000

echo "== named queries vs the sqlite3 shell running the same SQL (the import of 1M generated lines)"
bash ./named.sh

echo "== fleet store: push vs psql \\copy, and per-device over many journals (push.sh; skipped without a PostgreSQL server)"
bash ./push.sh "${PUSH_JOURNALS:-100}"
