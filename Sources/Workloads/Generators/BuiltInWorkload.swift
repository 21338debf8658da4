/// The generator of one of the built-in workloads. They differ only in their devices
/// (the `…Topology` templates beside this file); each device's traffic follows its
/// driver's role.
public struct BuiltInWorkload: WorkloadGenerator {
    public let kind: WorkloadKind

    public init(_ kind: WorkloadKind) { self.kind = kind }

    public var supportedInjections: Set<InjectionClass> {
        let byRole: Set<InjectionClass> = (0..<template.defaultDeviceCount).reduce(into: []) {
            $0.formUnion(template.device(at: $1).role.supportedInjections)
        }
        return template.hasUntrustedDeviceOnHiddenMemory ? byRole : byRole.subtracting([.unalignedBounce])
    }

    public func steps(_ options: WorkloadOptions) throws(WorkloadError) -> WorkloadStream {
        try options.validate()
        for spec in options.injections where !supportedInjections.contains(spec.injectionClass) {
            throw .injectionNotSupported(spec.injectionClass, kind)
        }
        let topology = try WorkloadTopology(template: template, options: options)
        return try WorkloadStream(kind: kind, options: options, topology: topology)
    }

    var template: any TopologyTemplate.Type {
        switch kind {
        case .nvme: return NVMeTopology.self
        case .rdmaODP: return RDMAODPTopology.self
        case .vfioMigration: return VFIOMigrationTopology.self
        case .gpuP2P: return GPUP2PTopology.self
        case .mixed: return MixedTopology.self
        case .thunderbolt: return ThunderboltTopology.self
        case .hiddenMemory: return HiddenMemoryTopology.self
        }
    }
}
