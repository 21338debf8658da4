import DMASim

/// mlx5 VFIO live migration (docs/workloads.md "Workloads" "VFIO mlx5 live migration"): virtual functions
/// behind a lazy IOMMU saving and loading device state through page-by-page linked
/// buffers.
enum VFIOMigrationTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 2 }

    static func device(at index: Int) -> DeviceProfile {
        DeviceProfile("vfio\(index)", role: .migrationBuffer, iommu: NVMeTopology.iommu)
    }
}
