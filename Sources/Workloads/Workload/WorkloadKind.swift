/// The workloads `dmajournal record --workload` offers. Each models one in-tree user of
/// the two-step DMA API (docs/workloads.md "Workloads"); the raw value is the command-line spelling.
public enum WorkloadKind: String, Sendable, CaseIterable, Hashable {
    /// Block requests: block/blk-mq-dma.c and drivers/nvme/host/pci.c.
    case nvme
    /// On-demand paging: mm/hmm.c and drivers/infiniband/core/umem_odp.c.
    case rdmaODP = "rdma-odp"
    /// Live-migration buffers: drivers/vfio/pci/mlx5/cmd.c `register_dma_pages`.
    case vfioMigration = "vfio-migration"
    /// Peer-to-peer MMIO (a BAR) beside shared memory: dma-buf / VFIO BAR export.
    case gpuP2P = "gpu-p2p"
    /// All of the above on several kinds of device sharing one region.
    case mixed
    /// NVMe behind a Thunderbolt port: untrusted devices whose unaligned ranges dma-iommu
    /// bounces through swiotlb, on RAM the kernel maps.
    case thunderbolt
    /// The seed's case: memory outside the direct map, an untrusted device among the
    /// devices, and the bounce that oopses (`unaligned-bounce`, `--swiotlb-force`).
    case hiddenMemory = "hidden-memory"

    /// The generator for this workload.
    public var generator: any WorkloadGenerator { BuiltInWorkload(self) }
}
