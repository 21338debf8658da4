/// A lookup table of the journal (`op_kind`, `event_kind`, …) read into memory: the
/// integer codes the journal stores for an enumeration, and back.
///
/// The codes come from the journal file, not from Swift, so a journal is read with the
/// codes it was written with, and the schema stays their one definition.
struct CodeTable<Value: Hashable> {
    let table: String
    private let codeOfValue: [Value: Int64]
    private let valueOfCode: [Int64: Value]

    /// Reads `SELECT code, name FROM table`, keeping the names `value(named:)` knows.
    init(_ database: Database, table: String, value: (String) -> Value?) throws(JournalError) {
        let statement = try database.prepare("SELECT code, name FROM \(table)")
        var codes: [Value: Int64] = [:]
        var values: [Int64: Value] = [:]
        while try statement.step() {
            guard let code = statement.int64(at: 0), let name = statement.text(at: 1), let known = value(name) else { continue }
            codes[known] = code
            values[code] = known
        }
        self.table = table
        codeOfValue = codes
        valueOfCode = values
    }

    /// The code the journal stores for `value`. The writer checks at open that every
    /// value has one (`missingValues`), so a miss here is a bug.
    func code(of value: Value) -> Int64 {
        guard let code = codeOfValue[value] else { preconditionFailure("\(table) has no code for \(value)") }
        return code
    }

    func value(of code: Int64) -> Value? { valueOfCode[code] }

    /// The values of `all` that the table has no code for.
    func missingValues(of all: [Value]) -> [Value] { all.filter { codeOfValue[$0] == nil } }
}
