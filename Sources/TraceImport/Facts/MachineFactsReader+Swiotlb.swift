/// The swiotlb and untrusted-device facts of a kernel log: which pool the kernel made,
/// which devices dma-iommu bounces for, and their `min_align_mask`.
///
///     edu_iova 0000:00:02.0: DMA bounce buffers are inactive, unable to map unaligned transaction.
///     edu_iova: seq=1 step=U dev=0000:00:02.0 op=state min_align_mask=0xfff untrusted=1 … pool_start=0x3ac00000 … pool_nslabs=32768 …
///
/// (The pool's "software IO TLB: mapped" line is `SwiotlbFacts`'.) The first is
/// `iommu_dma_map_swiotlb()`'s `dev_warn_once` (drivers/iommu/dma-iommu.c), printed only
/// when `dev_use_swiotlb()` chose to bounce and `is_swiotlb_active()` found no pool: on
/// x86 that is an untrusted device (a coherent device never needs the kmalloc bounce);
/// the third the kernel lab's `edu_iova` module reporting the device it drives
/// (`dma_get_min_align_mask()`, `pci_dev->untrusted`, `dev->dma_io_tlb_mem->defpool`).
extension MachineFactsReader {
    func readSwiotlbLog(_ message: Substring) -> Bool {
        if let range = message.range(of: ": DMA bounce buffers are inactive") {
            guard let device = message[..<range.lowerBound].split(separator: " ").last else { return true }
            learnUntrusted(String(device), from: "dmesg: DMA bounce buffers are inactive (iommu_dma_map_swiotlb: untrusted, no pool)")
            learnPool(.none, from: "dmesg: DMA bounce buffers are inactive (no swiotlb pool)")
            return true
        }
        if message.hasPrefix("edu_iova: "), message.contains(" op=state "), message.contains(" min_align_mask=") {
            readOracleState(message)
            return true
        }
        if message.hasPrefix("edu_iova "), message.contains(" liveness="), let bits = message.split(separator: " ").last?.removing(prefix: "dma_bits="),
           let count = Int(bits), (12...64).contains(count), let device = message.split(separator: " ").dropFirst().first?.dropLast() {
            // The lab module's probe line: "edu_iova 0000:00:02.0: edu id=… dma_bits=28".
            let name = devices.canonical(String(device))
            if facts.dmaMasks[name] == nil {
                facts.dmaMasks[name] = count == 64 ? .max : (1 << UInt64(count)) - 1
                note("edu_iova: \(device) dma_bits=\(count)")
            }
            return true
        }
        if message.hasPrefix("edu_iova: "), message.contains(" op=ranges "), message.contains(" dma_mask=") {
            readOracleState(message)
            return true
        }
        return false
    }

    /// The command line's `swiotlb=noforce`: no pool at all (`swiotlb_init_remap()`).
    func readSwiotlbArgument(_ value: Substring) {
        if value.split(separator: ",").contains("noforce") { learnPool(.none, from: "command line swiotlb=\(value)") }
    }

    private func readOracleState(_ message: Substring) {
        var fields: [Substring: Substring] = [:]
        for word in message.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2, fields[parts[0]] == nil { fields[parts[0]] = parts[1] }
        }
        guard let name = fields["dev"] else { return }
        let device = devices.canonical(String(name))
        if fields["untrusted"] == "1" || fields["dev_is_untrusted"] == "1" {
            learnUntrusted(device, from: "edu_iova: \(name) untrusted=1")
        }
        if let text = fields["dma_mask"], let mask = Self.hexNumber(text), mask != 0, mask & (mask &+ 1) == 0, facts.dmaMasks[device] == nil {
            facts.dmaMasks[device] = mask
            note("edu_iova: \(name) dma_mask=\(text)")
        }
        if let text = fields["min_align_mask"], let mask = Self.hexNumber(text), facts.minAlignMasks[device] == nil {
            facts.minAlignMasks[device] = mask
            note("edu_iova: \(name) min_align_mask=\(text)")
        }
        if let text = fields["pool_nslabs"], let slabs = UInt64(text) {
            if slabs == 0 {
                learnPool(.none, from: "edu_iova: pool_nslabs=0 (no swiotlb pool)")
            } else if let start = fields["pool_start"].flatMap(Self.hexNumber) {
                learnPool(.pool(base: start, sizeBytes: slabs * 2048), from: "edu_iova: pool_start=\(fields["pool_start"]!) pool_nslabs=\(slabs)")
            }
        }
    }

    private func learnPool(_ pool: SwiotlbPoolFact, from source: String) {
        guard facts.labPool == nil else { return }
        facts.labPool = pool
        note(source)
    }

    private func learnUntrusted(_ device: String, from source: String) {
        let name = devices.canonical(device)
        guard !facts.untrustedDevices.contains(name) else { return }
        facts.untrustedDevices.insert(name)
        note(source)
    }
}
