#!/usr/bin/env bash
# Run `dmajournal capture` for real: boot the kernel lab's Debian kernel under QEMU (TCG),
# with an IOMMU and an NVMe disk, put this tree's dmajournal (with the libraries it needs)
# into the initramfs, capture an O_DIRECT dd workload, read tracefs back after each kind of
# exit, and bring the journals, capture texts and readbacks out on a second NVMe disk.
#
# usage: scripts/capture-in-lab.sh [CONFIG]        CONFIG: intel-strict (default) | intel-lazy
# environment:
#   KLAB       the kernel lab's cache (kernel/<kver>/vmlinuz and modules, busybox): required,
#              filled by ../shared/kernel-lab/fetch.sh (this script downloads nothing)
#   OUT        where results go (default ./capture-lab-out); OUT/<config>[-smpN]/
#   DMAJOURNAL the binary (default .build/release/dmajournal; build it with
#              swift build -c release --static-swift-stdlib)
#   SCENARIOS  lines "KIND NAME [ARGS]" (KIND: run, sigint, sigterm, error, kill); default:
#              run, sigint, sigterm, error and kill for intel-strict with one CPU, run otherwise
#   SMP, MEM   guest CPUs and memory (default 1, 1G)
#   OVERHEAD   1: also time the workload with and without a capture (3 rounds)
#   TIMEOUT    seconds before QEMU is stopped (default 1500)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
config=${1:-intel-strict}
: "${KLAB:?set KLAB to the kernel lab cache (e.g. KLAB=/work/klab)}"
DMAJOURNAL=${DMAJOURNAL:-$here/../.build/release/dmajournal}
SMP=${SMP:-1}; MEM=${MEM:-1G}; TIMEOUT=${TIMEOUT:-1500}; OVERHEAD=${OVERHEAD:-}
name=$config; [ "$SMP" != 1 ] && name=$name-smp$SMP
OUT=${OUT:-$PWD/capture-lab-out}; out=$OUT/$name
log() { echo "[capture-in-lab] $*" >&2; }

kver=$(cat "$KLAB/kver")
kdir=$KLAB/kernel/$kver
[ -f "$kdir/vmlinuz" ] && [ -x "$KLAB/busybox" ] || { log "no kernel or busybox under $KLAB"; exit 1; }
[ -x "$DMAJOURNAL" ] || { log "no $DMAJOURNAL (swift build -c release --static-swift-stdlib)"; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { log "qemu-system-x86_64 is needed"; exit 1; }

case $config in
  intel-strict) iommu=(-device intel-iommu,intremap=off,caching-mode=on); kargs="intel_iommu=on iommu.strict=1" ;;
  # with caching mode VT-d forces strict invalidation; lazy needs it off
  intel-lazy)   iommu=(-device intel-iommu,intremap=off,caching-mode=off); kargs="intel_iommu=on iommu.strict=0" ;;
  *) log "unknown config $config (intel-strict, intel-lazy)"; exit 1 ;;
esac
if [ -z "${SCENARIOS:-}" ]; then
  if [ "$config" = intel-strict ] && [ "$SMP" = 1 ]; then
    SCENARIOS=$'run workload\nsigint interrupted\nsigterm terminated\nerror failing\nkill killed'
  else
    SCENARIOS="run workload"
  fi
fi

rm -rf "$out"; mkdir -p "$out"
stage=$(mktemp -d "$out/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,plan,modules}
cp "$KLAB/busybox" "$stage/bin/busybox"
cp "$here/capture-lab/init" "$stage/init"
cp "$here/capture-lab/workload.sh" "$stage/plan/workload.sh"
chmod 755 "$stage/init" "$stage/bin/busybox"
printf '%s\n' "$SCENARIOS" > "$stage/plan/scenarios"
[ -n "$OVERHEAD" ] && echo 1 > "$stage/plan/overhead"

# dmajournal and what it loads: the dynamic loader and every library ldd names, at the
# same paths (the loader's default search path finds them there).
cp "$DMAJOURNAL" "$stage/dmajournal"
for lib in $(ldd "$DMAJOURNAL" | awk '/=>/ { print $3 } !/=>/ && /^\t\// { print $1 }'); do
  mkdir -p "$stage$(dirname "$lib")"; cp -L "$lib" "$stage$lib"
done
log "dmajournal $(du -h "$DMAJOURNAL" | cut -f1), libraries: $(ldd "$DMAJOURNAL" | awk '{print $1}' | xargs)"

# The NVMe driver and the modules it depends on, from each module's own depends= field.
declare -A module_path seen
while IFS= read -r f; do b=${f##*/}; b=${b%%.ko*}; module_path[${b//-/_}]=$f; done < <(find "$kdir/kernel" -name '*.ko*')
unpack() { case $1 in *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *) cat "$1" ;; esac; }
order=()
add_module() {
  local m=${1//-/_} f d
  [ -n "${seen[$m]:-}" ] && return; seen[$m]=1
  f=${module_path[$m]:-}
  [ -n "$f" ] || return 0   # built in
  for d in $(unpack "$f" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$d"; done
  unpack "$f" > "$stage/modules/$m.ko"; order+=("$m")
}
add_module nvme
printf '%s\n' "${order[@]}" > "$stage/plan/modules"
(cd "$stage" && find . | "$KLAB/busybox" cpio -o -H newc 2>/dev/null | gzip -1) > "$out/initrd.gz"
log "initramfs $(du -h "$out/initrd.gz" | cut -f1), modules: ${order[*]}"

truncate -s 256M "$out/work.img"
truncate -s 256M "$out/results.img"
qemu=(qemu-system-x86_64 -machine q35,kernel-irqchip=split -accel tcg -smp "$SMP" -m "$MEM" "${iommu[@]}"
      -drive "file=$out/work.img,if=none,id=work,format=raw,cache=unsafe" -device nvme,drive=work,serial=lab
      -drive "file=$out/results.img,if=none,id=results,format=raw,cache=unsafe" -device nvme,drive=results,serial=out
      -kernel "$kdir/vmlinuz" -initrd "$out/initrd.gz"
      -append "console=ttyS0 $kargs panic=-1 no_timer_check loglevel=4 trace_buf_size=8M"
      -display none -vga none -nic none -serial "file:$out/console.log" -monitor none -no-reboot)
printf '%q ' "${qemu[@]}" > "$out/qemu.cmd"; echo >> "$out/qemu.cmd"
log "$name: booting $kver under $(qemu-system-x86_64 --version | head -1)"
t0=$(date +%s)
"${qemu[@]}" </dev/null > "$out/qemu.log" 2>&1 &
qpid=$!
trap 'kill "$qpid" 2>/dev/null || true; rm -rf "$stage"' EXIT
while kill -0 "$qpid" 2>/dev/null; do
  if grep -qa '=====CAPLAB DONE=====' "$out/console.log" 2>/dev/null; then
    for _ in 1 2 3 4 5; do kill -0 "$qpid" 2>/dev/null && sleep 1; done
    kill "$qpid" 2>/dev/null || true; break
  fi
  if [ $(( $(date +%s) - t0 )) -ge "$TIMEOUT" ]; then log "timeout after ${TIMEOUT}s"; kill "$qpid" || true; break; fi
  sleep 1
done
wait "$qpid" 2>/dev/null || true
log "$name: QEMU ran $(( $(date +%s) - t0 )) s"
tr -d '\r' < "$out/console.log" | grep -a '^CAPLAB' > "$out/guest.log" || true
(cd "$out" && tar xf results.img 2>/dev/null && mv out guest) || { log "no results on the disk; console: $out/console.log"; exit 1; }
rm -f "$out/work.img" "$out/results.img" "$out/initrd.gz"
log "$name: results in $out/guest"
cat "$out/guest.log" >&2
