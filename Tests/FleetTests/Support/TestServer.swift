import Fleet
import Foundation

/// The PostgreSQL server the store tests use: `DMAJOURNAL_TEST_PG_URL`, which `.ci/run`
/// (through scripts/pg-test-cluster.sh) always exports. Without it the store suites are
/// skipped, each saying so in one line. Every test gets a database of its own, dropped
/// when it is done, so tests run in parallel without seeing each other's journals.
enum TestServer {
    static let url: String? = ProcessInfo.processInfo.environment["DMAJOURNAL_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available = url != nil

    /// A new, empty database on the server; dropped when the value is released.
    final class Database {
        let name: String
        let url: StoreURL

        init() throws {
            let admin = try PGConnection(StoreURL(TestServer.url!))
            name = "dmajournal_test_" + UUID().uuidString.prefix(8).lowercased()
            try admin.execute("CREATE DATABASE \(name)")
            url = StoreURL(TestServer.url(database: name))
        }

        deinit {
            if let admin = try? PGConnection(StoreURL(TestServer.url!)) {
                try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }

        func connect() throws -> PGConnection { try PGConnection(url) }
    }

    /// The server URL with its database replaced.
    static func url(database: String) -> String {
        var base = url!
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        let schemeEnd = base.range(of: "://")!.upperBound
        if let slash = base[schemeEnd...].firstIndex(of: "/") { base = String(base[..<slash]) }
        return base + "/" + database
    }
}
