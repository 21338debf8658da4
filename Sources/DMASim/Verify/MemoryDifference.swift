/// One run of bytes where memory differs from a snapshot: where it is, how long, and the
/// ops that last wrote it.
public struct MemoryDifference: Sendable, Hashable, CustomStringConvertible {
    /// The region holding the run.
    public var region: String
    /// The run's first physical address.
    public var phys: UInt64
    /// The run's length in bytes.
    public var length: UInt64
    /// The distinct ops that last wrote the run's bytes, in address order.
    public var writers: [MemoryWriter]
    /// Some bytes of the run have no tracked writer (written before tracking began).
    public var hasUntrackedBytes: Bool

    /// A run as `Engine.verify` reports it.
    public init(region: String, phys: UInt64, length: UInt64, writers: [MemoryWriter], hasUntrackedBytes: Bool) {
        self.region = region; self.phys = phys; self.length = length
        self.writers = writers; self.hasUntrackedBytes = hasUntrackedBytes
    }

    /// `shm0 phys 0x100000020000 len 0x200: last written by seq 14 dev-write by nvme0 through s2 at 0xffffc000`
    public var description: String {
        "\(region) phys 0x\(hex(phys)) len 0x\(hex(length)): " + writerText
    }

    /// Writers named one by one; more are summarised, so a run written by thousands of
    /// ops stays one readable line.
    public static let writersShown = 4

    /// Who last wrote the run: the latest writers in seq order, then how many earlier ones.
    public var writerText: String {
        let bySequence = writers.sorted { $0.sequence < $1.sequence }
        var parts = bySequence.suffix(Self.writersShown).map(\.description)
        let earlier = bySequence.dropLast(Self.writersShown)
        if let first = earlier.first, let last = earlier.last {
            parts.insert("\(earlier.count) earlier writes (seq \(first.sequence)…\(last.sequence))", at: 0)
        }
        if hasUntrackedBytes { parts.append(writers.isEmpty ? "no tracked write" : "bytes with no tracked write") }
        return (writers.isEmpty ? "" : "last written by ") + parts.joined(separator: "; ")
    }
}
