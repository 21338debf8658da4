/// Where the kernels the model follows differ: Linux 7.3 (the default, the lab's kernel)
/// and 6.16 (the first with the two-step API), on x86-64 or arm64, as the `machine` line
/// declares them. Each rule is named for what it decides and cites the change behind it;
/// docs/kernel-model.md lists them.
package struct KernelRules: Hashable, Sendable {
    var version: KernelVersion
    var architecture: Architecture

    package init(_ machine: MachineSpec) {
        version = machine.kernel
        architecture = machine.arch
    }

    /// 6.18 ("iommu/dma: Do not try to iommu_map a 0 length region in swiotlb",
    /// 6ec91df8aff7): `iommu_dma_iova_link_swiotlb()` links the aligned middle only when
    /// there is one, and its error unwind unlinks from the failing link's `offset`, only
    /// what it mapped. 6.16 linked an empty middle and unwound from offset 0.
    var linksEmptyMiddleAndUnwindsFromZero: Bool { version == .v6_16 }

    /// The `DMA_ATTR_*` bits this kernel defines. 6.16 has neither `DMA_ATTR_MMIO` (6.18)
    /// nor `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` and `DMA_ATTR_REQUIRE_COHERENT` (7.0):
    /// it ignores those bits, so an MMIO link there gets `IOMMU_CACHE` on a coherent
    /// device, cache maintenance and bounces like RAM (the P2P bugs 6.18 fixed).
    var knownAttributes: DMAAttributes {
        let all = DMAAttributes(DMAAttributes.namedFlags.map(\.flag))
        return version == .v6_16 ? all.subtracting([.mmio, .debuggingIgnoreCachelines, .requireCoherent]) : all
    }

    /// `CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC`: arm64 selects it (small kmalloc buffers keep
    /// `ARCH_KMALLOC_MINALIGN` 8 and are bounced for non-coherent DMA instead); x86 has
    /// no non-coherent DMA to protect, so `dma_kmalloc_safe()` is always true there.
    var bouncesUnalignedKmalloc: Bool { architecture == .arm64 }

    /// `dma_get_cache_alignment()`: arm64's `ARCH_DMA_MINALIGN`, 128 (what its
    /// `cache_line_size()` answers when `CTR_EL0.CWG` is not reported, and on the
    /// 128-byte-line parts the value exists for); x86 defines no `ARCH_DMA_MINALIGN`, so
    /// `dma_get_cache_alignment()` is 1 (include/linux/dma-mapping.h).
    var dmaCacheAlignment: UInt64 { architecture == .arm64 ? 128 : 1 }

    /// `add_dma_entry()`: 7.x reports "cacheline tracking EEXIST" only when
    /// `dma_get_cache_alignment() >= L1_CACHE_BYTES` (64 on both architectures): never on
    /// x86, where overlapping small buffers are harmless ("dma-debug: ... false positive",
    /// bugzilla 215740, 2026). 6.16 reported on every architecture.
    package var reportsCachelineOverlap: Bool { version == .v6_16 || dmaCacheAlignment >= 64 }

    /// 7.0: the overlap is allowed when both mappings carry
    /// `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` or `DMA_ATTR_REQUIRE_COHERENT`.
    var toleratesMarkedCachelineOverlap: Bool { version == .v7_3 }
}
