/// The op that last wrote some bytes of RAM, and how the bytes got there: what `verify`
/// names beside a difference, so a user sees which DMA or CPU store corrupted memory.
public struct MemoryWriter: Sendable, Hashable, CustomStringConvertible {
    /// How bytes reached RAM.
    public enum Path: String, Sendable, Hashable, CaseIterable {
        /// A CPU store straight to memory (no cache model), or a kernel `memset`.
        case cpuStore = "CPU store"
        /// A device DMA write.
        case deviceDMA = "device DMA"
        /// A swiotlb bounce copy (`swiotlb_bounce()`), run by a map, sync or unmap.
        case bounceCopy = "swiotlb bounce copy"
        /// A dirty line of the CPU cache model written back by cache maintenance.
        case cacheWriteback = "cache writeback"
    }

    /// The op's sequence number: its 0-based position in apply order, the journal's seq.
    public var sequence: Int
    /// The op's kind.
    public var op: OpKind
    /// The device of the op (the writing device for DMA).
    public var device: String?
    /// The IOVA state or mapping the op named.
    public var handle: String?
    /// How the bytes were reached (`Path`).
    public var path: Path
    /// For DMA: the device-side address the first written byte was reached through.
    public var deviceAddress: UInt64?

    /// A writer as the last-writer map records it.
    public init(sequence: Int, op: OpKind, device: String?, handle: String?, path: Path, deviceAddress: UInt64? = nil) {
        self.sequence = sequence; self.op = op; self.device = device; self.handle = handle
        self.path = path; self.deviceAddress = deviceAddress
    }

    /// `seq 14 dev-write by nvme0 through s2 at 0xffffc000`, `seq 5 cpu-write`,
    /// `seq 20 unmap m1 (swiotlb bounce copy)`.
    public var description: String {
        switch path {
        case .deviceDMA:
            return "seq \(sequence) \(op.rawValue)" + (device.map { " by \($0)" } ?? "") + (handle.map { " through \($0)" } ?? "")
                + (deviceAddress.map { " at 0x\(hex($0))" } ?? "")
        case .cpuStore where op == .cpuWrite:
            return "seq \(sequence) cpu-write"
        default:
            return "seq \(sequence) \(op.rawValue)" + (handle.map { " \($0)" } ?? "") + " (\(path.rawValue))"
        }
    }

    /// The same writer seen `bytes` further on: DMA went on at a higher device address.
    func advanced(by bytes: UInt64) -> MemoryWriter {
        var moved = self
        moved.deviceAddress = deviceAddress.map { $0 &+ bytes }
        return moved
    }
}
