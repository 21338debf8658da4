#!/usr/bin/env bash
# How the figures change with the length of a run and the size of the shared region:
# for 10k, 100k, 1M and 10M ops of the nvme workload, on a 1 GiB and a 1 TiB region,
#   engine   apply every op (WorkloadThroughput ... engine): steps/s and peak RSS
#   record   dmajournal record into a journal: ops/s, bytes per op, peak RSS
#   replay   dmajournal replay of that journal: ops/s, peak RSS
#   bisect   dmajournal bisect --until fault of that journal, whose driver touched a
#            destroyed buffer once half way (--inject late-access@OPS/2): seconds
# Each point is its own process, so a peak RSS is that point's own (GNU time's %M).
# Usage: Benchmarks/scaling.sh [max-ops] [min-ops]   (release builds; 10M points take minutes)
set -euo pipefail
cd "$(dirname "$0")"
max=${1:-10000000}
min=${2:-0}
source ./lib.sh

printf "%-9s %-7s | %-22s | %-32s | %-22s | %s\n" ops region "engine steps/s  RSS" "record ops/s  B/op  RSS" "replay ops/s  RSS" "bisect s"
for ops in 10000 100000 1000000 10000000; do
    [ "$ops" -le "$max" ] && [ "$ops" -ge "$min" ] || continue
    for region in 1G 1T; do
        engine=$(./.build/release/WorkloadThroughput nvme "$ops" engine "region=$region")
        engine_rate=$(echo "$engine" | sed -E 's/.* = ([0-9.]+) M steps\/s.*/\1/')
        engine_rss=$(echo "$engine" | sed -E 's/.*peak RSS ([0-9]+) MiB.*/\1/')
        journal="$work/run.db"
        read -r record_s record_kib < <(measure "$tool" record --workload nvme --ops "$ops" --region-size "$region" \
                                               --inject "late-access@$((ops / 2))" --journal "$journal" --force --quiet)
        recorded=$(sqlite3 "$journal" "SELECT count(*) FROM ops")
        bytes=$(stat -c %s "$journal")
        read -r replay_s replay_kib < <(measure "$tool" replay "$journal")
        read -r bisect_s _ < <(measure "$tool" bisect "$journal" --until fault || true)
        awk -v ops="$ops" -v region="$region" -v er="$engine_rate" -v erss="$engine_rss" -v n="$recorded" \
            -v rs="$record_s" -v rk="$record_kib" -v b="$bytes" -v ps="$replay_s" -v pk="$replay_kib" -v bs="$bisect_s" 'BEGIN {
            printf "%-9d %-7s | %6.2f M/s  %6d MiB  | %8.0f  %5.1f  %6d MiB        | %8.0f  %6d MiB     | %6.2f\n",
                ops, region, er, erss, n / rs, b / n, rk / 1024, n / ps, pk / 1024, bs
        }'
        rm -f "$journal"
    done
done
