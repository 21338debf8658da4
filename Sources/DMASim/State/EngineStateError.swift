/// Why bytes could not be decoded as an engine state (`Engine.decodingState`). Always
/// placed: `offset` is the byte of the encoded state where the header field, the value or
/// the component that is wrong begins, so a report reads "engine state, byte 1234: …".
///
/// Thrown for any byte string that is not a state this build wrote: foreign bytes, another
/// format version, a cut-off or bit-flipped copy (the checksum), or, past the checksum, a
/// value the engine could not hold (an unknown tag, an index out of range, a count longer
/// than the bytes left). Decoding never traps on bad input.
public struct EngineStateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong with the bytes.
    public enum Problem: Equatable, Sendable {
        /// The bytes do not start with the state's magic number.
        case notAnEngineState
        /// Written by another version of the format.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// The bytes end before `field` does.
        case truncated(field: String)
        /// The payload does not hash to the checksum in the header: the bytes were damaged.
        case checksumMismatch(stored: UInt64, computed: UInt64)
        /// A tag, flag set or enumeration value that no version-`supported` writer emits.
        case badTag(field: String, value: UInt64)
        /// A value the engine cannot hold: out of range, out of order, or contradicting
        /// another part of the state.
        case invalid(field: String, reason: String)
        /// Bytes left over after the last component.
        case trailingBytes(count: Int)
    }

    /// What is wrong.
    public var problem: Problem
    /// Byte offset in the encoded state (header included).
    public var offset: Int

    /// `problem` at byte `offset`.
    public init(_ problem: Problem, at offset: Int) {
        self.problem = problem
        self.offset = offset
    }

    public var description: String { "engine state, byte \(offset): \(problemText)" }

    private var problemText: String {
        switch problem {
        case .notAnEngineState:
            return "not an engine state (no DMAJSTAT magic number)"
        case .unsupportedVersion(let found, let supported):
            return "format version \(found), but this build reads version \(supported)"
        case .truncated(let field):
            return "truncated: the bytes end inside \(field)"
        case .checksumMismatch(let stored, let computed):
            return "checksum mismatch (header 0x\(String(stored, radix: 16)), payload hashes to 0x\(String(computed, radix: 16))): the bytes are damaged"
        case .badTag(let field, let value):
            return "\(field): unknown value \(value)"
        case .invalid(let field, let reason):
            return "\(field): \(reason)"
        case .trailingBytes(let count):
            return "\(count) bytes after the end of the state"
        }
    }
}
