import DMASim

/// RDMA on-demand paging (docs/workloads.md "Workloads" "HMM / RDMA ODP"): mlx5 ports behind a lazy IOMMU,
/// each with a couple of large, sparsely faulted memory regions at a time.
enum RDMAODPTopology: TopologyTemplate {
    static var defaultDeviceCount: Int { 2 }

    static func device(at index: Int) -> DeviceProfile {
        DeviceProfile("mlx5_\(index)", role: .odpRegion, iommu: NVMeTopology.iommu)
    }
}
