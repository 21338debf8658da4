import DMASim
import Journal
import Snapshot

/// A checkpoint's engine state as the `checkpoints` table keeps it: `Engine.encodeState()`
/// in an LZ4 frame (`lz4 -d` reads it too), with the format version beside it.
///
/// TEMPORARY until branch checkpoint-state is merged: no engine state yet.
enum CheckpointState {
    static func row(of engine: Engine) -> CheckpointStateRow {
        CheckpointStateRow(frame: LZ4FrameCodec().encode([]), format: 0, rawBytes: 0)
    }

    static func engine(from row: CheckpointStateRow) throws -> Engine {
        throw StateUnavailable()
    }

    struct StateUnavailable: Error, CustomStringConvertible {
        var description: String { "engine state decoding is not built yet" }
    }
}
