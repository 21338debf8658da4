import DMASim
import Journal

/// What counts as "the same outcome" when a replay is compared with its recording.
public enum OutcomeComparison: Sendable {
    /// Every recorded field: status, address, digest, page-table ranges, side events,
    /// findings, warnings. A replay on the recorded machine must match bit for bit.
    case exact
    /// What the driver and the data can observe: the status (with errno and fault kind,
    /// not the fault's address), the digest of what was read, and the misuse classes the
    /// checker reported. On a changed machine (`--with`) IOVAs, IOTLB maintenance and
    /// message texts differ by design; a change in behaviour is the finding.
    case behaviour
    /// `exact` for a journal recorded before schema 17, which journaled no IOTLB fills and
    /// named no fill or unmap in a stale-iotlb-hit message: the replayed outcome loses
    /// both before the comparison, so such a journal still replays clean.
    case exactBeforeIOTLBFills

    /// The comparison a replay of `reader`'s journal on its own machine uses (`behaviour`
    /// on a changed one).
    public static func recorded(by reader: JournalReader, changedMachine: Bool) -> OutcomeComparison {
        changedMachine ? .behaviour : reader.journalsIOTLBFills ? .exact : .exactBeforeIOTLBFills
    }

    /// The fields of `replayed` that differ from `recorded`, by name; empty when equal.
    public func differingFields(_ recorded: RecordedOutcome, _ replayed: RecordedOutcome) -> [String] {
        var fields: [String] = []
        switch self {
        case .exactBeforeIOTLBFills:
            return Self.exact.differingFields(recorded, replayed.withoutIOTLBProvenance())
        case .exact:
            if recorded.status != replayed.status { fields.append("status") }
            if recorded.address != replayed.address { fields.append("address") }
            if recorded.digest != replayed.digest { fields.append("digest") }
            if recorded.ranges != replayed.ranges { fields.append("ranges") }
            if recorded.events != replayed.events { fields.append("events") }
            if recorded.findings != replayed.findings { fields.append("findings") }
            if recorded.warnings != replayed.warnings { fields.append("warnings") }
        case .behaviour:
            if Self.observable(recorded.status) != Self.observable(replayed.status) { fields.append("status") }
            if recorded.digest != replayed.digest { fields.append("digest") }
            if recorded.findings.map(\.misuse) != replayed.findings.map(\.misuse) { fields.append("findings") }
        }
        return fields
    }

    /// The status without the fault's address, which moves with the IOVA.
    static func observable(_ status: OutcomeStatus) -> String {
        switch status {
        case .ok: return "ok"
        case .fallback: return "fallback"
        case .errno(let errno): return errno.rawValue
        case .mappingError: return "mapping-error"
        case .fault(let fault): return "fault \(fault.kind.rawValue) \(fault.isWrite ? "write" : "read")"
        case .rejected: return "rejected"
        case .oops: return "oops"
        }
    }
}

extension RecordedOutcome {
    /// The outcome as a build before schema 17 recorded it: no `iotlb-fill` events, and
    /// stale-iotlb-hit messages without the clause naming the fill and the unmap.
    func withoutIOTLBProvenance() -> RecordedOutcome {
        var outcome = self
        outcome.events.removeAll { $0.kind == .iotlbFill }
        for index in outcome.findings.indices where outcome.findings[index].misuse == .staleIOTLBHit {
            let message = outcome.findings[index].message
            if let clause = message.firstRange(of: Finding.staleHitProvenancePrefix) {
                outcome.findings[index].message = String(message[..<clause.lowerBound])
            }
        }
        return outcome
    }
}
