import DMASim

/// What a journal keeps of an `Outcome`: everything but the physical ranges a device
/// access touched (`Outcome.touched`), which replay recomputes.
///
/// Replay compares `RecordedOutcome(engine.apply(op))` with the recorded one.
public struct RecordedOutcome: Sendable, Hashable {
    /// `Outcome.status`.
    public var status: OutcomeStatus
    /// `Outcome.address`: the IOVA or DMA address returned, if any.
    public var address: UInt64?
    /// `Outcome.digest`: a read's XXH64, if it was a read.
    public var digest: UInt64?
    /// `Outcome.ranges`: the page-table ranges a link or map installed.
    public var ranges: [MappedRange]
    /// `Outcome.events`: IOTLB, flush-queue, IOVA and cache side events, in order.
    public var events: [SideEvent]
    /// `Outcome.findings`: the checker's misuse findings.
    public var findings: [Finding]
    /// `Outcome.warnings`: the kernel log lines the call would print.
    public var warnings: [String]

    /// An outcome from its fields (a reader's rows, or a test's expectation).
    public init(
        status: OutcomeStatus, address: UInt64? = nil, digest: UInt64? = nil, ranges: [MappedRange] = [],
        events: [SideEvent] = [], findings: [Finding] = [], warnings: [String] = []
    ) {
        self.status = status; self.address = address; self.digest = digest; self.ranges = ranges
        self.events = events; self.findings = findings; self.warnings = warnings
    }

    /// The part of a live outcome a journal records.
    public init(_ outcome: Outcome) {
        self.init(status: outcome.status, address: outcome.address, digest: outcome.digest, ranges: outcome.ranges,
                  events: outcome.events, findings: outcome.findings, warnings: outcome.warnings)
    }

    /// As an engine `Outcome`, for code that describes outcomes (`OutcomeDescriber`):
    /// `touched` is left empty, since the journal does not keep it.
    public var outcome: Outcome {
        Outcome(status: status, address: address, digest: digest, ranges: ranges, events: events, findings: findings,
                warnings: warnings)
    }
}
