import DMASim

/// NVMe behind a Thunderbolt port (docs/workloads.md "`thunderbolt`"): the port is
/// external-facing, so the PCI core marks the device `untrusted`, its domain is always a
/// strict DMA domain (`iommu_get_default_domain_type()`), and dma-iommu bounces every
/// range that is not granule aligned through swiotlb (`dev_use_swiotlb()`). The driver
/// does O_DIRECT I/O from sector-aligned buffers, so each request's first and last
/// granules are bounced (`iommu_dma_iova_link_swiotlb()`: head and tail through
/// `swiotlb_tbl_map_single()`, copied back at unlink by `swiotlb_tbl_unmap_single()`), and
/// it sets `dma_set_min_align_mask(NVME_CTRL_PAGE_SIZE - 1)`, without which the slot
/// could not be linked (-ENXIO). The buffers are RAM the kernel maps, so every bounce
/// copies and every claim holds. Device i is the (i mod 3)-th of:
///
/// | device   | IOMMU     | trusted | buffers                    |
/// |----------|-----------|---------|----------------------------|
/// | tbnvme   | mmu0 lazy | no      | sector aligned (bounced)   |
/// | tbnvme   | mmu0 lazy | no      | sector aligned (bounced)   |
/// | nvme     | mmu0 lazy | yes     | page aligned (in place)    |
///
/// The pool is the one a machine with RAM above 4 GiB boots with: 64 MiB
/// (`CONFIG_SWIOTLB_DEFAULT_SIZE_MB`).
enum ThunderboltTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 3 }

    static func device(at index: Int) -> DeviceProfile {
        guard index % 3 != 2 else { return DeviceProfile("nvme\(index)", role: .blockQueue, iommu: NVMeTopology.iommu) }
        var device = DeviceProfile("tbnvme\(index)", role: .blockQueue, iommu: NVMeTopology.iommu, untrusted: true,
                                   minAlignMask: nvmeControllerPageMask)
        device.sectorAligned = true
        return device
    }

    /// `NVME_CTRL_PAGE_SIZE - 1`, what nvme-pci passes to `dma_set_min_align_mask()`.
    static let nvmeControllerPageMask: UInt64 = 0xfff
    static var swiotlb: SwiotlbSpec? { SwiotlbSpec(sizeBytes: SwiotlbSpec.defaultSizeBytes) }
    static var memoryKind: RegionKind { .ram }
}
