import Foundation

/// The tool's version, written into every journal's `run` row.
enum ToolVersion {
    static let current = "0.1.0"

    /// Wall-clock time for the `run.created_at` column: read here, at the edge, never in
    /// the engine.
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
