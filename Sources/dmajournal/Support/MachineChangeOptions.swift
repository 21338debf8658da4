import ArgumentParser
import Replay

/// `--with KEY=VALUE`, shared by `replay`, `bisect` and `minimize`: the changed machine a
/// journal is replayed on (docs/replay.md).
struct MachineChangeOptions: ParsableArguments {
    @Option(name: .customLong("with"), help: "Replay on a changed machine: KEY=VALUE; repeatable.")
    var overrides: [String] = []

    /// The overrides, parsed; the first one that fits no key is bad input.
    func parsed() throws -> [TopologyOverride] {
        try overrides.map { text throws -> TopologyOverride in
            try libraryCall { () throws(TopologyOverrideError) -> TopologyOverride in try TopologyOverride(parsing: text) }
        }
    }
}
