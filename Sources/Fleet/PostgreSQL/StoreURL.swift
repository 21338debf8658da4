/// A PostgreSQL connection string as the user gave it (`postgresql://user:secret@host/db`
/// or libpq's `key=value` form), and the same text with any password masked, for every
/// message that names the store.
public struct StoreURL: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Whether the text is a PostgreSQL URL rather than a file name.
    public static func looksLikeURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The text with the password replaced by `***`.
    public var description: String {
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            guard let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
            return String(text[..<scheme.upperBound]) + rest[..<colon] + ":***" + rest[at...]
        }
        // key=value form: mask password=…
        return text.split(separator: " ").map { word in
            word.hasPrefix("password=") ? "password=***" : String(word)
        }.joined(separator: " ")
    }
}
