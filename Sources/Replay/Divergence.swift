import DMASim
import Journal
import OpScript

/// The first op whose outcome on replay differs from the one the journal recorded.
public struct Divergence: Sendable, Equatable, CustomStringConvertible {
    public let sequence: Int
    public let op: Op
    public let recorded: RecordedOutcome
    public let replayed: RecordedOutcome
    /// The parts of the outcome that differ (status, address, digest, ranges, events,
    /// findings, warnings), under the comparison the replay used.
    public let differingFields: [String]

    public init(sequence: Int, op: Op, recorded: RecordedOutcome, replayed: RecordedOutcome, differingFields: [String]) {
        self.sequence = sequence; self.op = op; self.recorded = recorded; self.replayed = replayed
        self.differingFields = differingFields
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
