/// Why a line was not imported. The texts are stable: the journal stores them in
/// `import_skip_reasons` and the summary prints them.
struct SkipReason: Hashable, Sendable {
    let text: String

    static let notDMA = SkipReason(text: "not a DMA or IOMMU line")
    static let otherFtraceEvent = SkipReason(text: "ftrace event of another subsystem")
    static let unknownEvent = SkipReason(text: "DMA or IOMMU event this importer does not know")
    static let interruptRemapping = SkipReason(text: "interrupt-remapping fault (not a DMA access)")
    static let faultWithoutAddress = SkipReason(text: "IOMMU event without a fault address")
    static let debugStatus = SkipReason(text: "dma-debug status message")
    static let qemuMessage = SkipReason(text: "QEMU message, not a trace event")
    static let rateLimited = SkipReason(text: "rate-limit note: reports the kernel did not print")
    static let unrecognizedReport = SkipReason(text: "looks like a DMA or IOMMU report this importer cannot read")

    /// A line of a known kind that lacks a field it must have.
    static func malformed(_ naming: String, missing field: String) -> SkipReason {
        SkipReason(text: "\(naming)\(malformedMarker)\(field)")
    }
    static let malformedMarker = " without a readable "

    /// Whether the line looked like a DMA or IOMMU report but was not read: the import
    /// summary lists these, and a file of nothing else is an error.
    var isNotUnderstood: Bool {
        self == .unrecognizedReport || self == .unknownEvent || text.contains(Self.malformedMarker)
    }
}
