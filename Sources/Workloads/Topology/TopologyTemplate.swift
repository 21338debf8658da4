import DMASim

/// The devices a built-in workload declares, before any override.
protocol TopologyTemplate {
    static var defaultDeviceCount: Int { get }
    /// Device `index` as declared before any override.
    static func device(at index: Int) -> DeviceProfile
    /// The bounce pool, where the workload declares one.
    static var swiotlb: SwiotlbSpec? { get }
}

extension TopologyTemplate {
    static var swiotlb: SwiotlbSpec? { nil }
}
