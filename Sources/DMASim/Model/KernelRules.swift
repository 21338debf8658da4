/// Where the kernels the model follows differ: Linux 7.3 (the default, the lab's kernel)
/// and 6.16 (the first with the two-step API), on x86-64 or arm64, as the `machine` line
/// declares them. Each rule is named for what it decides and cites the change behind it;
/// docs/kernel-model.md lists them.
struct KernelRules: Hashable, Sendable {
    var version: KernelVersion
    var architecture: Architecture

    init(_ machine: MachineSpec) {
        version = machine.kernel
        architecture = machine.arch
    }

    /// 6.18 ("iommu/dma: Do not try to iommu_map a 0 length region in swiotlb",
    /// 6ec91df8aff7): `iommu_dma_iova_link_swiotlb()` links the aligned middle only when
    /// there is one, and its error unwind unlinks from the failing link's `offset`, only
    /// what it mapped. 6.16 linked an empty middle and unwound from offset 0.
    var linksEmptyMiddleAndUnwindsFromZero: Bool { version == .v6_16 }

    /// The page table behind an IOMMU's `map_range`: 7.3's x86 drivers (VT-d, AMD) use
    /// the generic page table (drivers/iommu/generic_pt), which refuses an unaligned
    /// physical address with -ENXIO and no message (`pt_iommu_map_range()`: no page size
    /// fits); everything else goes through `__iommu_map_domain_pgtbl()`: -EINVAL and the
    /// "unaligned: iova … pa … size … min_pagesz …" pr_err. virtio-iommu (the IOMMUs that
    /// need `iotlb_sync_map`) keeps its own page table in 7.3, and arm64's SMMUv3 uses
    /// io-pgtable-arm.
    func usesGenericPageTable(_ iommu: IOMMUSpec) -> Bool {
        version == .v7_3 && architecture == .x86_64 && !iommu.needsSyncMap
    }
}
