import DMASim
import Journal
import Snapshot

/// A checkpoint's engine state as the `checkpoints` table keeps it: `Engine.encodeState()`
/// in an LZ4 frame of independent 64 KiB blocks (so `lz4 -d` reads it too), with the
/// format version and the raw size beside it.
enum CheckpointState {
    static func row(of engine: Engine) -> CheckpointStateRow {
        let state = engine.encodeState()
        return CheckpointStateRow(frame: LZ4FrameCodec().encode(state), format: Engine.stateFormatVersion, rawBytes: state.count)
    }

    /// The engine the row describes, with no memory yet. Throws `Problem`, an
    /// `LZ4FrameError` or an `EngineStateError`.
    static func engine(from row: CheckpointStateRow) throws -> Engine {
        guard Engine.readableStateFormatVersions.contains(row.format) else {
            throw Problem("format version \(row.format), but this build reads version \(Engine.stateFormatVersion)")
        }
        let state = try LZ4FrameCodec.decode(row.frame, limit: max(row.rawBytes, 0))
        guard state.count == row.rawBytes else { throw Problem("decompresses to \(state.count) bytes, not \(row.rawBytes)") }
        return try Engine.decodingState(state)
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
