import Journal

// Journal calls inside the exporters: the same calls, their errors wrapped as
// `ExportError.journal`, so each exporter throws one error type.

/// Runs a journal call, wrapping its error.
func reading<T>(_ body: () throws(JournalError) -> T) throws(ExportError) -> T {
    do { return try body() } catch { throw .journal(error) }
}

extension QueryRunner {
    static func opening(_ path: String) throws(ExportError) -> QueryRunner {
        try reading { () throws(JournalError) in try QueryRunner(path: path) }
    }

    func rows(_ sql: String) throws(ExportError) -> QueryCursor {
        try reading { () throws(JournalError) in try cursor(sql) }
    }

    func integerValue(_ sql: String) throws(ExportError) -> Int64? {
        try reading { () throws(JournalError) in try integer(sql) }
    }

    func result(_ sql: String) throws(ExportError) -> QueryResult {
        try reading { () throws(JournalError) in try run(sql) }
    }
}

extension QueryCursor {
    /// The first column of the next row as text, nil when there is none.
    func advanceText() throws(ExportError) -> String? {
        try advance() ? text(at: 0) : nil
    }

    /// `next()`, its error wrapped.
    func advance() throws(ExportError) -> Bool {
        try reading { () throws(JournalError) in try next() }
    }
}
