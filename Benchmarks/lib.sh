# Shared by scaling.sh and workloads.sh: release builds of the probe and the tool, a
# scratch directory removed on exit, and `measure CMD…` printing wall seconds and peak RSS
# (KiB) of one process (GNU time's %e %M).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== building (release)" >&2
swift build -c release --product WorkloadThroughput >&2
(cd .. && swift build -c release --product dmajournal >&2)
tool=../.build/release/dmajournal
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
