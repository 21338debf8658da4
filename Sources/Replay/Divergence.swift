import DMASim
import Journal
import OpScript

/// The first op whose outcome on replay differs from the one the journal recorded.
public struct Divergence: Sendable, Equatable, CustomStringConvertible {
    public let sequence: Int
    public let op: Op
    public let recorded: RecordedOutcome
    public let replayed: RecordedOutcome

    /// The parts of the outcome that differ: status, address, digest, ranges, events,
    /// findings, warnings.
    public var differingFields: [String] {
        var fields: [String] = []
        if recorded.status != replayed.status { fields.append("status") }
        if recorded.address != replayed.address { fields.append("address") }
        if recorded.digest != replayed.digest { fields.append("digest") }
        if recorded.ranges != replayed.ranges { fields.append("ranges") }
        if recorded.events != replayed.events { fields.append("events") }
        if recorded.findings != replayed.findings { fields.append("findings") }
        if recorded.warnings != replayed.warnings { fields.append("warnings") }
        return fields
    }

    /// Three lines: where and what, what the journal says, what replay gives.
    public var description: String {
        """
        seq \(sequence): \(ScriptPrinter().line(op))  (differs in \(differingFields.joined(separator: ", ")))
          recorded: \(Self.claims(recorded))
          replayed: \(Self.claims(replayed))
        """
    }

    private static func claims(_ outcome: RecordedOutcome) -> String {
        OutcomeDescriber().describe(outcome.outcome)
    }
}
