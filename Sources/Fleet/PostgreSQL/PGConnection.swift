import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection (`PQconnectdb`), with the few calls the fleet needs: statements,
/// parameterised queries with text values, rows streamed one at a time (single-row mode),
/// statement descriptions and COPY FROM STDIN. Every failure is a `FleetError` naming the
/// store; a connection that broke is told apart from a statement the server refused.
///
///     let connection = try PGConnection(StoreURL("postgresql://localhost/fleet"))
///     try connection.execute("BEGIN")
///     let result = try connection.query("SELECT id FROM dmajournal.journals WHERE journal = $1", [id])
public final class PGConnection {
    let handle: OpaquePointer
    public let store: StoreURL

    public init(_ store: StoreURL) throws(FleetError) {
        self.store = store
        guard let handle = PQconnectdb(store.text) else {
            throw .cannotConnect(store: store.description, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.firstLine(PQerrorMessage(handle))
            PQfinish(handle)
            throw .cannotConnect(store: store.description, message: message)
        }
        self.handle = handle
        // NOTICEs (CREATE … IF NOT EXISTS skipping, …) are not the user's business.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still up (false once the server went away).
    public var isAlive: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's process id for this connection (`pg_backend_pid()`).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws(FleetError) {
        _ = try check(PQexec(handle, sql), doing: sql)
    }

    /// Runs one statement with `$1…` parameters given as text (nil for NULL) and returns
    /// all its rows, as text.
    public func query(_ sql: String, _ parameters: [String?] = []) throws(FleetError) -> PGResult {
        let raw = withCStrings(parameters) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try check(raw, doing: sql)
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ parameters: [String?] = []) throws(FleetError) -> String? {
        let result = try query(sql, parameters)
        return result.rowCount > 0 ? result.value(row: 0, column: 0) : nil
    }

    /// Runs one statement and hands its rows over one at a time as they arrive (libpq's
    /// single-row mode): memory stays flat whatever the result's size. `body` returns
    /// false to stop early; the rest of the result is then read and dropped.
    public func streamRows(_ sql: String, _ parameters: [String?] = [],
                           columns: ([PGColumn]) -> Void, row body: (PGRow) -> Bool) throws(FleetError) {
        let sent = withCStrings(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(doing: sql, result: nil) }
        PQsetSingleRowMode(handle)
        var announced = false
        var wanted = true
        var firstError: FleetError?
        while let raw = PQgetResult(handle) {
            let result = PGResult(raw)
            switch PQresultStatus(raw) {
            case PGRES_SINGLE_TUPLE:
                if !announced { columns(result.columns); announced = true }
                if wanted { wanted = body(PGRow(result: result, row: 0)) }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                if !announced { columns(result.columns); announced = true }
            default:
                if firstError == nil { firstError = failure(doing: sql, result: raw) }
            }
        }
        if let firstError { throw firstError }
    }

    /// The columns a statement would return, without running it (`PQprepare` of an
    /// unnamed statement, then `PQdescribePrepared`). `parameterTypes` are type OIDs.
    public func describe(_ sql: String, parameterTypes: [UInt32]) throws(FleetError) -> [PGColumn] {
        let prepared = parameterTypes.withUnsafeBufferPointer { types in
            PQprepare(handle, "", sql, Int32(types.count), types.baseAddress)
        }
        _ = try check(prepared, doing: sql)
        return try check(PQdescribePrepared(handle, ""), doing: sql).columns
    }

    /// Starts `COPY … FROM STDIN`; send the data with `sendCopyData`, then `endCopy`.
    public func beginCopy(_ sql: String) throws(FleetError) {
        guard let raw = PQexec(handle, sql) else { throw failure(doing: sql, result: nil) }
        let result = PGResult(raw)
        guard PQresultStatus(raw) == PGRES_COPY_IN else { throw failure(doing: sql, result: result.raw) }
    }

    /// Hands a block of COPY data to libpq (`PQputCopyData`).
    public func sendCopyData(_ bytes: UnsafeRawBufferPointer, copying what: String) throws(FleetError) {
        guard !bytes.isEmpty else { return }
        let sent = PQputCopyData(handle, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard sent == 1 else { throw failure(doing: what, result: nil) }
    }

    /// Ends the COPY (`PQputCopyEnd`) and collects the server's verdict on it.
    public func endCopy(copying what: String) throws(FleetError) {
        guard PQputCopyEnd(handle, nil) == 1 else { throw failure(doing: what, result: nil) }
        var firstError: FleetError?
        while let raw = PQgetResult(handle) {
            let result = PGResult(raw)
            if PQresultStatus(raw) != PGRES_COMMAND_OK, firstError == nil { firstError = failure(doing: what, result: result.raw) }
        }
        if let firstError { throw firstError }
    }

    // MARK: - Errors

    private func check(_ raw: OpaquePointer?, doing what: String) throws(FleetError) -> PGResult {
        guard let raw else { throw failure(doing: what, result: nil) }
        let result = PGResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return result
        default: throw failure(doing: what, result: raw)
        }
    }

    /// The error for a failed call: the server's own message and SQLSTATE when it sent
    /// one, else libpq's. A connection that broke says so, even when the server said why
    /// before closing it (a terminated session's `terminating connection due to
    /// administrator command`, SQLSTATE 57P01): what the caller must know is that its
    /// transaction is gone.
    func failure(doing what: String, result: OpaquePointer?) -> FleetError {
        var said: (state: String, message: String)?
        if let result, let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) {
            said = (String(cString: state), PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? "")
        }
        if !isAlive {
            return .connectionLost(store: store.description, during: "running " + Self.summary(of: what),
                                   message: said?.message ?? Self.firstLine(PQerrorMessage(handle)))
        }
        if let said { return .server(store: store.description, sqlState: said.state, message: said.message) }
        return .server(store: store.description, sqlState: "", message: Self.firstLine(PQerrorMessage(handle)))
    }

    static func firstLine(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        let text = String(cString: message).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "unknown error" : text
    }

    /// A statement's first words, for messages.
    static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return words.count > 60 ? String(words.prefix(60)) + "…" : words
    }
}

/// Calls `body` with the strings as a C array of C strings (nil for SQL NULL).
func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers.map { UnsafePointer($0) })
}
