/// Which op last wrote each byte of RAM since tracking began: the checker-side record
/// `verify` uses to name the ops behind a difference.
///
/// Kept per 4 KiB page as a short sorted list of segments, so its cost grows with the
/// bytes written and how finely they were overwritten, never with region size. The engine
/// tracks only once asked (a `checkpoint` op, or `Engine.startTrackingWriters()`): a
/// recording without checkpoints pays one nil check per memory write.
final class LastWriterMap {
    struct Segment: Hashable {
        /// Byte offsets in the page, `start..<end`.
        var start: Int
        var end: Int
        /// The writer of the segment's first byte.
        var writer: MemoryWriter
    }

    @exclusivity(unchecked) var segmentsOfPage: [UInt64: [Segment]] = [:]
    /// The op being applied; the engine sets it before each op.
    @exclusivity(unchecked) private var current = MemoryWriter(sequence: -1, op: .checkpoint, device: nil, handle: nil, path: .cpuStore)

    init() {}

    /// Makes op `sequence` the writer of whatever the next notes record.
    func begin(_ op: Op, sequence: Int) {
        current = MemoryWriter(sequence: sequence, op: op.kind, device: op.deviceName, handle: op.handle, path: .cpuStore)
    }

    /// Records that the current op wrote `[phys, phys+length)` by `path`; `dma` says
    /// which device wrote it, through what and from which device-side address.
    func note(phys: UInt64, length: UInt64, path: MemoryWriter.Path, dma: DMAWrite? = nil) {
        var writer = current
        writer.path = path
        if let dma {
            writer.device = dma.device
            writer.handle = dma.handle
            writer.deviceAddress = dma.deviceAddress
        }
        var done: UInt64 = 0
        while done < length {
            let address = phys &+ done  // a range past 2^64 wraps, as phys_addr_t arithmetic does
            let offset = Int(address & 0xFFF)
            let count = Int(min(UInt64(4096 - offset), length - done))
            overwrite(page: address >> 12, start: offset, end: offset + count, writer.advanced(by: done))
            done += UInt64(count)
        }
    }

    private func overwrite(page: UInt64, start: Int, end: Int, _ writer: MemoryWriter) {
        let fresh = Segment(start: start, end: end, writer: writer)
        guard start > 0 || end < 4096, let old = segmentsOfPage[page] else {
            segmentsOfPage[page] = [fresh]
            return
        }
        var kept: [Segment] = []
        kept.reserveCapacity(old.count + 2)
        for segment in old {
            if segment.end <= start || segment.start >= end {
                kept.append(segment)
                continue
            }
            if segment.start < start { kept.append(Segment(start: segment.start, end: start, writer: segment.writer)) }
            if segment.end > end {
                kept.append(Segment(start: end, end: segment.end, writer: segment.writer.advanced(by: UInt64(end - segment.start))))
            }
        }
        kept.append(fresh)
        kept.sort { $0.start < $1.start }
        segmentsOfPage[page] = kept
    }

    /// The distinct last writers of `range`'s bytes, in address order (each with the
    /// device address of the first byte of the range it wrote), and whether some bytes
    /// have no tracked writer.
    func writers(of range: PhysRange) -> (writers: [MemoryWriter], untracked: Bool) {
        var writers: [MemoryWriter] = []
        var covered: UInt64 = 0
        var address = range.phys
        let end = range.phys + range.length
        while address < end {
            let page = address >> 12
            let pageStart = page << 12
            let from = Int(address - pageStart)
            let to = Int(min(end - pageStart, 4096))
            for segment in segmentsOfPage[page] ?? [] where segment.end > from && segment.start < to {
                let first = max(segment.start, from)
                covered += UInt64(min(segment.end, to) - first)
                let writer = segment.writer.advanced(by: UInt64(first - segment.start))
                if !writers.contains(where: { $0.sequence == writer.sequence && $0.path == writer.path }) { writers.append(writer) }
            }
            address = pageStart + UInt64(to)
        }
        return (writers, covered < range.length)
    }
}

/// A DMA write as the last-writer map records it.
struct DMAWrite {
    var device: String
    /// The state or mapping the access went through, if the IOVA had an owner.
    var handle: String?
    /// The device-side address of the first byte.
    var deviceAddress: UInt64
}

extension Op {
    /// The device an op names, if any.
    var deviceName: String? {
        switch call {
        case .alloc(let op): return op.device
        case .map(let op): return op.device
        case .deviceWrite(let op): return op.device
        case .deviceRead(let op): return op.device
        case .detach(let op): return op.device
        default: return nil
        }
    }
}
