extension Engine {
    /// The map code `iommu_map_nosync()` runs for `domain` on this machine's kernel: (6.19+)
    /// the generic page table for an x86-64 IOMMU (VT-d, AMD-Vi), the driver's `map_pages`
    /// for everything else (`MapPath`). A needs-sync-map IOMMU stands for virtio-iommu,
    /// which keeps its own mappings on 7.3 too (`viommu_map_pages()`).
    func mapPath(for domain: DMADomain) -> MapPath {
        kernelRules.x86UsesGenericPageTable && machine.arch == .x86_64 && !domain.iommu.needsSyncMap ? .genericPageTable : .mapPages
    }
}
