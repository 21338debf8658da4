/// A canned query a journal carries in its `named_queries` table (schema/001-journal.sql).
public struct NamedQuery: Sendable, Hashable {
    /// What `dmajournal query --named` calls it.
    public var name: String
    /// The `:name` parameters the SQL binds.
    public var parameters: [String]
    /// One line saying what it answers.
    public var description: String
    /// The SQL, with `:name` parameters.
    public var sql: String

    /// A named query as the journal's table holds it.
    public init(name: String, parameters: [String], description: String, sql: String) {
        self.name = name
        self.parameters = parameters
        self.description = description
        self.sql = sql
    }
}
