import DMASim

/// A parsed op script: its op lines in order. Comments and blank lines are not kept.
public struct Script: Sendable, Hashable {
    public var lines: [ScriptLine]

    public init(lines: [ScriptLine]) { self.lines = lines }

    /// The ops alone, in order: what the engine runs.
    public var ops: [Op] { lines.map(\.op) }
}

/// One op line: the op, the claims after its `=>` (empty when it has none), and where it
/// stood in the file, for reports.
public struct ScriptLine: Sendable, Hashable {
    /// 1-based line number in the source text.
    public var lineNumber: Int
    public var op: Op
    public var claims: [Claim]

    public init(lineNumber: Int, op: Op, claims: [Claim] = []) {
        self.lineNumber = lineNumber; self.op = op; self.claims = claims
    }
}
