/// Why a line was not imported. The texts are stable: the journal stores them in
/// `import_skip_reasons` and the summary prints them.
struct SkipReason: Hashable, Sendable {
    let text: String
    /// Whether the line looked like a DMA or IOMMU report but was not read: the import
    /// summary lists these, and a file of nothing else is an error. Decided once, when
    /// the reason is made, not per skipped line.
    let isNotUnderstood: Bool

    private init(_ text: String, notUnderstood: Bool = false) {
        self.text = text
        self.isNotUnderstood = notUnderstood
    }

    /// The reason a journal or summary stored as `text`.
    init(text: String) {
        self.init(text, notUnderstood: text == Self.unrecognizedReport.text || text == Self.unknownEvent.text
                  || text.contains(Self.malformedMarker) || text.hasSuffix(Self.wrapsMarker))
    }

    static let notDMA = SkipReason("not a DMA or IOMMU line")
    static let otherFtraceEvent = SkipReason("ftrace event of another subsystem")
    static let unknownEvent = SkipReason("DMA or IOMMU event this importer does not know", notUnderstood: true)
    static let interruptRemapping = SkipReason("interrupt-remapping fault (not a DMA access)")
    static let faultWithoutAddress = SkipReason("IOMMU event without a fault address")
    static let debugStatus = SkipReason("dma-debug status message")
    static let qemuMessage = SkipReason("QEMU message, not a trace event")
    static let rateLimited = SkipReason("rate-limit note: reports the kernel did not print")
    static let unrecognizedReport = SkipReason("looks like a DMA or IOMMU report this importer cannot read", notUnderstood: true)

    /// A line of a known kind that lacks a field it must have.
    static func malformed(_ naming: String, missing field: String) -> SkipReason {
        SkipReason("\(naming)\(malformedMarker)\(field)", notUnderstood: true)
    }
    static let malformedMarker = " without a readable "

    /// A report whose range runs past the top of the 64-bit address space: no mapping the
    /// kernel made can (dma-debug's entries, a dump line, a map event are all real ranges),
    /// so the numbers are damaged, not a fact to replay.
    static func wrapping(_ naming: String) -> SkipReason {
        SkipReason("\(naming)\(wrapsMarker)", notUnderstood: true)
    }
    static let wrapsMarker = " whose address + length pass 2^64"
}
