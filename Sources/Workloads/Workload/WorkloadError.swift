/// Why a workload cannot be generated from the options given. The tool's own failure,
/// so it is thrown (a simulated kernel error is data in an `Outcome`, never this).
public enum WorkloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An option out of range, with what was wrong.
    case invalidOption(String)
    /// The workload's driver never performs the calls this misuse needs (rdma-odp never
    /// destroys, so it cannot destroy late).
    case injectionNotSupported(InjectionClass, WorkloadKind)
    /// No device of the topology can commit it, with why (missing-sync needs a
    /// needs-sync-map IOMMU, which `needsSyncMap = false` ruled out).
    case injectionNeedsTopology(InjectionClass, String)

    public var description: String {
        switch self {
        case .invalidOption(let message):
            return message
        case .injectionNotSupported(let injection, let kind):
            return "the \(kind.rawValue) workload cannot inject \(injection.rawValue); workloads that can: "
                + WorkloadKind.allCases.filter { $0.generator.supportedInjections.contains(injection) }.map(\.rawValue).joined(separator: ", ")
        case .injectionNeedsTopology(let injection, let reason):
            return "cannot inject \(injection.rawValue): \(reason)"
        }
    }
}
