#!/usr/bin/env bash
# `dmajournal query` beside its anchor, the sqlite3 shell, on the same journal and query:
#   first row of `SELECT * FROM ops` (time from start until the first data row is read
#   from the pipe), and wall time and peak RSS of the whole answer, at two result sizes
#   (resident memory must stay flat in result size: rows are streamed).
# Usage: Benchmarks/query.sh [ops] [journal]   (default 10,000,000 ops; a given journal is
# reused, otherwise an nvme recording of that many ops is made; release build)
set -euo pipefail
cd "$(dirname "$0")"
ops=${1:-10000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== building (release)" >&2
(cd .. && swift build -c release --product dmajournal >&2)
tool=../.build/release/dmajournal
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
journal=${2:-$work/query.db}
if [ ! -f "$journal" ]; then
    echo "== recording $ops nvme ops into $journal" >&2
    "$tool" record --workload nvme --ops "$ops" --journal "$journal" --quiet >&2 || true
fi
rows=$(sqlite3 -readonly "$journal" "SELECT count(*) FROM ops")
echo "== journal: $rows ops, $(du -h "$journal" | cut -f1)"

# Seconds from spawn until the first data row (the line after the header) arrives, median
# of five runs; the process is killed once it has been read.
first_row() {
    python3 - "$@" <<'PY'
import subprocess, sys, time, statistics
samples = []
for _ in range(5):
    start = time.monotonic()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    process.stdout.readline()          # the header
    process.stdout.readline()          # the first row
    samples.append(time.monotonic() - start)
    process.kill(); process.wait()
print(f"{statistics.median(samples) * 1000:.1f}")
PY
}

query="SELECT * FROM ops"
echo "== first row of '$query' (ms, median of 5)"
ours=$(first_row "$tool" query "$journal" "$query" --format csv)
theirs=$(first_row sqlite3 -readonly -csv -header "$journal" "$query")
ours_table=$(first_row "$tool" query "$journal" "$query")
ours_json=$(first_row "$tool" query "$journal" "$query" --format json)
echo "dmajournal csv: $ours ms   table: $ours_table ms   json: $ours_json ms   sqlite3 -csv: $theirs ms (target: 50 ms)"
# CPU time (user + sys) of a run that stops at the first row: the cost itself, which a
# loaded machine's scheduling does not inflate as it does wall time.
cpu() {   # task-clock ms from perf stat (skipped where perf is not installed)
    perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/{printf "%.1f", $1}'
}
if command -v perf >/dev/null; then
    echo "CPU to the first row: dmajournal $(cpu "$tool" query "$journal" "$query" --format csv --limit 1) ms, sqlite3 $(cpu sqlite3 -readonly -csv -header "$journal" "$query LIMIT 1") ms (load average $(cut -d' ' -f1 /proc/loadavg))"
fi

echo "== whole answer: wall s and peak RSS KiB"
for limit in 1000000 "$rows"; do
    read -r wall rss < <(measure "$tool" query "$journal" "$query" --format csv --limit "$limit")
    read -r swall srss < <(measure sqlite3 -readonly -csv -header "$journal" "$query LIMIT $limit")
    echo "$limit rows: dmajournal csv $wall s, $rss KiB; sqlite3 -csv $swall s, $srss KiB"
done
read -r wall rss < <(measure "$tool" query "$journal" "$query")
echo "$rows rows: dmajournal table $wall s, $rss KiB"
read -r wall rss < <(measure "$tool" query "$journal" "$query" --format json)
echo "$rows rows: dmajournal json $wall s, $rss KiB"
