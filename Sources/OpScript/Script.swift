import DMASim

/// A parsed op script: its op lines in order. Comments and blank lines are not kept.
public struct Script: Sendable, Hashable {
    /// The op lines, in the order they run.
    public var lines: [ScriptLine]

    /// A script of `lines`, as they are.
    public init(lines: [ScriptLine]) { self.lines = lines }

    /// The ops alone, in order: what the engine runs.
    public var ops: [Op] { lines.map(\.op) }
}

/// One op line: the op, the claims after its `=>` (empty when it has none), and where it
/// stood in the file, for reports.
public struct ScriptLine: Sendable, Hashable {
    /// 1-based line number in the source text.
    public var lineNumber: Int
    /// The op the line runs.
    public var op: Op
    /// What the line expects of the op's outcome (`=> ok iova=0x1000`); empty for none.
    public var claims: [Claim]

    /// A line; built by hand, by a workload or a trace's simulation, its number is where
    /// the caller says it stood (0 when it stood in no file).
    public init(lineNumber: Int, op: Op, claims: [Claim] = []) {
        self.lineNumber = lineNumber; self.op = op; self.claims = claims
    }
}
