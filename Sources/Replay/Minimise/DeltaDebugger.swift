/// Zeller's ddmin: the smallest subset of `units` (1-minimal: removing any one unit
/// makes the test fail) that still passes `test`, found by trying complements of ever
/// smaller chunks. `test` must hold for `units` itself. Order is kept.
enum DeltaDebugger<Unit> {
    static func minimise(_ units: [Unit], test: ([Unit]) throws(ReplayError) -> Bool) throws(ReplayError) -> [Unit] {
        var current = units
        var granularity = 2
        while current.count >= 2 {
            let chunks = Self.split(current, into: granularity)
            var reduced = false
            for index in chunks.indices {
                let complement = chunks.enumerated().filter { $0.offset != index }.flatMap(\.element)
                if try test(complement) {
                    current = complement
                    granularity = max(granularity - 1, 2)
                    reduced = true
                    break
                }
            }
            if !reduced {
                if granularity >= current.count { break }
                granularity = min(current.count, granularity * 2)
            }
        }
        return current
    }

    /// `units` in `count` nearly equal consecutive chunks.
    static func split(_ units: [Unit], into count: Int) -> [[Unit]] {
        var chunks: [[Unit]] = []
        var start = 0
        for chunk in 0..<count {
            let end = units.count * (chunk + 1) / count
            if end > start { chunks.append(Array(units[start..<end])) }
            start = end
        }
        return chunks
    }
}
