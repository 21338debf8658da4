/// A workload's steps for one set of options. Each iteration starts from the beginning
/// and yields the same steps; nothing is generated before it is asked for.
public struct WorkloadStream: Sequence, Sendable {
    public let kind: WorkloadKind
    public let options: WorkloadOptions
    public let topology: WorkloadTopology
    /// Placed once, so a region too small for the buffers throws here, not mid-run.
    private let pools: MemoryPools

    init(kind: WorkloadKind, options: WorkloadOptions, topology: WorkloadTopology) throws(WorkloadError) {
        self.kind = kind; self.options = options; self.topology = topology
        var placement = WorkloadRandom(seed: options.seed, stream: RandomStream.placement)
        pools = try MemoryPools(topology: topology, random: &placement)
    }

    public func makeIterator() -> WorkloadIterator {
        WorkloadIterator(source: StepSource(topology: topology, options: options, pools: pools))
    }
}

/// Iterates a `WorkloadStream`. Copies share their position: iterate one of them.
public struct WorkloadIterator: IteratorProtocol {
    private let source: StepSource

    init(source: StepSource) { self.source = source }

    public mutating func next() -> WorkloadStep? { source.next() }
}

/// Which independent generator each purpose draws from (see `WorkloadRandom`).
enum RandomStream {
    static let placement: UInt64 = 1
    static let traffic: UInt64 = 2
    static let injection: UInt64 = 3
}
