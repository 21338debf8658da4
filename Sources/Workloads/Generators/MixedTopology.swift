import DMASim

/// The cluster-shared-memory case: every kind of driver on one large region at once,
/// on devices that differ in everything the DMA layer cares about. Device i is the
/// (i mod 6)-th of:
///
/// | device  | driver | IOMMU                               | mask | coherent | trusted |
/// |---------|--------|-------------------------------------|------|----------|---------|
/// | nvme    | block  | mmu0 strict                         | 64   | yes      | yes     |
/// | mlx5_   | ODP    | mmu1 lazy                           | 64   | yes      | yes     |
/// | vfio    | mlx5   | mmu1 lazy                           | 48   | no       | yes     |
/// | gpu     | P2P    | mmu0 strict                         | 40   | yes      | yes     |
/// | nvme    | block  | none (dma-direct: the fallback)     | 64   | no       | yes     |
/// | tb      | block  | mmu2 lazy, needs-sync-map (virtio)  | 32   | no       | no (Thunderbolt) |
///
/// No swiotlb: every link and map is granule aligned, so the untrusted Thunderbolt device
/// never needs a bounce, and a dma-direct map beyond a (narrowed) DMA mask fails with
/// DMA_MAPPING_ERROR as the generator's claims expect, instead of bouncing.
enum MixedTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 6 }

    static func device(at index: Int) -> DeviceProfile {
        switch index % 6 {
        case 0: return DeviceProfile("nvme\(index)", role: .blockQueue, iommu: Self.strict)
        case 1: return DeviceProfile("mlx5_\(index)", role: .odpRegion, iommu: Self.lazy)
        case 2: return DeviceProfile("vfio\(index)", role: .migrationBuffer, iommu: Self.lazy, dmaBits: 48, coherent: false)
        case 3: return DeviceProfile("gpu\(index)", role: .peerTransfer, iommu: Self.strict, dmaBits: 40)
        case 4: return DeviceProfile("nvme\(index)", role: .blockQueue, iommu: nil, coherent: false)
        default: return DeviceProfile("tb\(index)", role: .blockQueue, iommu: Self.virtio, dmaBits: 32, coherent: false, untrusted: true)
        }
    }

    static let strict = IOMMUSpec(name: "mmu0", mode: .strict)
    static let lazy = IOMMUSpec(name: "mmu1", mode: .lazy)
    static let virtio = IOMMUSpec(name: "mmu2", mode: .lazy, needsSyncMap: true)
}
