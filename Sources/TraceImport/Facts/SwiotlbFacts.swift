/// What a kernel log says of the swiotlb bounce pool (kernel/dma/swiotlb.c, whose messages
/// carry the `software IO TLB: ` prefix of its `pr_fmt`):
///
///     software IO TLB: mapped [mem 0x00000000bbfd0000-0x00000000bffd0000] (64MB)   swiotlb_print_info()
///     software IO TLB: tearing down default memory pool                            swiotlb_exit()
///     nvme 0000:01:00.0: swiotlb addr 0x0000000100000000+4096 overflow (mask …)   swiotlb_map()
///     nvme 0000:01:00.0: DMA addr 0x0000000100000000+4096 overflow (mask …)       dma_direct_map_phys()
///     … swiotlb buffer is full …, Out of SW-IOMMU space …                            a pool that ran out
public struct SwiotlbFacts: Sendable, Hashable {
    /// The default pool `swiotlb_init_remap()` mapped: its base and size.
    public var mappedBase: UInt64?
    public var mappedBytes: UInt64?
    /// `swiotlb_exit()` freed the default pool (x86's `pci_iommu_init()` when no device needs it).
    public var tornDown = false
    /// A slot `swiotlb_map()` handed out that the device could not reach: the pool lies there.
    public var unreachableSlot: UInt64?
    /// A pool-exhaustion report or a bounce failure: a pool existed.
    public var reportedInUse = false
    /// `dma_direct_map_phys()` reported an unreachable buffer instead of bouncing it: the
    /// device had no pool (`is_swiotlb_active()` false) when the call was made.
    public var directOverflow = false

    public init() {}

    /// Whether anything in the log says a pool existed.
    public var poolExisted: Bool { (mappedBytes != nil && !tornDown) || unreachableSlot != nil || reportedInUse }
}

extension MachineFactsReader {
    /// The swiotlb facts in one kernel log message; false when it says nothing of them.
    func readSwiotlb(_ message: Substring) -> Bool {
        if let rest = message.removing(prefix: "software IO TLB: mapped [mem ") {
            let bounds = rest.prefix { $0 != "]" }.split(separator: "-")
            guard bounds.count == 2, let start = Self.hexNumber(bounds[0]), let end = Self.hexNumber(bounds[1]), end > start else { return true }
            if facts.swiotlb.mappedBytes == nil {
                // swiotlb_print_info() prints mem->end, one past the pool (mem->start + bytes).
                facts.swiotlb.mappedBase = start
                facts.swiotlb.mappedBytes = end - start
                note("dmesg: software IO TLB: mapped [mem \(bounds[0])-\(bounds[1])]")
            }
            return true
        }
        if message.hasPrefix("software IO TLB: tearing down default memory pool") {
            facts.swiotlb.tornDown = true
            note("dmesg: software IO TLB: tearing down default memory pool")
            return true
        }
        if let range = message.range(of: " overflow (mask ") {
            readOverflow(message, at: range)
            return true
        }
        if message.contains("swiotlb buffer is full") || message.contains("Out of SW-IOMMU space")
            || message.contains("swiotlb: coherent allocation failed") || message.contains("Device bounce map: ") {
            facts.swiotlb.reportedInUse = true
            return true
        }
        return false
    }

    /// `DEVICE: swiotlb addr ADDR+SIZE overflow (mask M, bus limit L).` and dma-direct's
    /// `DEVICE: DMA addr …`: the device reaches no further than M, without an IOMMU.
    private func readOverflow(_ message: Substring, at range: Range<Substring.Index>) {
        let head = message[..<range.lowerBound]
        let isSwiotlb: Bool
        let marker: Range<Substring.Index>
        if let at = head.range(of: ": swiotlb addr ") { isSwiotlb = true; marker = at }
        else if let at = head.range(of: ": DMA addr ") { isSwiotlb = false; marker = at }
        else { return }
        guard let name = head[..<marker.lowerBound].split(separator: " ").last,
              let mask = Self.hexNumber(message[range.upperBound...].prefix { $0.isHexDigit || $0 == "x" }) else { return }
        let device = canonical(String(name))
        if !facts.directDevices.contains(device) {
            facts.directDevices.insert(device)
            note("dmesg: \(name) reported a DMA overflow (mask \(String(mask, radix: 16))): it has no IOMMU")
        }
        if facts.dmaMasks[device] == nil, mask != 0, mask & (mask &+ 1) == 0 { facts.dmaMasks[device] = mask }
        if isSwiotlb {
            let address = head[marker.upperBound...].prefix { $0 != "+" }
            if facts.swiotlb.unreachableSlot == nil, let slot = Self.hexNumber(address) { facts.swiotlb.unreachableSlot = slot }
        } else {
            facts.swiotlb.directOverflow = true
        }
    }

    /// `0x1f`, `1f`, `0x000000001f`.
    static func hexNumber(_ text: Substring) -> UInt64? {
        let digits = text.hasPrefix("0x") ? text.dropFirst(2) : text
        return digits.isEmpty ? nil : UInt64(digits, radix: 16)
    }
}
