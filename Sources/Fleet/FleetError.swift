/// The fleet store's failures, each one line naming the store (its URL without the
/// password) or the journal file and the problem.
public enum FleetError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached or refused the login.
    case cannotConnect(store: String, message: String)
    /// The server answered a statement with an error (SQLSTATE and its message).
    case server(store: String, sqlState: String, message: String)
    /// The connection broke while a journal was being pushed: its transaction was never
    /// committed, so nothing of it is in the store.
    case connectionLost(store: String, during: String, message: String)
    /// A journal the store cannot take: unsealed, of another schema, without an id, …
    case unpushable(path: String, reason: String)
    /// The database is not a dmajournal store, or one made by another schema version.
    case notAStore(store: String, reason: String)
    /// `--journal` or `--where` matched nothing, or a journal id prefix matched several.
    case selection(store: String, reason: String)
    /// A named query the store does not have.
    case unknownNamedQuery(name: String, known: [String])
    /// A `:name` parameter without a value, or a value for a name the query lacks.
    case parameter(String)
    /// Reading the SQLite journal failed.
    case journal(String)
    /// SQL the dialect translator cannot express in PostgreSQL.
    case untranslatable(what: String, reason: String)

    public var description: String {
        switch self {
        case .cannotConnect(let store, let message): return "\(store): cannot connect: \(message)"
        case .server(let store, let state, let message): return "\(store): \(message) (SQLSTATE \(state))"
        case .connectionLost(let store, let during, let message):
            return "\(store): the connection was lost while \(during) (\(message)); nothing of it was committed"
        case .unpushable(let path, let reason): return "\(path): \(reason)"
        case .notAStore(let store, let reason): return "\(store): \(reason)"
        case .selection(let store, let reason): return "\(store): \(reason)"
        case .unknownNamedQuery(let name, let known):
            return "no named query '\(name)'; the store has: \(known.joined(separator: ", "))"
        case .parameter(let text): return text
        case .journal(let text): return text
        case .untranslatable(let what, let reason): return "\(what): cannot be written for PostgreSQL: \(reason)"
        }
    }
}
