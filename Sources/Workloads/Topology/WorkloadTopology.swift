import DMASim

/// The machine a workload runs on: regions, IOMMUs and devices, as the first ops of the
/// stream and as what the generator knows of each device.
public struct WorkloadTopology: Sendable {
    /// `machine` (when a kernel is asked for), `region`, `swiotlb`, `iommu` and `device`
    /// declarations, in that order.
    public let ops: [Op]
    let devices: [DeviceProfile]
    /// The large region every device shares: no `struct page`.
    let shared: RegionSpec
    /// The peer device's BAR, when a device does peer transfers.
    let bar: RegionSpec?

    /// Where the shared region starts: 16 TiB, above any RAM, reachable by a 45-bit mask.
    static let sharedBase: UInt64 = 0x1000_0000_0000
    /// A 16 GiB 64-bit BAR at 512 GiB.
    static let barRegion = RegionSpec(name: "bar0", base: 0x80_0000_0000, sizeBytes: 16 << 30, kind: .mmio)

    init(template: any TopologyTemplate.Type, options: WorkloadOptions) throws(WorkloadError) {
        let count = options.deviceCount ?? template.defaultDeviceCount
        var swiotlb = options.swiotlb(default: template.swiotlb)
        // dma-iommu bounces through the pool: without one an unaligned link fails with
        // -ENOMEM ("DMA bounce buffers are inactive"), so the misuse would not show as itself.
        if swiotlb == nil, options.injections.contains(where: { $0.injectionClass == .unalignedBounce }) {
            swiotlb = SwiotlbSpec(sizeBytes: SwiotlbSpec.defaultSizeBytes)
        }
        var devices = (0..<count).map { options.applyOverrides(to: template.device(at: $0)) }
        for index in devices.indices {
            devices[index].swiotlb = swiotlb
            devices[index].memoryDirectMapped = template.memoryKind.isDirectMapped
        }
        for spec in options.injections {
            try Self.fit(spec.injectionClass, into: &devices, options: options)
        }
        self.devices = devices
        shared = RegionSpec(name: template.memoryKind == .ram ? "ram0" : "shm0", base: Self.sharedBase,
                            sizeBytes: options.regionSizeBytes, kind: template.memoryKind)
        bar = devices.contains { $0.role == .peerTransfer } ? Self.barRegion : nil
        let machine = options.kernel.map { [Op.machine(MachineSpec(kernel: $0))] } ?? []
        ops = machine + Self.declarations(regions: [shared] + (bar.map { [$0] } ?? []), swiotlb: swiotlb, devices: devices)
    }

    /// Makes sure some device can commit `injection`: turns on needs-sync-map, or makes
    /// devices non-coherent, when nothing overrides that and no device qualifies yet.
    private static func fit(_ injection: InjectionClass, into devices: inout [DeviceProfile], options: WorkloadOptions) throws(WorkloadError) {
        if devices.contains(where: { $0.canCommit(injection) }) { return }
        if injection == .missingSync && options.needsSyncMap == nil {
            for index in devices.indices { devices[index].iommu?.needsSyncMap = true }
        }
        if injection == .skippedCacheSync {
            for index in devices.indices { devices[index].spec.coherent = false }
        }
        guard devices.contains(where: { $0.canCommit(injection) }) else {
            throw .injectionNeedsTopology(injection, unfitReason(injection, devices))
        }
    }

    private static func unfitReason(_ injection: InjectionClass, _ devices: [DeviceProfile]) -> String {
        let mapping = devices.filter(\.usesIOVA)
        if injection == .unalignedBounce, !mapping.contains(where: \.spec.isUntrusted) {
            return "no untrusted device with an IOMMU DMA domain (declare more devices)"
        }
        if mapping.isEmpty { return "no device has an IOMMU DMA domain (every IOMMU is passthrough, or there is none)" }
        if !mapping.contains(where: { $0.role.supportedInjections.contains(injection) }) {
            return "no device with an IOMMU DMA domain has a driver that makes the calls it needs (declare more devices)"
        }
        return "no such device sits behind a needs-sync-map IOMMU (it was overridden off)"
    }

    private static func declarations(regions: [RegionSpec], swiotlb: SwiotlbSpec?, devices: [DeviceProfile]) -> [Op] {
        var ops = regions.map(Op.region)
        if let swiotlb { ops.append(.swiotlb(swiotlb)) }
        var declared: Set<String> = []
        for case let iommu? in devices.map(\.iommu) where declared.insert(iommu.name).inserted {
            ops.append(.iommu(iommu))
        }
        return ops + devices.map { .device($0.spec) }
    }

    /// Lazy IOMMUs some device maps through: the flush-queue timer fires on these.
    var lazyIOMMUs: [String] {
        var names: [String] = []
        for device in devices where device.usesFlushQueue && !names.contains(device.iommu!.name) {
            names.append(device.iommu!.name)
        }
        return names
    }
}
