import OpScript

/// One script line, kernel beside model.
public struct LineComparison: Sendable {
    public enum Verdict: Sendable, Equatable {
        case agree
        /// The aspects that differ ("status", "iova", "digest", "memory ...", "messages").
        case differ([String])
        /// The kernel cannot do what the line says (the reason).
        case skipped(String)
        /// A command the kernel never reached (the reason: an earlier oops, a timeout).
        case notRun(String)
        /// Differs only where memory already differed, since that line.
        case follows(Int)
    }
    public var line: ScriptLine
    public var kernel: String
    public var model: String
    public var verdict: Verdict
    /// Kernel messages printed during the op, and what else a reader should see.
    public var details: [String]

    public var differs: Bool { if case .differ = verdict { return true } else { return false } }
}

/// All lines of one script.
public struct OracleComparison: Sendable {
    public var fileName: String
    public var lines: [LineComparison]
    public var notes: [String]

    public var disagreements: [LineComparison] { lines.filter(\.differs) }
    public var agreed: Int { lines.filter { $0.verdict == .agree }.count }
    public var skipped: Int { lines.filter { if case .skipped = $0.verdict { return true } else { return false } }.count }
    public var notRun: Int { lines.filter { if case .notRun = $0.verdict { return true } else { return false } }.count }
    public var following: Int { lines.filter { if case .follows = $0.verdict { return true } else { return false } }.count }
}
