/// A fixed set of equal frames scattered over a window of physical memory, handed out
/// at random and given back when a request ends.
///
/// Why a pool rather than fresh random addresses: the engine backs every page it is asked
/// to write, so a million requests at fresh addresses would grow memory without bound.
/// Reusing a bounded set of frames, spread over the whole window, keeps resident memory
/// flat while addresses still cover a 1 TiB region, and frames held by requests in
/// flight never overlap, so every request's data claims hold.
struct FramePool {
    let frameBytes: UInt64
    private let bases: [UInt64]
    private var free: [Int32]

    /// `count` frames, frame f in the f-th of `count` equal stripes of the window at a
    /// random frame-aligned place inside it; nil when the window is too small.
    init?(windowBase: UInt64, windowBytes: UInt64, frameBytes: UInt64, count: Int, random: inout WorkloadRandom) {
        self.frameBytes = frameBytes
        guard count > 0 else { bases = []; free = []; return }
        let stride = windowBytes / UInt64(count) / frameBytes * frameBytes
        guard stride >= frameBytes else { return nil }
        let slack = stride / frameBytes
        bases = (0..<UInt64(count)).map { index in
            windowBase + index * stride + random.below(slack) * frameBytes
        }
        free = (0..<Int32(count)).map { $0 }
    }

    var capacity: Int { bases.count }
    var freeCount: Int { free.count }

    /// A free frame picked at random, or nil when all are taken.
    mutating func take(_ random: inout WorkloadRandom) -> Int? {
        guard !free.isEmpty else { return nil }
        let pick = random.below(free.count)
        let frame = free[pick]
        free.swapAt(pick, free.count - 1)
        free.removeLast()
        return Int(frame)
    }

    mutating func release(_ frame: Int) { free.append(Int32(frame)) }

    func base(of frame: Int) -> UInt64 { bases[frame] }
}
