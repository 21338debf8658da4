/// How many faults and findings the ops applied so far produced: part of the engine's
/// state, so a checkpoint says whether a fault or a finding of some class had happened by
/// then, and bisect can skip the stretch before it without replaying it.
public struct OutcomeTally: Sendable, Hashable {
    /// Faults by kind.
    public private(set) var faults: [FaultKind: Int] = [:]
    /// Findings by misuse class.
    public private(set) var findings: [MisuseClass: Int] = [:]

    /// An empty tally.
    public init() {}

    init(faults: [FaultKind: Int], findings: [MisuseClass: Int]) {
        self.faults = faults; self.findings = findings
    }

    mutating func count(_ outcome: Outcome) {
        if let fault = outcome.fault { faults[fault.kind, default: 0] += 1 }
        for finding in outcome.findings { findings[finding.misuse, default: 0] += 1 }
    }

    /// Faults so far of `kind` (any kind when nil).
    public func faultCount(_ kind: FaultKind? = nil) -> Int {
        kind.map { faults[$0] ?? 0 } ?? faults.values.reduce(0, +)
    }

    /// Findings so far of `misuse` (any class when nil).
    public func findingCount(_ misuse: MisuseClass? = nil) -> Int {
        misuse.map { findings[$0] ?? 0 } ?? findings.values.reduce(0, +)
    }
}
