#!/usr/bin/env bash
# Every named query of a journal, one after another: wall time, CPU time (user + sys),
# peak RSS and rows, through `dmajournal query --named … --format csv`, beside its
# anchor: the sqlite3 shell running the same SQL (from the journal's `named_queries`)
# with the same parameters on the same journal (`sqlite3 -readonly -csv -header`), and
# the ratio of CPU times (ours over the shell's; 1.0 = no cost above SQLite's). Parameters are
# picked from the journal itself (the IOVA and physical address of the middle mapped
# range, the op after it). Default journal: the import of 1,000,000 generated ftrace lines
# (scripts/generate-dma-ftrace.py), the size issue 16's named-query figures are quoted at.
# Usage: Benchmarks/named.sh [journal]   (release build; a query is stopped after 600 s)
set -euo pipefail
cd "$(dirname "$0")"
echo "== building (release)" >&2
(cd .. && swift build -c release --product dmajournal >&2)
tool=../.build/release/dmajournal
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
journal=${1:-}
if [ -z "$journal" ]; then
    journal="$work/import.db"
    python3 ../scripts/generate-dma-ftrace.py 1000000 > "$work/trace.txt"
    echo "== importing 1,000,000 generated lines into $journal" >&2
    "$tool" import "$work/trace.txt" --journal "$journal" --quiet >&2 || true
fi
echo "== $(sqlite3 -readonly "$journal" "SELECT count(*) FROM ops") ops, $(sqlite3 -readonly "$journal" "SELECT count(*) FROM mapped_ranges") mapped ranges, $(sqlite3 -readonly "$journal" "SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL") faults"
read -r iova phys seq < <(sqlite3 -readonly -separator ' ' "$journal" \
    "SELECT iova, phys, seq + 1 FROM mapped_ranges ORDER BY seq LIMIT 1 OFFSET (SELECT count(*) / 2 FROM mapped_ranges)")
printf "%-20s %8s %8s %8s %9s | %8s %8s %8s %9s | %s\n" query wall_s cpu_s rss_MiB rows sh_wall sh_cpu sh_rss sh_rows cpu_ratio
# "wall cpu rssMiB" from a GNU time file.
spent() { awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' <(tail -1 "$1"); }
for name in $(sqlite3 -readonly "$journal" "SELECT name FROM named_queries ORDER BY name"); do
    params=()
    shell=()
    case "$name" in
        mapped-at) params=(--param "iova=$iova" --param "seq=$seq"); shell=(".parameter set :iova $iova" ".parameter set :seq $seq") ;;
        mapped-at-phys) params=(--param "phys=$phys" --param "seq=$seq"); shell=(".parameter set :phys $phys" ".parameter set :seq $seq") ;;
        snapshot-changes) params=(--param a=start --param b=end); shell=(".parameter set :a 'start'" ".parameter set :b 'end'") ;;
    esac
    if /usr/bin/time -f "%e %U %S %M" -o "$work/time" timeout 600 "$tool" query "$journal" --named "$name" "${params[@]}" \
        --format csv > "$work/out" 2>/dev/null; then
        rows=$(($(wc -l < "$work/out") - 1))
    else
        rows="failed"
    fi
    read -r wall cpu rss < <(spent "$work/time")
    sqlite3 -readonly "$journal" "SELECT sql FROM named_queries WHERE name = '$name'" > "$work/query.sql"
    if /usr/bin/time -f "%e %U %S %M" -o "$work/time" timeout 600 sqlite3 -readonly -csv -header "$journal" \
        "${shell[@]}" "$(cat "$work/query.sql")" > "$work/out" 2>/dev/null; then
        sh_rows=$(($(wc -l < "$work/out") - 1))
        [ "$sh_rows" -lt 0 ] && sh_rows=0   # no header without rows
    else
        sh_rows="failed"
    fi
    read -r sh_wall sh_cpu sh_rss < <(spent "$work/time")
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v rows="$rows" -v sw="$sh_wall" -v sc="$sh_cpu" -v sr="$sh_rss" -v srows="$sh_rows" \
        'BEGIN { printf "%-20s %8.2f %8.2f %8.0f %9s | %8.2f %8.2f %8.0f %9s | %s\n", n, w, c, r, rows, sw, sc, sr, srows, (sc > 0 ? sprintf("%.2fx", c / sc) : "-") }'
done
