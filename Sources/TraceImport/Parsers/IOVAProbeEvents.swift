import DMASim

/// Dynamic probe events on the two-step API, which has no tracepoint: an fprobe (or
/// kprobe) on entry to each `dma_iova_*` function and one on its return, as
/// `../shared/kernel-lab/probes/iova` defines them and `dmajournal capture` does:
///
///     dma_iova_try_alloc: (dma_iova_try_alloc+0x4/0x120) dev="0000:00:01.0" state=0xffff8ede475c6588 phys=0x1b1c0000 size=4608
///     dma_iova_try_alloc_ret: (blk_dma_map_iter_start+0x214/0x320 <- dma_iova_try_alloc) ret=1 state=0xffff8ede475c6588 addr=0xfffdc000 state_size=0x1200
///     dma_iova_link: (dma_iova_link+0x4/0x350) state=0x… addr=0xfffdc000 phys=0x1b1c0000 offset=0 size=4096 dir=2 attrs=0x0
///     dma_iova_link_ret: (blk_dma_map_iter_start+0x2a4/0x320 <- dma_iova_link) ret=0
///     dma_iova_sync: (dma_iova_sync+0x4/0x50) state=0x… addr=0xfffdc000 offset=0 size=4608
///     dma_iova_unlink: (dma_iova_unlink+0x4/0x210) state=0x… addr=0xfffdc000 offset=0 size=4608 dir=2 attrs=0x0
///     dma_iova_destroy: (dma_iova_destroy+0x4/0x50) state=0x… addr=0xfffdc000 state_size=0x1200 mapped_len=4608 dir=2 attrs=0x0
///     dma_iova_free: (dma_iova_free+0x4/0xb0) state=0x… addr=0xfffdc000 state_size=0x1200
///
/// An entry event carries the arguments (and `state->addr`); its `_ret` event the return
/// value and, for try_alloc, the state the call filled in. `dir` is `enum
/// dma_data_direction` (0 BIDIRECTIONAL, 1 TO_DEVICE, 2 FROM_DEVICE, 3 NONE), `attrs` the
/// `DMA_ATTR_*` bits, `state_size` is `state->__size` (bit 63: `DMA_IOVA_USE_SWIOTLB`).
/// `CallAssembler` pairs entries with returns and folds `dma_iova_destroy`'s nested calls.
enum IOVAProbeEvents {
    static let names: Set<String> = Set([IOVACall.tryAlloc, .link, .sync, .unlink, .destroy, .free].flatMap { [$0.rawValue, $0.rawValue + "_ret"] })

    static let dev = utf8("dev"), state = utf8("state"), phys = utf8("phys"), size = utf8("size"), ret = utf8("ret")
    static let addr = utf8("addr"), stateSize = utf8("state_size"), offset = utf8("offset"), mappedLength = utf8("mapped_len")
    static let dir = utf8("dir"), attrs = utf8("attrs")

    /// `DMA_IOVA_USE_SWIOTLB`: the state bounced part of a link through swiotlb.
    static let useSwiotlbBit: UInt64 = 1 << 63

    static func parse(_ name: String, fields: Range<Int>, _ record: TraceRecord, devices: DeviceDirectory) -> LineResult {
        let isReturn = name.hasSuffix("_ret")
        guard let call = IOVACall(rawValue: isReturn ? String(name.dropLast(4)) : name) else { return .skipped(.unknownEvent) }
        let values = KeyValueFields(record.text, fields)
        var event = record.event(isReturn ? .iovaReturn(call) : .iova(call), name)
        event.state = values.text(state)
        event.address = values.hex(addr)
        if isReturn {
            event.errno = values.signedDecimal(ret)
            if call == .tryAlloc {
                event.fallback = event.errno == 0
                event.sizeBytes = values.hex(stateSize).map { $0 & ~useSwiotlbBit }
            }
            return .event(event)
        }
        if let name = values.text(dev) { event.device = devices.canonical(String(name.filter { $0 != "\"" })) }
        event.phys = values.number(phys)
        event.offset = values.number(offset)
        event.direction = values.signedDecimal(dir).flatMap { KernelSymbols.direction(number: Int64($0)) }
        event.attributes = values.number(attrs).map { DMAAttributes(rawValue: UInt32(truncatingIfNeeded: $0)) }
        switch call {
        case .tryAlloc, .link, .sync, .unlink: event.sizeBytes = values.number(size)
        case .destroy: event.sizeBytes = values.number(mappedLength)
        case .free: event.sizeBytes = values.hex(stateSize).map { $0 & ~useSwiotlbBit }
        }
        guard event.state != nil else { return .skipped(.malformed(name, missing: "state")) }
        return .event(event)
    }
}
