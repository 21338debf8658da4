import DMASim

/// Block I/O through nvme-pci (docs/workloads.md "Workloads" "Block / NVMe"): controllers behind a lazy IOMMU,
/// the x86 default (`CONFIG_IOMMU_DEFAULT_DMA_LAZY`), and every fourth on dma-direct,
/// where `dma_iova_try_alloc` falls back and requests are mapped segment by segment.
enum NVMeTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 4 }

    static func device(at index: Int) -> DeviceProfile {
        DeviceProfile("nvme\(index)", role: .blockQueue, iommu: index % 4 == 3 ? nil : Self.iommu)
    }

    static let iommu = IOMMUSpec(name: "mmu0", mode: .lazy)
}
