/// Dense storage for 64-byte cache lines: chunks of 16384 lines (1 MiB) and a free list,
/// so a line's data costs 64 bytes plus a 4-byte slot number, whatever region it caches.
final class LineArena {
    static let lineBytes = 64
    static let linesPerChunk = 16384

    private var chunks: [UnsafeMutableRawPointer] = []
    private var freeSlots: [Int32] = []
    private var nextSlot = 0

    init() {}

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Lines holding data now.
    var liveCount: Int { nextSlot - freeSlots.count }

    /// A slot for one line; its bytes are whatever the last user left.
    func allocate() -> Int32 {
        if let reused = freeSlots.popLast() { return reused }
        if nextSlot % Self.linesPerChunk == 0 {
            chunks.append(UnsafeMutableRawPointer.allocate(byteCount: Self.linesPerChunk * Self.lineBytes, alignment: Self.lineBytes))
        }
        defer { nextSlot += 1 }
        return Int32(nextSlot)
    }

    func free(_ slot: Int32) { freeSlots.append(slot) }

    func pointer(_ slot: Int32) -> UnsafeMutableRawPointer {
        let index = Int(slot)
        return chunks[index / Self.linesPerChunk] + (index % Self.linesPerChunk) * Self.lineBytes
    }
}
