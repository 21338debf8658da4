import DMASim

/// The kernel's printed names for directions and attributes, as the dma tracepoints
/// (`decode_dma_data_direction`, `decode_dma_attrs`) and dma-debug (`dir2name`) print them.
enum KernelSymbols {
    /// `BIDIRECTIONAL`, `TO_DEVICE`, `FROM_DEVICE`, `NONE`, with or without `DMA_`.
    static func direction(_ text: String) -> DMADirection? {
        let name = text.hasPrefix("DMA_") ? String(text.dropFirst(4)) : text
        switch name {
        case "BIDIRECTIONAL": return .bidirectional
        case "TO_DEVICE": return .toDevice
        case "FROM_DEVICE": return .fromDevice
        case "NONE": return DMADirection.none
        default: return nil
        }
    }

    /// `enum dma_data_direction` as a number: 0 bidirectional, 1 to device, 2 from device, 3 none.
    static func direction(number value: Int64) -> DMADirection? {
        switch value {
        case 0: return .bidirectional
        case 1: return .toDevice
        case 2: return .fromDevice
        case 3: return DMADirection.none
        default: return nil
        }
    }

    /// `DMA_ATTR_*` bits (include/linux/dma-mapping.h) by their trace names.
    static let attributeBits: [String: UInt32] = [
        "WEAK_ORDERING": 1 << 1, "WRITE_COMBINE": 1 << 2, "NO_KERNEL_MAPPING": 1 << 4, "SKIP_CPU_SYNC": 1 << 5,
        "FORCE_CONTIGUOUS": 1 << 6, "ALLOC_SINGLE_PAGES": 1 << 7, "NO_WARN": 1 << 8, "PRIVILEGED": 1 << 9,
        "MMIO": 1 << 10, "REQUIRE_COHERENT": 1 << 12,
    ]

    /// `attrs=SKIP_CPU_SYNC|NO_WARN` (empty for none). Nil when a name is not one of the
    /// kernel's bits this importer knows: then the value is not known exactly.
    static func attributes(_ text: String) -> DMAAttributes? {
        if text.isEmpty { return [] }
        var bits: UInt32 = 0
        for name in text.split(separator: "|") {
            guard let bit = attributeBits[String(name)] else { return nil }
            bits |= bit
        }
        return DMAAttributes(rawValue: bits)
    }

    /// `{0x1,0x2}`: `__print_array`'s output after `key=`; nil when the key is absent.
    static func array(_ bytes: [UInt8], key: [UInt8], in range: Range<Int>) -> [UInt64]? {
        guard let start = TextScanner.find(key + [.equals, .openBrace], in: bytes, from: range.lowerBound, to: range.upperBound) else { return nil }
        var scanner = TextScanner(bytes, from: start + key.count + 2, to: range.upperBound)
        var values: [UInt64] = []
        while true {
            scanner.skipSpaces()
            if scanner.skip(byte: .closeBrace) { return values }
            guard let value = scanner.number() else { return nil }
            values.append(value)
            scanner.skipSpaces()
            if scanner.skip(byte: .comma) { continue }
            return scanner.skip(byte: .closeBrace) ? values : nil
        }
    }
}
