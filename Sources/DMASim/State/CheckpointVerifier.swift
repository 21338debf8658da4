/// The checkpoint property as a check anyone can run: an engine restored from a
/// checkpoint taken after op k — its state decoded, the pages it had written copied in —
/// gives the same outcome as the original for every op after k, and ends in a state with
/// the same bytes. Tests run it over every fixture script and workload; a replayer that
/// starts from checkpoints stands on it.
public enum CheckpointVerifier {
    /// Where a restored engine first behaved differently.
    public struct Divergence: Error, CustomStringConvertible, Sendable {
        /// Ops applied before the checkpoint was taken.
        public var splitAfter: Int
        /// The first op (0-based) whose outcome differs; nil when the states differ.
        public var opIndex: Int?
        public var detail: String

        public var description: String {
            let place = opIndex.map { "op \($0)" } ?? "final state"
            return "checkpoint after \(splitAfter) ops: \(place): \(detail)"
        }
    }

    /// Runs `ops[..<k]`, restores a copy from a checkpoint, runs the rest on both and
    /// compares, for each `k` in `splitPoints` (0…ops.count). Returns the first divergence.
    public static func firstDivergence(in ops: [Op], splittingAfter splitPoints: [Int]) -> Divergence? {
        for split in splitPoints {
            if let divergence = divergence(in: ops, splittingAfter: split) { return divergence }
        }
        return nil
    }

    private static func divergence(in ops: [Op], splittingAfter split: Int) -> Divergence? {
        let original = Engine()
        for op in ops[..<split] { _ = original.apply(op) }
        let restored: Engine
        do {
            restored = try original.checkpointCopy()
        } catch {
            return Divergence(splitAfter: split, opIndex: nil, detail: "the state does not decode: \(error)")
        }
        if restored.encodeState() != original.encodeState() {
            return Divergence(splitAfter: split, opIndex: nil, detail: "re-encoding the decoded state gives other bytes")
        }
        for index in split..<ops.count {
            let expected = original.apply(ops[index])
            let actual = restored.apply(ops[index])
            if actual != expected {
                return Divergence(splitAfter: split, opIndex: index, detail: "expected \(expected), restored engine gave \(actual)")
            }
        }
        if restored.encodeState() != original.encodeState() {
            return Divergence(splitAfter: split, opIndex: nil, detail: "the engines end in states with different bytes")
        }
        return nil
    }
}

extension Engine {
    /// A second engine made the way a checkpoint restores one: this engine's state encoded
    /// and decoded, then every page it has written copied in.
    public func checkpointCopy() throws(EngineStateError) -> Engine {
        let copy = try Engine.decodingState(encodeState())
        let page = UnsafeMutableRawPointer.allocate(byteCount: Engine.memoryPageBytes, alignment: 16)
        defer { page.deallocate() }
        for pageNumber in touchedPages() where copyPage(pageNumber, into: page) {
            copy.restorePage(pageNumber, from: page)
        }
        return copy
    }
}
