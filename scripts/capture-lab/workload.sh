#!/bin/busybox sh
# The NVMe workload a lab capture traces: O_DIRECT dd at sizes that take the two-step path
# (multi-segment requests: dma_iova_try_alloc/link/sync/destroy) and sizes that do not.
# usage: workload.sh DEV [loop|bench]   (loop repeats until killed)
dev=$1; mode=${2:-once}
MB=1048576
round() {
  dd if=$dev of=/dev/null bs=16k count=40 iflag=direct 2>/dev/null
  dd if=/dev/zero of=$dev bs=64k count=16 seek=$((64*MB)) oflag=seek_bytes,direct conv=notrunc 2>/dev/null
  dd if=$dev of=/dev/null bs=4608 count=20 skip=$((128*MB)) iflag=skip_bytes,direct 2>/dev/null
  dd if=$dev of=/dev/null bs=128k count=8 iflag=direct 2>/dev/null
  dd if=$dev of=/dev/null bs=4k count=40 iflag=direct 2>/dev/null
}
case $mode in
  loop) while :; do round; done ;;
  bench) i=0; while [ $i -lt 5 ]; do round; i=$((i+1)); done ;;
  *) round ;;
esac
