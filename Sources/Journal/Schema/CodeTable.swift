/// A lookup table of the journal (`op_kind`, `event_kind`, …) read into memory: the
/// integer codes the journal stores for an enumeration, and back.
///
/// The codes come from the journal file, not from Swift, so a journal is read with the
/// codes it was written with, and the schema stays their one definition.
struct CodeTable<Value: Hashable & CaseIterable> {
    let table: String
    /// The code of each case, by its position in `Value.allCases`; nil where the table
    /// has none. The writer looks a code up once per op and per event: a `[Value: Int64]`
    /// hashed each enum's String raw value with SipHash (~350 instructions a lookup,
    /// issue #8), an index into this array costs a few.
    private let codeOfCase: [Int64?]
    private let valueOfCode: [Int64: Value]

    /// Reads `SELECT code, name FROM table`, keeping the names `value` knows.
    init(_ database: Database, table: String, value: (String) -> Value?) throws(JournalError) {
        Self.checkCaseIndexes()
        let statement = try database.prepare("SELECT code, name FROM \(table)")
        var codes = [Int64?](repeating: nil, count: Value.allCases.count)
        var values: [Int64: Value] = [:]
        while try statement.step() {
            guard let code = statement.int64(at: 0), let name = statement.text(at: 1), let known = value(name) else { continue }
            codes[Self.caseIndex(of: known)] = code
            values[code] = known
        }
        self.table = table
        codeOfCase = codes
        valueOfCode = values
    }

    /// The code the journal stores for `value`. The writer checks at open that every
    /// value has one (`missingValues`), so a miss here is a bug.
    func code(of value: Value) -> Int64 {
        guard let code = codeOfCase[Self.caseIndex(of: value)] else { preconditionFailure("\(table) has no code for \(value)") }
        return code
    }

    func value(of code: Int64) -> Value? { valueOfCode[code] }

    /// The values of `all` that the table has no code for.
    func missingValues(of all: [Value]) -> [Value] { all.filter { codeOfCase[Self.caseIndex(of: $0)] == nil } }

    /// The position of `value` in `Value.allCases`. An enum without payloads is stored as
    /// its case's declaration index (Swift ABI, docs/ABI/TypeLayout.rst: "no-payload
    /// enums"), which is also its position in the synthesized `allCases`;
    /// `checkCaseIndexes()` proves both for every case before a table is built.
    private static func caseIndex(of value: Value) -> Int {
        withUnsafeBytes(of: value) { Int($0[0]) }
    }

    /// Traps (at open, never mid-recording) if `Value` is not a one-byte enum whose cases
    /// are stored as their positions in `allCases`.
    private static func checkCaseIndexes() {
        precondition(MemoryLayout<Value>.size == 1, "CodeTable needs an enum without payloads: \(Value.self)")
        for (position, value) in Value.allCases.enumerated() {
            precondition(caseIndex(of: value) == position, "\(Value.self).allCases is not in declaration order")
        }
    }
}
