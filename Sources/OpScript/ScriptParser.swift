import DMASim

/// Reads op scripts (see docs/op-script.md): one op per line, optional claims after `=>`.
///
/// A mistake in the text throws a `ScriptError` placed at the offending token; the parser
/// stops at the first one. The text of a parsed script is not kept: `ScriptPrinter`
/// writes the canonical form back.
public struct ScriptParser: Sendable {
    /// A parser; each `parse` starts afresh.
    public init() {}

    /// Parses a whole script. `fileName` only labels errors.
    public func parse(_ text: String, fileName: String) throws(ScriptError) -> Script {
        var handles = HandleKinds()
        var architecture = MachineSpec().arch
        var lines: [ScriptLine] = []
        for lexed in ScriptLexer.lines(of: text) {
            let line = try placing(errorsOn: lexed.number, in: fileName) { () throws(TokenError) in
                try Self.read(lexed, handles: handles, architecture: architecture)
            }
            handles.record(line.op)
            if case .machine(let machine) = line.op.call { architecture = machine.arch }
            lines.append(line)
        }
        return Script(lines: lines)
    }

    /// Parses claims alone, as written after `=>` (`ok iova=0x1000, violation`); errors
    /// are placed on line 1 of `fileName`.
    public func parseClaims(_ text: String, fileName: String) throws(ScriptError) -> [Claim] {
        try placing(errorsOn: 1, in: fileName) { () throws(TokenError) in
            try ClaimSyntax.read(ScriptLexer.claimRun(of: text))
        }
    }

    private static func read(_ lexed: ScriptLexer.Line, handles: HandleKinds, architecture: Architecture) throws(TokenError) -> ScriptLine {
        let op = try OpReader(lexed.op, handles: handles, architecture: architecture).op()
        var claims: [Claim] = []
        if let run = lexed.claims { claims = try ClaimSyntax.read(run) }
        return ScriptLine(lineNumber: lexed.number, op: op, claims: claims)
    }

    /// Runs `body`, giving any complaint about a token its file and line.
    private func placing<Value>(
        errorsOn line: Int, in fileName: String, _ body: () throws(TokenError) -> Value
    ) throws(ScriptError) -> Value {
        do {
            return try body()
        } catch {
            throw ScriptError(fileName: fileName, line: line, column: error.column, message: error.message)
        }
    }
}
