import Foundation
import Journal

/// The `run` row of a journal this process creates: tool version, start time, and (schema
/// 16) the host, and the command line (012), which a fleet store shows beside every journal
/// (docs/fleet.md). Read here, at the edge, never in the engine.
enum RecordingOrigin {
    static func runInfo(source: String, seed: UInt64? = nil) -> RunInfo {
        RunInfo(toolVersion: ToolVersion.current, seed: seed, source: source, createdAt: ToolVersion.timestamp(),
                host: ProcessInfo.processInfo.hostName, commandLine: CommandLineText.current)
    }
}
