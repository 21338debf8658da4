/// A mistake in an op script, placed at the token that caused it.
///
/// `ScriptParser` throws it for text it cannot read; a run of the simulated kernel never
/// does (a simulated `-EIO` is data in an `Outcome`). `description` is the one line a
/// compiler would print, so the CLI can show it as is:
///
///     quickstart.ops:7:18: expected a direction (to-device, from-device, bidirectional, none), found 'up'
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The script's name as the caller gave it to the parser.
    public var fileName: String
    /// 1-based line number in the file.
    public var line: Int
    /// 1-based column, in characters, of the offending token (or of the place where a
    /// missing one was due).
    public var column: Int
    /// What was expected and what was found instead.
    public var message: String

    /// The mistake `message` at `line`:`column` of `fileName`.
    public init(fileName: String, line: Int, column: Int, message: String) {
        self.fileName = fileName; self.line = line; self.column = column; self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, as a compiler prints its errors.
    public var description: String { "\(fileName):\(line):\(column): \(message)" }
}
