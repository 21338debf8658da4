#!/usr/bin/env bash
# Every workload for N ops (default 1M), release build: the engine with claim checks and
# no journal (WorkloadThroughput ... check), then `dmajournal record` into a journal and
# `dmajournal replay` of it. Prints ops/s of each, the journaling overhead (engine ÷
# record), replay ÷ record, bytes per op and peak RSS; fails if a replay diverges.
# Usage: Benchmarks/workloads.sh [ops]
set -euo pipefail
cd "$(dirname "$0")"
ops=${1:-1000000}
source ./lib.sh

printf "%-15s | %-18s | %-26s | %-20s | %-8s | %s\n" workload "engine+claims" "record ops/s  B/op  RSS" "replay ops/s  RSS" overhead "replay/record"
for workload in nvme rdma-odp vfio-migration gpu-p2p mixed; do
    engine=$(./.build/release/WorkloadThroughput "$workload" "$ops" check)
    engine_rate=$(echo "$engine" | sed -E 's/.* = ([0-9.]+) M steps\/s.*/\1/')
    journal="$work/$workload.db"
    read -r record_s record_kib < <(measure "$tool" record --workload "$workload" --ops "$ops" --journal "$journal" --force --quiet || true)
    recorded=$(sqlite3 "$journal" "SELECT count(*) FROM ops")
    bytes=$(stat -c %s "$journal")
    if ! replay_out=$("$tool" replay "$journal" 2>&1); then echo "$workload: replay diverged: $replay_out" >&2; exit 1; fi
    read -r replay_s replay_kib < <(measure "$tool" replay "$journal")
    awk -v w="$workload" -v er="$engine_rate" -v n="$recorded" -v rs="$record_s" -v rk="$record_kib" -v b="$bytes" \
        -v ps="$replay_s" -v pk="$replay_kib" 'BEGIN {
        record = n / rs; replay = n / ps
        printf "%-15s | %8.0f ops/s     | %8.0f  %5.1f  %5d MiB    | %8.0f  %5d MiB     | %6.2fx  | %6.2fx\n",
            w, er * 1e6, record, b / n, rk / 1024, replay, pk / 1024, er * 1e6 / record, replay / record
    }'
    rm -f "$journal"
done
