/// A canned query a journal carries in its `named_queries` table (schema/001-journal.sql).
public struct NamedQuery: Sendable, Hashable {
    public var name: String
    /// The `:name` parameters the SQL binds.
    public var parameters: [String]
    public var description: String
    public var sql: String
}
