import Foundation
import Testing
@testable import Journal

/// A journal is an ordinary SQLite file: the stock `sqlite3` shell and Python's `sqlite3`
/// module return the same rows as `QueryRunner`.
@Suite struct ExternalToolsTests {
    static let queries = [
        "SELECT * FROM op_log ORDER BY seq",
        "SELECT * FROM fault_history ORDER BY fault_seq",
        "SELECT * FROM per_device",
        "SELECT * FROM mapping_lifetimes ORDER BY mapped_seq, idx",
        "SELECT line FROM topology_lines ORDER BY seq",
    ]

    @Test(arguments: queries)
    func sqlite3ShellReturnsTheSameRows(_ sql: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("every.db")
        try Recording.record(Scenarios.everyKind, to: path)
        let ours = try QueryRunner(path: path).run(sql)
        #expect(!ours.rows.isEmpty)
        let shell = try sqlite3(path, sql, arguments: ["-readonly", "-csv", "-header"])
        #expect(shell.replacingOccurrences(of: "\r\n", with: "\n") == ours.formatted(as: .csv))
    }

    @Test(arguments: queries)
    func pythonReturnsTheSameRows(_ sql: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("every.db")
        try Recording.record(Scenarios.everyKind, to: path)
        let ours = try QueryRunner(path: path).run(sql)
        let script = """
            import json, sqlite3, sys
            connection = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            cursor = connection.execute(sys.argv[2])
            print(json.dumps({"columns": [c[0] for c in cursor.description], "rows": [list(r) for r in cursor]}))
            """
        let output = try run("/usr/bin/env", ["python3", "-c", script, path, sql])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(decoded["columns"] as? [String] == ours.columns)
        let rows = try #require(decoded["rows"] as? [[Any]])
        #expect(rows.map { $0.map(Self.value) } == ours.rows)
    }

    /// JSON from Python back to `SQLValue`: numbers without a fraction are integers.
    private static func value(_ json: Any) -> SQLValue {
        switch json {
        case is NSNull: return .null
        case let text as String: return .text(text)
        case let number as NSNumber:
            return number.doubleValue == Double(number.int64Value) ? .integer(number.int64Value) : .real(number.doubleValue)
        default: return .text("\(json)")
        }
    }
}

/// Runs a program and returns its standard output; fails the test on a non-zero exit.
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(executable) \(arguments.joined(separator: " "))")
    return String(decoding: data, as: UTF8.self)
}
