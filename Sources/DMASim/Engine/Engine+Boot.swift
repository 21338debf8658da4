/// Boot: the declarations come first; the first op that is not one ends boot, and with it
/// the kernel's early choices the script did not make itself. The one modelled is the
/// swiotlb pool (`swiotlb_init()` from `mem_init()`): where no `swiotlb` line declared one
/// (or `swiotlb noforce` refused it), the kernel makes one when its rules say so.
///
/// - x86-64 (`pci_swiotlb_detect()`, arch/x86/kernel/pci-dma.c): only when RAM reaches
///   above 4 GiB (`max_possible_pfn > MAX_DMA32_PFN`), `CONFIG_SWIOTLB_DEFAULT_SIZE_MB`
///   (64 MiB). So a machine with an IOMMU and under 4 GiB of RAM has none
///   (the lab runs of 7.3.4, fixtures/scripts/lab/: "DMA bounce buffers are inactive").
/// - arm64 (`arch_mm_preinit()`, arch/arm64/mm/init.c): always, for
///   `CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC`; 64 MiB when RAM reaches past the 32-bit DMA
///   zone, else 1 MiB per GiB of RAM (rounded up to whole 256 KiB segments).
///
/// `kind=shared` memory is RAM the kernel does not own (above `mem=`): it does not count.
/// `swiotlb_memblock_alloc()` takes the pool with `memblock_alloc_low()`, top-down below
/// `ARCH_LOW_ADDRESS_LIMIT` (4 GiB): the model puts it at the top of the highest RAM
/// region below 4 GiB that holds it (the kernel's own reservations push it somewhat
/// lower: 0x2c640000 under a 768 MiB lab guest's top). The kernel's "software IO TLB:
/// mapped [mem …]" line, which the model prints too, says where; a script that needs the
/// kernel's exact address declares `swiotlb size= base=` itself.
extension Engine {
    func finishBoot(into outcome: inout Outcome) {
        booted = true
        guard swiotlb == nil, let spec = bootSwiotlb.map(placedOnTheCommandLine) ?? defaultSwiotlb() else { return }
        if let problem = placePool(spec) {
            outcome.warnings.append("swiotlb: no pool of \(spec.sizeBytes >> 10)K: \(problem)")
            return
        }
        swiotlb = spec
        swiotlbPool = SwiotlbPool(base: spec.base, sizeBytes: spec.sizeBytes)
        outcome.warnings.append("software IO TLB: mapped [mem 0x\(Self.hex16(spec.base))-0x\(Self.hex16(spec.base + spec.sizeBytes))] "
            + "(\(spec.sizeBytes >> 20)MB)")
    }

    /// The pool of `bootSwiotlb`, where `swiotlb_memblock_alloc()` puts the pool a command
    /// line's `swiotlb=N[,force]` asks for: top-down in the RAM below 4 GiB, like the
    /// default one; at the spec's own base when no RAM there holds it.
    private func placedOnTheCommandLine(_ asked: SwiotlbSpec) -> SwiotlbSpec {
        guard var spec = placement(ofPoolBytes: asked.sizeBytes, below: 1 << 32, in: memory.regions.filter { $0.kind == .ram }) else {
            return asked
        }
        spec.force = asked.force
        return spec
    }

    /// The pool the machine has once booted (declared, or made at boot); nil for none.
    public var bootedSwiotlb: SwiotlbSpec? { swiotlbPool == nil ? nil : swiotlb }

    /// The pool the kernel would set up on this machine, placed; nil for none.
    private func defaultSwiotlb() -> SwiotlbSpec? {
        let fourGiB: UInt64 = 1 << 32
        let ram = memory.regions.filter { $0.kind == .ram }
        let reachesPastFourGiB = ram.contains { $0.end! > fourGiB }
        let sizeBytes: UInt64
        switch machine.arch {
        case .x86_64:
            guard reachesPastFourGiB else { return nil }
            sizeBytes = SwiotlbSpec.defaultSizeBytes
        case .arm64:
            let segment = SwiotlbPool.slotBytes * UInt64(SwiotlbPool.segmentSlots)
            let perGiB = ram.reduce(UInt64(0)) { $0 &+ $1.sizeBytes } / 1024
            sizeBytes = reachesPastFourGiB ? SwiotlbSpec.defaultSizeBytes
                : min(SwiotlbSpec.defaultSizeBytes, max(segment, (perGiB + segment - 1) / segment * segment))
        }
        return placement(ofPoolBytes: sizeBytes, below: fourGiB, in: ram)
    }

    private func placement(ofPoolBytes sizeBytes: UInt64, below limit: UInt64, in ram: [RegionSpec]) -> SwiotlbSpec? {
        for region in ram.sorted(by: { $0.base > $1.base }) where region.base < limit {
            let top = min(region.end!, limit) & ~(UInt64(SwiotlbPool.pageBytes) - 1)   // memblock_alloc_low(…, PAGE_SIZE)
            guard top >= region.base, top - region.base >= sizeBytes else { continue }
            let spec = SwiotlbSpec(sizeBytes: sizeBytes, base: top - sizeBytes)
            if poolPlacementProblem(spec) == nil { return spec }
        }
        return nil
    }
}
