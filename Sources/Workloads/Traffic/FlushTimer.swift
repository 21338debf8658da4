import DMASim

/// The flush queue's 10 ms `fq_timer`, which the engine leaves to the op stream: every
/// `intervalSteps` steps one lazy IOMMU, in turn, drains its flush queue.
struct FlushTimer {
    /// About 10 ms of traffic at a few hundred thousand DMA calls a second per CPU.
    static let intervalSteps = 2048

    private let iommus: [String]
    private var nextStep = FlushTimer.intervalSteps
    private var turn = 0

    init(iommus: [String]) { self.iommus = iommus }

    /// The `flush` due at step `step`, if one is.
    mutating func fire(at step: Int) -> WorkloadStep? {
        guard !iommus.isEmpty, step >= nextStep else { return nil }
        nextStep += Self.intervalSteps
        turn = (turn + 1) % iommus.count
        return WorkloadStep(op: .flush(FlushOp(iommu: iommus[turn])), claims: StepClaims.ok)
    }
}
