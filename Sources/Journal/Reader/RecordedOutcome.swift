import DMASim

/// What a journal keeps of an `Outcome`: everything but the physical ranges a device
/// access touched (`Outcome.touched`), which replay recomputes.
///
/// Replay compares `RecordedOutcome(engine.apply(op))` with the recorded one.
public struct RecordedOutcome: Sendable, Hashable {
    public var status: OutcomeStatus
    public var address: UInt64?
    public var digest: UInt64?
    public var ranges: [MappedRange]
    public var events: [SideEvent]
    public var findings: [Finding]
    public var warnings: [String]

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
