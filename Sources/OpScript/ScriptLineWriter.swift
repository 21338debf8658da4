import DMASim

/// Prints ops one line at a time, carrying the table of declared handles from line to line
/// as `ScriptPrinter.print(_:)` does: for streams too long to hold as one `Script` (a
/// journal of millions of ops exported as a script).
///
///     var writer = ScriptLineWriter()
///     for (op, claims) in stream { output.write(writer.line(op, claims: claims) + "\n") }
public struct ScriptLineWriter: Sendable {
    private var handles = HandleKinds()
    private let printer = ScriptPrinter()

    /// A writer before the first line: no handle declared yet.
    public init() {}

    /// Whether `name` can stand in a script (`[A-Za-z_][A-Za-z0-9_.:-]*`): a journal
    /// imported from a real system may hold device names the format cannot spell.
    public static func canWrite(name: String) -> Bool { NameSyntax.isValid(name) }

    /// The next line, without its newline. A bare handle in an address is written the way
    /// the parser will read it after the lines already written.
    public mutating func line(_ op: Op, claims: [Claim] = []) -> String {
        defer { handles.record(op) }
        return printer.line(op, claims: claims, handles: handles)
    }
}
