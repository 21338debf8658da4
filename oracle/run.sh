#!/usr/bin/env bash
# Boot the oracle's guest on a plan and collect what the kernel printed.
#
# usage: oracle/run.sh PLAN_DIR
#
# PLAN_DIR holds (dmajournal oracle writes them; they can be written by hand):
#   guest.env   shell variables: IOMMU (intel | virtio | none), AW_BITS (intel: 39 or 48),
#               EDU (the edu devices' PCI addresses, "slot.function ..." in hex; "bypass:N.0" for one
#               no IOMMU translates, behind root port N of a bypass_iommu PCIe expander), GROUP_TYPES
#               ("BDF=DMA|DMA-FQ|identity ..."), KARGS (extra kernel arguments), MEM (guest RAM,
#               default 1G), MODULES (kernel modules /init loads first, e.g. virtio_iommu),
#               TIMEOUT (seconds, default 900)
#   commands    dmaoracle's commands (module/main.c)
#   data.bin    the bytes the script writes
# and gets console.log (the serial console, with dmesg between markers), qemu.log, qemu.cmd.
#
# QEMU: q35, TCG, one vCPU, -m $MEM, the kernel told mem=768M so the RAM above it has no
# struct page (a `shared` region's home); intel-iommu with caching-mode=off (with caching mode
# the driver forces strict invalidation, "IOMMU batching disallowed due to virtualization");
# no interrupt remapping (on a loaded host TCG is slow enough for the boot's IO-APIC timer
# check to fail, which is a panic with remapping on: no_timer_check skips it);
# every edu with dma_mask all ones (QEMU 7.2's default is 28 bits: the driver's mask is set
# by the module, from the script).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
plan=$(cd "${1:?usage: oracle/run.sh PLAN_DIR}" && pwd)
[ -s "$plan/guest.env" ] && [ -e "$plan/commands" ] || die "$plan: no guest.env or commands"
IOMMU=intel AW_BITS=48 EDU="10.0" GROUP_TYPES="" KARGS="" MEM=1G MODULES="" TIMEOUT=900
. "$plan/guest.env"

t0=$(date +%s%N)
parts=(kernel busybox); [ -n "$MODULES" ] && parts+=(modules)
"$ORACLE_DIR/fetch.sh" "${parts[@]}"
ko=$("$ORACLE_DIR/build-module.sh")
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is needed (apt-get install qemu-system-x86)"
t1=$(date +%s%N)

stage=$(mktemp -d "$plan/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev,plan,modules}
cp "$TREE/busybox" "$stage/bin/busybox"
cp "$ORACLE_DIR/guest/init" "$stage/init"; chmod 755 "$stage/init" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$ko" "$stage/dmaoracle.ko"
cp "$plan/guest.env" "$plan/commands" "$stage/plan/"
if [ -e "$plan/data.bin" ]; then cp "$plan/data.bin" "$stage/plan/"; else : > "$stage/plan/data.bin"; fi
for m in $MODULES; do
  f=$(find "$TREE/modules/kernel" -name "$m.ko*" -o -name "${m//_/-}.ko*" | head -1)
  [ -n "$f" ] || die "no module $m in $KVER"
  case $f in *.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *) cat "$f" ;; esac > "$stage/modules/$m.ko"
done
(cd "$stage" && find . | "$TREE/busybox" cpio -o -H newc 2>/dev/null | gzip -1) > "$plan/initramfs.gz"

qemu=(qemu-system-x86_64 -machine q35 -accel tcg -smp 1 -m "$MEM" -display none -vga none -nic none
      -monitor none -no-reboot -serial "file:$plan/console.log")
case $IOMMU in
  intel)  qemu+=(-device "intel-iommu,intremap=off,caching-mode=off,aw-bits=$AW_BITS")
          kargs="intel_iommu=on iommu.strict=1" ;;
  virtio) qemu+=(-device virtio-iommu-pci); kargs="iommu.strict=1" ;;
  none)   kargs="intel_iommu=off" ;;
  *) die "IOMMU=$IOMMU (intel, virtio, none)" ;;
esac
bypass_bus=""
for a in $EDU; do
  bus=pcie.0
  case $a in
    bypass:*)   # a device no IOMMU translates: behind root port N of a PCIe expander bus
      n=${a#bypass:}; n=${n%.*}; a=0.0; bus=bprp$n   # with bypass_iommu (firmware numbers it bus 0x81+N)
      if [ -z "$bypass_bus" ]; then
        bypass_bus=1; qemu+=(-device "pxb-pcie,id=pxb1,bus_nr=0x80,bus=pcie.0,addr=0x1e,bypass_iommu=true")
      fi
      qemu+=(-device "pcie-root-port,id=bprp$n,bus=pxb1,chassis=$((n + 1)),addr=0x$n") ;;
  esac
  slot=${a%.*} fn=${a#*.}
  mf=""; [ "$fn" = 0 ] && [[ " $EDU " == *" $slot.1 "* ]] && mf=",multifunction=on"
  qemu+=(-device "edu,bus=$bus,addr=0x$slot.$fn,dma_mask=0xffffffffffffffff$mf")
done
append="console=ttyS0 quiet panic=-1 no_timer_check mem=768M log_buf_len=8M nowatchdog rcupdate.rcu_cpu_stall_suppress=1 tsc=reliable $kargs $KARGS"
qemu+=(-kernel "$TREE/vmlinuz" -initrd "$plan/initramfs.gz" -append "$append")
printf '%q ' "${qemu[@]}" > "$plan/qemu.cmd"; echo >> "$plan/qemu.cmd"

rm -f "$plan/console.log"
log "booting $KVER (QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p'), $IOMMU, ${EDU// /, })"
"${qemu[@]}" </dev/null >"$plan/qemu.log" 2>&1 &
qpid=$!
# stop QEMU (ours, by its pid) if this script is interrupted; drop the initramfs afterwards
trap 'kill "$qpid" 2>/dev/null || true; rm -rf "$stage" "$plan/initramfs.gz"' EXIT
end=$(( $(date +%s) + TIMEOUT ))
while kill -0 "$qpid" 2>/dev/null; do
  if grep -qa '^=====DMAORACLE DMESG END=====' "$plan/console.log" 2>/dev/null; then
    for _ in 1 2 3 4 5; do kill -0 "$qpid" 2>/dev/null && sleep 1; done
    kill "$qpid" 2>/dev/null || true; break
  fi
  if [ "$(date +%s)" -ge "$end" ]; then log "timeout after ${TIMEOUT}s"; kill "$qpid" 2>/dev/null || true; break; fi
  sleep 0.5
done
wait "$qpid" 2>/dev/null || true
t2=$(date +%s%N)
printf 'prepare_ms=%d qemu_ms=%d\n' $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 )) > "$plan/times"
log "guest done: prepare $(cut -d' ' -f1 "$plan/times"), $(cut -d' ' -f2 "$plan/times")"
grep -qa '^=====DMAORACLE DMESG END=====' "$plan/console.log" || { log "no complete dmesg in $plan/console.log"; exit 3; }
