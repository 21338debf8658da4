import DMASim

/// The devices a built-in workload declares, before any override.
protocol TopologyTemplate {
    static var defaultDeviceCount: Int { get }
    /// Device `index` as declared before any override.
    static func device(at index: Int) -> DeviceProfile
    /// The bounce pool, where the workload declares one.
    static var swiotlb: SwiotlbSpec? { get }
    /// What the buffers' region is: `shared` (no `struct page`, outside the direct map)
    /// for most workloads, `ram` where every bounce must be able to copy.
    static var memoryKind: RegionKind { get }
}

extension TopologyTemplate {
    static var swiotlb: SwiotlbSpec? { nil }
    static var memoryKind: RegionKind { .shared }

    /// Whether an untrusted device of this workload can commit `unaligned-bounce`: its
    /// memory must be outside the direct map for the bounce copy to oops.
    static var hasUntrustedDeviceOnHiddenMemory: Bool {
        memoryKind != .ram && (0..<defaultDeviceCount).contains { device(at: $0).spec.isUntrusted }
    }
}
