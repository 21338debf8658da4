/// Where the kernels the model follows differ: every release from 6.16 (the first with the
/// two-step API) to 7.3 (the default, the lab's kernel), on x86-64 or arm64, as the
/// `machine` line declares them. Each rule is named for what it decides, cites the change
/// behind it and says from which release it holds; docs/kernel-model.md lists them.
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
    var linksEmptyMiddleAndUnwindsFromZero: Bool { version < .v6_18 }

    /// The `DMA_ATTR_*` bits this kernel defines: `DMA_ATTR_MMIO` from 6.18 (the
    /// dma-mapping-6.18 pull), `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` (mst's
    /// `DMA_ATTR_CPU_CACHE_CLEAN`, renamed in the 7.0 fixes) and `DMA_ATTR_REQUIRE_COHERENT`
    /// from 7.0, `DMA_ATTR_CC_SHARED` from 7.1 ("dma-mapping: introduce DMA_ATTR_CC_SHARED
    /// for shared memory", f0548044a026, in tag dma-mapping-7.1-2026-04-16, which Linus
    /// merged as 87768582a440 on 2026-04-17, the 7.1 merge window). An older kernel ignores
    /// the newer bits, so an MMIO link on 6.17 gets `IOMMU_CACHE` on a coherent device,
    /// cache maintenance and bounces like RAM (the P2P bugs 6.18 fixed).
    var knownAttributes: DMAAttributes {
        var known = Self.everyNamedAttribute
        if version < .v6_18 { known.remove(.mmio) }
        if version < .v7_0 { known.subtract([.debuggingIgnoreCachelines, .requireCoherent]) }
        if version < .v7_1 { known.remove(.ccShared) }
        return known
    }

    /// Every bit `DMAAttributes` names, made once: the engine asks `knownAttributes` on
    /// every call, and building it from the name list each time was 1 % of an import.
    private static let everyNamedAttribute = DMAAttributes(DMAAttributes.namedFlags.map(\.flag))

    /// `CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC`: arm64 selects it (small kmalloc buffers keep
    /// `ARCH_KMALLOC_MINALIGN` 8 and are bounced for non-coherent DMA instead); x86 has
    /// no non-coherent DMA to protect, so `dma_kmalloc_safe()` is always true there.
    var bouncesUnalignedKmalloc: Bool { architecture == .arm64 }

    /// `dma_get_cache_alignment()`: arm64's `ARCH_DMA_MINALIGN`, 128 (what its
    /// `cache_line_size()` answers when `CTR_EL0.CWG` is not reported, and on the
    /// 128-byte-line parts the value exists for); x86 defines no `ARCH_DMA_MINALIGN`, so
    /// `dma_get_cache_alignment()` is 1 (include/linux/dma-mapping.h).
    var dmaCacheAlignment: UInt64 { architecture == .arm64 ? 128 : 1 }

    /// `add_dma_entry()`: from 7.0 "cacheline tracking EEXIST" is reported only when
    /// `dma_get_cache_alignment() >= L1_CACHE_BYTES` (64 on both architectures): never on
    /// x86, where overlapping small buffers are harmless ("dma-debug: suppress cacheline
    /// overlap warning when arch has no DMA alignment requirement", 3d48c9fd78dd, a 7.0-rc
    /// fix taken into 6.19.y; bugzilla 215740). Before, on every architecture.
    package var reportsCachelineOverlap: Bool { version < .v7_0 || dmaCacheAlignment >= 64 }

    /// 7.0: the overlap is allowed when both mappings carry
    /// `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` or `DMA_ATTR_REQUIRE_COHERENT`; and
    /// `active_cacheline_inc_overlap()` no longer WARNs ("exceeded 7 overlapping mappings")
    /// for a mapping that carries one ("dma-debug: Allow multiple invocations of
    /// overlapping entries", eca58535b154, 7.0 fixes).
    var toleratesMarkedCachelineOverlap: Bool { version >= .v7_0 }

    /// 7.2: dma-debug keeps each mapping's attributes and `check_unmap()` reports an unmap
    /// whose `DMA_ATTR_UNMAP_VALID` bits differ ("dma-debug: Ensure mappings are created
    /// and released with matching attributes", a34bd60bdaeb, with "Record DMA attributes
    /// in debug entry" and "Feed DMA attribute for unmapping flows too"; in tag
    /// dma-mapping-7.2-2026-06-16, which Linus merged as 4cc14386e350 on 2026-06-17, the
    /// 7.2 merge window, next to memblock-v7.2-rc1).
    var debugChecksUnmapAttributes: Bool { version >= .v7_2 }

    /// 7.1: `debug_dma_map_phys()` reports `DMA_ATTR_MMIO` on a valid, unreserved RAM page
    /// ("dma-mapping: move dma_map_resource() sanity check into debug code", af0c3f058662,
    /// Fixes f7326196a781; in tag dma-mapping-7.1-2026-05-22, merged as 1c04dcd891c0 for
    /// 7.1-rc5). Stable took it into 6.18.y and 7.0.y too (review patches of 2026-05-28,
    /// "[PATCH 7.0 357/461]" and "[PATCH 6.18 314/377]"); the model follows mainline
    /// releases, so 6.18 and 7.0 stand for their .0. Before, only `dma_map_resource()`
    /// checked (`WARN_ON_ONCE(pfn_valid())`), which no op calls.
    package var debugChecksMMIOOnRAM: Bool { version >= .v7_1 }

    /// 6.19: VT-d and AMD-Vi map through the generic IOMMU page table (iommupt; "iommu/vt-d:
    /// Use the generic iommu page table", d373449d8e97, iommu pull for 6.19): a present PTE
    /// is -EADDRINUSE and an unaligned range -ENXIO, silently.
    var x86UsesGenericPageTable: Bool { version >= .v6_19 }

    /// 7.3: `dma_iova_destroy()` is `dma_iova_unlink()` then `dma_iova_free()`, both at
    /// once (measured on 7.3.4). The commit was not found in the archives searched (pushes
    /// to torvalds/linux, linux-next, the dma-mapping tree), so the release is bounded, not
    /// read: a dma-iommu.c with `arch_sync_dma_flush()` (from "dma-mapping: Separate DMA
    /// sync issuing and completion waiting", d7eafe655b74, 7.1 merge window) still unlinks
    /// with `free_iova = true`, as 6.16 did; 7.3.4 does not. 7.1 and 7.2 keep 6.16's
    /// destroy here until a source says otherwise.
    var destroyUnlinksThenFrees: Bool { version >= .v7_3 }
}
