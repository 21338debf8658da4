/// A canned query a journal carries in its `named_queries` table (schema/001-journal.sql).
public struct NamedQuery: Sendable, Hashable {
    public var name: String
    /// The `:name` parameters the SQL binds.
    public var parameters: [String]
    public var description: String
    public var sql: String

    public init(name: String, parameters: [String], description: String, sql: String) {
        self.name = name
        self.parameters = parameters
        self.description = description
        self.sql = sql
    }
}
