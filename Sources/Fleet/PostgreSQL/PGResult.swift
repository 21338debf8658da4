import CLibPQ

/// A column of a result: its name and its type (OID and modifier, as `format_type` takes).
public struct PGColumn: Sendable, Hashable {
    public let name: String
    public let typeOID: UInt32
    public let typeModifier: Int32
}

/// A `PGresult`, freed with the value. Values are text (libpq's text format).
public final class PGResult {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { PQclear(raw) }

    public var rowCount: Int { Int(PQntuples(raw)) }

    public var columns: [PGColumn] {
        (0..<PQnfields(raw)).map { index in
            PGColumn(name: String(cString: PQfname(raw, index)), typeOID: PQftype(raw, index), typeModifier: PQfmod(raw, index))
        }
    }

    /// The value at `row`, `column` as text; nil for NULL.
    public func value(row: Int, column: Int) -> String? {
        guard PQgetisnull(raw, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(raw, Int32(row), Int32(column)))
    }

    /// Every row, each a list of text values.
    public var rows: [[String?]] {
        let width = Int(PQnfields(raw))
        return (0..<rowCount).map { row in (0..<width).map { value(row: row, column: $0) } }
    }
}

/// One row of a streamed result.
public struct PGRow {
    let result: PGResult
    let row: Int

    public var values: [String?] { (0..<Int(PQnfields(result.raw))).map { result.value(row: row, column: $0) } }
}
