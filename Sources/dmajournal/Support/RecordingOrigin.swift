import Foundation
import Journal

/// The `run` row of a journal this process creates: tool version, start time, and (schema
/// 16) the host and the command line, which a fleet store shows beside every journal
/// (docs/fleet.md). Read here, at the edge, never in the engine.
enum RecordingOrigin {
    static func runInfo(source: String, seed: UInt64? = nil) -> RunInfo {
        RunInfo(toolVersion: ToolVersion.current, seed: seed, source: source, createdAt: ToolVersion.timestamp(),
                host: ProcessInfo.processInfo.hostName, commandLine: commandLine())
    }

    /// `dmajournal` and its arguments, each quoted as a POSIX shell would need.
    static func commandLine() -> String {
        let words = ["dmajournal"] + CommandLine.arguments.dropFirst()
        return words.map(shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
