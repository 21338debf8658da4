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
        /// What differs, in words.
        public var detail: String

        public var description: String {
            let place = opIndex.map { "op \($0)" } ?? "final state"
            return "checkpoint after \(splitAfter) ops: \(place): \(detail)"
        }
    }

    /// Runs `ops` once; after `k` ops, for each `k` in `splitPoints` (0…ops.count), takes a
    /// checkpoint and restores a copy from it, which then runs the rest of the ops in
    /// lockstep with the original. Returns the first divergence.
    public static func firstDivergence(in ops: [Op], splittingAfter splitPoints: [Int]) -> Divergence? {
        let original = Engine()
        var copies: [(split: Int, engine: Engine)] = []
        let splits = Set(splitPoints)
        for index in 0...ops.count {
            if splits.contains(index) {
                switch restoredCopy(of: original, splitAfter: index) {
                case .success(let copy): copies.append((index, copy))
                case .failure(let divergence): return divergence
                }
            }
            guard index < ops.count else { break }
            let expected = original.apply(ops[index])
            for (split, copy) in copies {
                let actual = copy.apply(ops[index])
                if actual != expected {
                    return Divergence(splitAfter: split, opIndex: index, detail: "expected \(expected), restored engine gave \(actual)")
                }
            }
        }
        let finalState = original.encodeState()
        if let (split, _) = copies.first(where: { $0.engine.encodeState() != finalState }) {
            return Divergence(splitAfter: split, opIndex: nil, detail: "the engines end in states with different bytes")
        }
        return nil
    }

    /// The copy a checkpoint of `original` restores, provided its state decodes and
    /// re-encodes to the same bytes.
    private static func restoredCopy(of original: Engine, splitAfter split: Int) -> Result<Engine, Divergence> {
        let state = original.encodeState()
        let copy: Engine
        do {
            copy = try Engine.decodingState(state)
        } catch {
            return .failure(Divergence(splitAfter: split, opIndex: nil, detail: "the state does not decode: \(error)"))
        }
        original.copyPages(into: copy)
        guard copy.encodeState() == state else {
            return .failure(Divergence(splitAfter: split, opIndex: nil, detail: "re-encoding the decoded state gives other bytes"))
        }
        return .success(copy)
    }
}

extension Engine {
    /// A second engine made the way a checkpoint restores one: this engine's state encoded
    /// and decoded, then every page it has written copied in.
    public func checkpointCopy() throws(EngineStateError) -> Engine {
        let copy = try Engine.decodingState(encodeState())
        copyPages(into: copy)
        return copy
    }

    /// Copies every page this engine has written into `other`: what a memory snapshot
    /// restores.
    func copyPages(into other: Engine) {
        let page = UnsafeMutableRawPointer.allocate(byteCount: Engine.memoryPageBytes, alignment: 16)
        defer { page.deallocate() }
        for pageNumber in touchedPages() where copyPage(pageNumber, into: page) {
            other.restorePage(pageNumber, from: page)
        }
    }
}
