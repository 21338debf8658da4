import Foundation
import Replay

/// `bisect --run`'s steps as `git bisect` shows them: one line each on stderr as it is
/// judged ("seq 25088 bad (exit 1): 25087 ops left, about 15 steps"), and the same lines
/// in `--log FILE`, headed by what was bisected and ended by how it ended.
struct BisectStepLog {
    private var file: FileHandle?

    init(path: String?, journal: String, predicate: BisectPredicate) {
        guard let path, FileManager.default.createFile(atPath: path, contents: nil) else { return }
        file = FileHandle(forWritingAtPath: path)
        write("# dmajournal bisect \(journal) \(predicate)")
    }

    mutating func record(_ step: BisectStep) {
        StandardError.write("bisect: \(step)")
        write(step.description)
    }

    mutating func close(ending: String) {
        write("# \(ending)")
        try? file?.close()
        file = nil
    }

    private func write(_ line: String) {
        file?.write(Data((line + "\n").utf8))
    }
}
