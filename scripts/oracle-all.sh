#!/usr/bin/env bash
# Differential test: every fixture script the kernel oracle can express, on the real kernel
# (QEMU, oracle/) and on the model; one guest boot per script, one at a time.
#
# usage: scripts/oracle-all.sh [OUT_DIR] [SCRIPT...]      (default: oracle-out, every fixtures/scripts/**/*.ops)
#
# Per script OUT_DIR/NAME/ keeps the plan and the guest's console.log, OUT_DIR/NAME.txt the
# comparison; OUT_DIR/summary.txt has one line per script. Exit status 1 when any script's
# kernel and model disagree, 2 when a guest did not finish. Needs what oracle/run.sh needs
# (docs/oracle.md); DMAJOURNAL_ORACLE_CACHE picks the download cache.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-oracle-out}; shift || true
mkdir -p "$out"
swift build --product dmajournal >&2 || exit 2
bin=$(swift build --show-bin-path)/dmajournal
cp "$bin" "$out/dmajournal"          # a rebuild during the run does not change the binary used
if [ $# -eq 0 ]; then set -- $(find fixtures/scripts -name '*.ops' | sort); fi

status=0
: > "$out/summary.txt"
t0=$(date +%s)
for script in "$@"; do
  name=$(echo "${script#fixtures/scripts/}" | sed 's|/|-|g; s|\.ops$||')
  s0=$(date +%s)
  "$out/dmajournal" oracle "$script" --plan "$out/$name" > "$out/$name.txt" 2> "$out/$name.err"
  rc=$?
  secs=$(( $(date +%s) - s0 ))
  last=$(tail -1 "$out/$name.txt")
  case $rc in
    0) verdict=agree; case $last in *": skipped: "*) verdict=skipped ;; esac ;;
    1) verdict=DIFFER; status=1 ;;
    *) verdict=FAILED; [ $status -eq 0 ] && status=2; last=$(tail -1 "$out/$name.err") ;;
  esac
  printf '%-7s %4ss  %s\n' "$verdict" "$secs" "$last" | tee -a "$out/summary.txt" >&2
done
echo "total $(( $(date +%s) - t0 ))s" | tee -a "$out/summary.txt" >&2
exit $status
