import Foundation

/// Runs oracle/run.sh on a plan directory: fetches (or reuses) the pinned kernel, builds the
/// module, boots QEMU, waits for the guest. Its progress goes to stderr as it comes.
public struct OracleHarness {
    public enum Failure: Error, CustomStringConvertible {
        case missingHarness(String)
        case guestFailed(status: Int32, planDirectory: String)

        public var description: String {
            switch self {
            case .missingHarness(let path):
                return "no oracle harness at \(path) (oracle/run.sh): pass --harness DIR or set DMAJOURNAL_ORACLE_DIR"
            case .guestFailed(let status, let directory):
                return "oracle/run.sh exited \(status): the guest did not finish; see \(directory)/console.log and qemu.log"
            }
        }
    }

    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The harness beside the sources: `DMAJOURNAL_ORACLE_DIR`, else the repository's oracle/.
    public static func defaultDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["DMAJOURNAL_ORACLE_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Sources/Oracle
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("oracle")
    }

    /// Boots the guest on the plan in `plan`; returns its console log.
    public func run(plan: URL) throws -> String {
        let script = directory.appendingPathComponent("run.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { throw Failure.missingHarness(directory.path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, plan.path]
        try process.run()
        process.waitUntilExit()
        let console = (try? Data(contentsOf: plan.appendingPathComponent("console.log"))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure.guestFailed(status: process.terminationStatus, planDirectory: plan.path)
        }
        return console
    }
}
