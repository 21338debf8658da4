import DMASim

/// Peer-to-peer DMA to a BAR (docs/workloads.md "Workloads" "dma-buf / VFIO BAR export"): importers behind a
/// strict IOMMU move data between a 16 GiB GPU BAR, linked with `DMA_ATTR_MMIO`, and
/// the shared region, in the same IOVA range.
enum GPUP2PTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 2 }

    static func device(at index: Int) -> DeviceProfile {
        DeviceProfile("nic\(index)", role: .peerTransfer, iommu: Self.iommu)
    }

    static let iommu = IOMMUSpec(name: "mmu0", mode: .strict)
}
