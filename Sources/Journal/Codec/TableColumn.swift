/// The columns of one journal table, in order, as an enum whose raw value is the 1-based
/// parameter index of the table's INSERT. The case list is the single place the order is
/// written; the SQL is generated from it, and the column names are the cases in snake_case.
protocol TableColumn: RawRepresentable, CaseIterable where RawValue == Int32 {
    static var table: String { get }
}

extension TableColumn {
    /// `source_line` for `case sourceLine`.
    var name: String {
        var result = ""
        for character in String(describing: self) {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }

    /// The 0-based index of this column in `SELECT <selectList>`.
    var resultIndex: Int32 { rawValue - 1 }

    static var selectList: String { allCases.map { "\(table).\($0.name)" }.joined(separator: ", ") }

    /// `selectList` for a journal whose table has only `present` of the columns (one
    /// written before a later schema added some): the missing ones read as NULL.
    static func selectList(present: Set<String>) -> String {
        allCases.map { present.contains($0.name) ? "\(table).\($0.name)" : "NULL" }.joined(separator: ", ")
    }

    static var insertSQL: String {
        let names = allCases.map(\.name).joined(separator: ", ")
        let marks = Array(repeating: "?", count: allCases.count).joined(separator: ", ")
        return "INSERT INTO \(table) (\(names)) VALUES (\(marks))"
    }
}
