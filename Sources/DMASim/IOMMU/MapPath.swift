/// Which code `iommu_map_nosync()` (drivers/iommu/iommu.c) runs for a domain. They differ
/// in what a bad map returns and prints.
enum MapPath: Sendable, Hashable {
    /// 7.3's generic page table (drivers/iommu/generic_pt/iommu_pt.h), taken when
    /// `iommupt_from_domain()` finds one: VT-d, AMD-Vi and RISC-V build their tables with
    /// it. `map_range()` refuses an unaligned IOVA or physical address with -ENXIO and a
    /// present PTE with -EADDRINUSE, printing nothing.
    case genericPageTable
    /// `__iommu_map_domain_pgtbl()` and the driver's `map_pages`: every domain on 6.16
    /// (modelled on io-pgtable-arm), and on 7.3 those of the drivers that kept their own
    /// (Arm SMMUs through io-pgtable-arm, virtio-iommu). The alignment check says
    /// "unaligned: …" with -EINVAL; `arm_lpae_init_pte()` WARNs and returns -EEXIST over a
    /// present PTE.
    case mapPages
}
