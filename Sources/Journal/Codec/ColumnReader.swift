/// Reads required columns of the current row by name, throwing a reason for a NULL or a
/// value that does not parse: a stored row that does not make a value.
struct ColumnReader<Column: TableColumn> {
    let row: Statement

    func uint64(_ column: Column) throws(OpFieldsProblem) -> UInt64 {
        guard let value = row.uint64(at: column.resultIndex) else { throw missing(column) }
        return value
    }

    func int(_ column: Column) throws(OpFieldsProblem) -> Int {
        guard let value = row.int(at: column.resultIndex) else { throw missing(column) }
        return value
    }

    func bool(_ column: Column) throws(OpFieldsProblem) -> Bool {
        try int(column) != 0
    }

    func text(_ column: Column) throws(OpFieldsProblem) -> String {
        guard let value = row.text(at: column.resultIndex) else { throw missing(column) }
        return value
    }

    /// A text column holding an enum's raw value.
    func enumeration<Value: RawRepresentable>(_ column: Column) throws(OpFieldsProblem) -> Value where Value.RawValue == String {
        let name = try text(column)
        guard let value = Value(rawValue: name) else { throw OpFieldsProblem("\(Column.table).\(column.name) '\(name)'") }
        return value
    }

    private func missing(_ column: Column) -> OpFieldsProblem {
        OpFieldsProblem("\(Column.table).\(column.name) is NULL")
    }
}
