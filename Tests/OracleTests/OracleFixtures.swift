import Foundation
import OpScript
@testable import Oracle

/// Real guest output (fixtures/oracle/*.console.log: oracle/run.sh's console.log of one
/// `dmajournal oracle` run on Debian's 7.3.4 under QEMU 7.2) and the scripts it ran.
enum OracleFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    static func console(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent("oracle/\(name).console.log")), as: UTF8.self)
    }

    /// A script of fixtures/scripts, or (`folder: "oracle"`) the copy of one kept beside the
    /// console log it was run for, when the fixture has changed since.
    static func session(_ script: String, folder: String = "scripts") throws -> OracleSession {
        let path = root.appendingPathComponent("\(folder)/\(script)")
        let text = String(decoding: try Data(contentsOf: path), as: UTF8.self)
        return try OracleSession(script: try ScriptParser().parse(text, fileName: script), fileName: script)
    }
}
