import DMASim

/// The `dma:*` tracepoints (include/trace/events/dma.h, Linux 6.12+). Every event starts
/// with the device name; hex values carry no `0x`:
///
///     dma_map_page: 0000:00:14.0 dir=TO_DEVICE dma_addr=ffffe000 size=4096 phys_addr=1234000 attrs=
///     dma_unmap_phys: 0000:00:14.0 dir=TO_DEVICE dma_addr=ffffe000 size=4096 attrs=SKIP_CPU_SYNC
///     dma_alloc: 0000:c2:00.0 dma_addr=fe980000 size=524288 virt_addr=… flags=GFP_KERNEL attrs=
///     dma_map_sg: 0000:01:00.0 dir=FROM_DEVICE nents=2/2 ents=1/1 dma_addrs={0xff000} sizes={0x2000} phys_addrs={0x1000,0x3000} attrs=
///     dma_sync_single_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ff000 size=2048
///
/// 6.12 names the single-page events `dma_map_page`/`dma_unmap_page` and has
/// `dma_*_resource`; later kernels renamed them `dma_map_phys`/`dma_unmap_phys`, dropped
/// the resource events and added `dma_alloc_pages`, `dma_alloc_sgt(_err)`,
/// `dma_free_pages`, `dma_free_sgt` and `dma_map_sg_err`. The event name is the naming kept.
enum DMATracepoints {
    static let names: Set<String> = [
        "dma_map_page", "dma_map_phys", "dma_map_resource", "dma_unmap_page", "dma_unmap_phys", "dma_unmap_resource",
        "dma_alloc", "dma_alloc_pages", "dma_alloc_sgt", "dma_alloc_sgt_err", "dma_free", "dma_free_pages", "dma_free_sgt",
        "dma_map_sg", "dma_map_sg_err", "dma_unmap_sg",
        "dma_sync_single_for_cpu", "dma_sync_single_for_device", "dma_sync_sg_for_cpu", "dma_sync_sg_for_device",
    ]

    static let dir = utf8("dir"), dmaAddr = utf8("dma_addr"), size = utf8("size"), physAddr = utf8("phys_addr")
    static let attrs = utf8("attrs"), virtAddr = utf8("virt_addr"), err = utf8("err")
    static let dmaAddrs = utf8("dma_addrs"), sizes = utf8("sizes"), physAddrs = utf8("phys_addrs"), truncated = utf8("[TRUNCATED]")

    static func parse(_ name: String, fields: Range<Int>, _ record: TraceRecord, devices: DeviceDirectory) -> LineResult {
        let bytes = record.text
        var scanner = TextScanner(bytes, from: fields.lowerBound, to: fields.upperBound)
        scanner.skipSpaces()
        let deviceRange = scanner.word()
        guard !deviceRange.isEmpty, !bytes[deviceRange].contains(.equals) else { return .skipped(.malformed(name, missing: "device")) }
        let values = KeyValueFields(bytes, scanner.position..<fields.upperBound)
        var event = record.event(kind(of: name), name)
        event.device = devices.canonical(bytes.text(deviceRange))
        event.direction = values.text(dir).flatMap(KernelSymbols.direction)
        event.attributes = values.text(attrs).flatMap(KernelSymbols.attributes)
        let rest = scanner.position..<fields.upperBound
        let missing: String?
        switch name {
        case "dma_map_sg", "dma_sync_sg_for_cpu", "dma_sync_sg_for_device":
            missing = scatterGather(&event, bytes, rest, mapping: name == "dma_map_sg")
        case "dma_map_sg_err":
            event.physList = KernelSymbols.array(bytes, key: dmaAddrs, in: rest) ?? []
            event.phys = event.physList.first
            event.errno = values.signedDecimal(err)
            missing = nil
        case "dma_unmap_sg":
            event.physList = KernelSymbols.array(bytes, key: physAddrs, in: rest) ?? []
            missing = event.physList.isEmpty ? "phys_addrs" : nil
        default:
            missing = single(&event, values, bytes, rest)
        }
        if let missing { return .skipped(.malformed(name, missing: missing)) }
        // Every event but the syncs prints attrs= last (TP_printk in dma.h): a line
        // without it was cut, and the value before the cut may be cut too
        // (`phys_addr=32dd50` for 32dd5000).
        if !name.hasPrefix("dma_sync"), values.text(attrs) == nil { return .skipped(.malformed(name, missing: "attrs")) }
        return .event(event)
    }

    private static func kind(of name: String) -> TraceEventKind {
        switch name {
        case "dma_map_sg_err", "dma_alloc_sgt_err": return .mapFailed
        case _ where name.hasPrefix("dma_unmap") || name.hasPrefix("dma_free"): return .unmap
        case _ where name.hasSuffix("_for_cpu"): return .syncForCPU
        case _ where name.hasSuffix("_for_device"): return .syncForDevice
        default: return .map
        }
    }

    /// The single-address events: map, unmap, alloc, free, sync. Returns the missing field.
    private static func single(_ event: inout ParsedEvent, _ values: KeyValueFields, _ bytes: [UInt8], _ rest: Range<Int>) -> String? {
        event.address = values.hex(dmaAddr)
        event.sizeBytes = values.decimal(size)
        event.phys = values.hex(physAddr)
        if event.naming.hasSuffix("sgt") || event.naming == "dma_alloc_sgt_err" {
            event.physList = KernelSymbols.array(bytes, key: physAddrs, in: rest) ?? []
            event.phys = event.physList.first
        }
        if event.kind == .map, event.naming.hasPrefix("dma_alloc"), event.address == 0, allocationFailed(values) {
            event.kind = .mapFailed
        }
        if event.kind == .mapFailed { return nil }
        if event.address == nil { return "dma_addr" }
        if event.sizeBytes == nil { return "size" }
        if event.naming.hasPrefix("dma_map"), event.phys == nil { return "phys_addr" }
        return nil
    }

    /// `dma_alloc` traces a failed allocation with a NULL `virt_addr` and `dma_addr` 0.
    private static func allocationFailed(_ values: KeyValueFields) -> Bool {
        guard let text = values.text(virtAddr) else { return false }
        return text == "(null)" || (!text.isEmpty && text.allSatisfy { $0 == "0" })
    }

    /// `dma_map_sg` and the sg syncs: one segment per DMA address. Returns the missing field.
    private static func scatterGather(_ event: inout ParsedEvent, _ bytes: [UInt8], _ rest: Range<Int>, mapping: Bool) -> String? {
        guard let addresses = KernelSymbols.array(bytes, key: dmaAddrs, in: rest), !addresses.isEmpty else { return "dma_addrs" }
        guard let lengths = KernelSymbols.array(bytes, key: sizes, in: rest), lengths.count == addresses.count else { return "sizes" }
        event.segments = zip(addresses, lengths).map { DMASegment(address: $0, length: $1) }
        event.address = addresses[0]
        event.sizeBytes = lengths.reduce(0, &+)
        if mapping {
            event.physList = KernelSymbols.array(bytes, key: physAddrs, in: rest) ?? []
            event.phys = event.physList.first
            if TextScanner.find(truncated, in: bytes, from: rest.lowerBound, to: rest.upperBound) != nil {
                event.note = "the trace kept only the first 128 entries of each list ([TRUNCATED])"
            }
        }
        return nil
    }
}
