import Foundation
import DMASim
import Journal

/// What a dma-debug report says of the mapping it complains about, from the kernel's own
/// wording (kernel/dma/debug.c, `check_unmap` and `check_sync`): `[map size=N bytes]`,
/// `[allocation size=N bytes]`, `[mapped as DMA_TO_DEVICE]`, `[mapped with …]`. When the
/// trace never showed the map, this is how the scenario's stand-in map gets the size and
/// direction the kernel's dma-debug entry had, so the model sees the same mismatch.
struct DMADebugHints: Equatable {
    var mappedLength: UInt64?
    var mappedDirection: DMADirection?
    /// `check_unmap()`/`check_sync()` found no entry ("tries to free/sync DMA memory it
    /// has not allocated"): what was mapped there had been unmapped.
    var foundNoEntry: Bool
    /// `check_unmap()` found the entry's `map_err_type` still `MAP_ERR_NOT_CHECKED` ("failed
    /// to check map error"): the driver never called `dma_mapping_error()` on it.
    var mapErrorUnchecked: Bool
    /// `add_dma_entry()`: `active_cacheline_insert()` met a live entry on the same cacheline
    /// ("cacheline tracking EEXIST, overlapping mappings aren't supported").
    var overlapsLiveCacheline: Bool

    /// The hints of an imported call: a dma-debug report's (its kernel naming is
    /// `dma_debug`), none for any other call. The other calls' lines cannot hold these
    /// phrases, and searching every map's line for them cost a seventh of an import's time.
    init(of record: ImportedOp) {
        let isReport = record.provenance?.kernelNaming == "dma_debug"
        self.init(report: isReport ? record.provenance?.raw ?? "" : "")
    }

    init(report text: String) {
        guard !text.isEmpty else {
            (foundNoEntry, mapErrorUnchecked, overlapsLiveCacheline) = (false, false, false)
            return
        }
        foundNoEntry = text.contains("DMA memory it has not allocated")
        mapErrorUnchecked = text.contains("failed to check map error")
        overlapsLiveCacheline = text.contains("cacheline tracking EEXIST")
        mappedLength = Self.number(after: "[map size=", in: text) ?? Self.number(after: "[allocation size=", in: text)
        mappedDirection = Self.direction(after: "[mapped as ", in: text) ?? Self.direction(after: "[mapped with ", in: text)
    }

    private static func number(after marker: String, in text: String) -> UInt64? {
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        return UInt64(text[start...].prefix { $0.isNumber })
    }

    private static func direction(after marker: String, in text: String) -> DMADirection? {
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        switch text[start...].prefix(while: { $0 != "]" }) {
        case "DMA_BIDIRECTIONAL": return .bidirectional
        case "DMA_TO_DEVICE": return .toDevice
        case "DMA_FROM_DEVICE": return .fromDevice
        default: return nil
        }
    }
}
