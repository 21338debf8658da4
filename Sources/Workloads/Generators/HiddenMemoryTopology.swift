import DMASim

/// The seed's case (docs/workloads.md "`hidden-memory`"): a driver DMAing to memory the
/// kernel has no `struct page` for (RAM above `mem=`, cluster or device memory: the
/// shared region, outside the direct map), with an untrusted device among its devices.
/// Nothing goes wrong while every range is granule aligned and nothing forces a bounce;
/// the first bounce copies through `phys_to_virt()` and the call never returns. Two ways
/// in, both deterministic: `--inject unaligned-bounce` (an unaligned range for the
/// untrusted device: `dma_iova_link()` → `iommu_dma_iova_link_swiotlb()` →
/// `swiotlb_tbl_map_single()`) and `--swiotlb-force` (every map of the dma-direct device:
/// `dma_map_phys()` → `dma_direct_map_phys()` → `swiotlb_map()` →
/// `swiotlb_tbl_map_single()`), the two oopses of the lab runs (fixtures/scripts/lab/).
/// Device i is the (i mod 3)-th of:
///
/// | device | IOMMU                 | trusted         | like the lab's                  |
/// |--------|-----------------------|-----------------|---------------------------------|
/// | nvme   | mmu0 lazy             | yes             | intel-iommu run                 |
/// | tb     | mmu0 (strict domain)  | no (Thunderbolt)| edu-untrusted run               |
/// | edu    | none (dma-direct)     | yes             | noiommu run                     |
///
/// The pool is the 64 MiB one a machine with RAM above 4 GiB boots with.
enum HiddenMemoryTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 3 }

    static func device(at index: Int) -> DeviceProfile {
        switch index % 3 {
        case 0: return DeviceProfile("nvme\(index)", role: .blockQueue, iommu: NVMeTopology.iommu)
        case 1: return DeviceProfile("tb\(index)", role: .blockQueue, iommu: NVMeTopology.iommu, untrusted: true,
                                     minAlignMask: ThunderboltTopology.nvmeControllerPageMask)
        default: return DeviceProfile("edu\(index)", role: .blockQueue, iommu: nil)
        }
    }

    static var swiotlb: SwiotlbSpec? { SwiotlbSpec(sizeBytes: SwiotlbSpec.defaultSizeBytes) }
}
