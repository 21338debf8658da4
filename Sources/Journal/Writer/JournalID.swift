/// Journal ids (schema 16): random 128-bit values written as UUIDs, version 4 variant 1,
/// lowercase, e.g. `3f2a9c4e-7b1d-4e8a-9c0f-5d6e7f8a9b0c`. Drawn from the system's random
/// source when a journal is created: the id only has to be unique across a fleet, and
/// the engine's determinism does not reach the file's identity.
public enum JournalID {
    /// A fresh id from the system's random source.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0f) | 0x40   // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80   // RFC 4122 variant
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return groups.joined(separator: "-")
    }

    /// Whether `text` has the shape of a journal id.
    public static func isWellFormed(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
    }
}
