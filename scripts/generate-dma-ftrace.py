#!/usr/bin/env python3
"""Writes a synthetic ftrace text of DMA API traffic, for measuring `dmajournal import`.

    python3 scripts/generate-dma-ftrace.py 1000000 > big.txt
    dmajournal import big.txt --journal big.db --quiet

Four PCI devices map, sync and unmap buffers (dma_map_page, dma_sync_single_for_cpu,
dma_unmap_page) from a pool of 4096 IOVAs that is reused as the kernel's allocator
would; about 5% of lines are io_page_fault events (most on IOVAs no longer mapped) and
5% sched_switch lines the importer skips. Seeded: the same count gives the same file.

The faults hit IOVAs the trace's own allocator handed out again, which the model's
allocator places elsewhere, so `dmajournal replay` parts from them at the first such
fault. `--no-faults` writes a sched_switch line in place of each fault (the same file
otherwise): a trace whose replay runs to its end, for measuring replay.
"""
import random
import sys


def main(count, faults=True):
    rng = random.Random(1)
    out = sys.stdout
    out.write("# tracer: nop\n#\n")
    free = [0xFFF00000 - index * 0x1000 for index in range(4096)]
    live = []
    time = 1000.0
    for line in range(count):
        time += 0.000001
        cpu = line % 8
        prefix = "     kworker/%d:1-%d      [%03d] d..2. %.6f: " % (cpu, 100 + cpu, cpu, time)
        roll = rng.random()
        if roll < 0.35 and free:
            address, size = free.pop(), rng.choice([512, 1500, 4096])
            direction, device = rng.choice(["TO_DEVICE", "FROM_DEVICE", "BIDIRECTIONAL"]), "0000:0%d:00.0" % rng.randint(1, 4)
            out.write(prefix + "dma_map_page: %s dir=%s dma_addr=%x size=%d phys_addr=%x attrs=\n"
                      % (device, direction, address, size, 0x100000000 + address))
            live.append((address, size, direction, device))
        elif roll < 0.55 and live:
            address, size, direction, device = live[-1]
            out.write(prefix + "dma_sync_single_for_cpu: %s dir=%s dma_addr=%x size=%d\n" % (device, direction, address, size))
        elif roll < 0.9 and live:
            address, size, direction, device = live.pop(rng.randrange(len(live)))
            out.write(prefix + "dma_unmap_page: %s dir=%s dma_addr=%x size=%d attrs=\n" % (device, direction, address, size))
            free.append(address)
        elif roll < 0.95 or not faults:
            out.write("          <idle>-0       [%03d] d.h1. %.6f: sched_switch: prev_comm=swapper prev_pid=0 ==> next_comm=bash next_pid=12\n"
                      % (cpu, time))
        else:
            address = rng.choice(free) if free else 0x1000
            out.write("          <idle>-0       [%03d] d.h1. %.6f: io_page_fault: IOMMU:xhci_hcd 0000:0%d:00.0 iova=0x%016x flags=0x0000\n"
                      % (cpu, time, rng.randint(1, 4), address))


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--no-faults"]
    main(int(arguments[0]) if arguments else 1_000_000, faults="--no-faults" not in sys.argv[1:])
