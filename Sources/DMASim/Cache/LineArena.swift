/// Dense storage for 64-byte cache lines: chunks of 16384 lines (1 MiB) and a free list,
/// so a line's data costs 64 bytes plus a 4-byte slot number, whatever region it caches.
///
/// A value type so the per-line bookkeeping runs without dynamic exclusivity checks;
/// the chunks themselves belong to a class that frees them. Not meant to be copied: a
/// copy would share the chunks.
struct LineArena {
    static let lineBytes = 64
    static let linesPerChunk = 16384

    /// Owns the chunk memory (a struct has no deinit).
    private final class Chunks {
        @exclusivity(unchecked) var pointers: [UnsafeMutableRawPointer] = []
        deinit { for chunk in pointers { chunk.deallocate() } }
    }

    private let owner = Chunks()
    private var chunks: [UnsafeMutableRawPointer] = []
    private var freeSlots: [Int32] = []
    private var nextSlot = 0

    init() {}

    /// Lines holding data now.
    var liveCount: Int { nextSlot - freeSlots.count }

    /// A slot for one line; its bytes are whatever the last user left.
    mutating func allocate() -> Int32 {
        if let reused = freeSlots.popLast() { return reused }
        if nextSlot % Self.linesPerChunk == 0 {
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: Self.linesPerChunk * Self.lineBytes, alignment: Self.lineBytes)
            owner.pointers.append(chunk)
            chunks.append(chunk)
        }
        defer { nextSlot += 1 }
        return Int32(nextSlot)
    }

    mutating func free(_ slot: Int32) { freeSlots.append(slot) }

    func pointer(_ slot: Int32) -> UnsafeMutableRawPointer {
        let index = Int(slot)
        return chunks[index / Self.linesPerChunk] + (index % Self.linesPerChunk) * Self.lineBytes
    }
}
