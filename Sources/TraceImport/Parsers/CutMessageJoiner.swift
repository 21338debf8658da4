/// Rejoins a kernel message the paste (or the kernel itself) cut over lines the mail
/// unwrapping could not join: continuation lines indented or too short to look wrapped,
///
///     forcedeth 0000:00:08.0: DMA-API: device driver frees DMA memory with wrong
///             function [device address=0x00000000640444be] [size=66 bytes] [mapped as
///     single] [unmapped as page]                      (Documentation/core-api/dma-api.rst)
///
///       kernel: DMAR: [DMA Read NO_PASID] Request device [00:1e.3] fault addr
///       0xffffa000 [fault reason 0x06] PTE Read access is not set
///
/// and the old AMD-Vi report whose event the kernel printed in a second `printk` without
/// `KERN_CONT` (4.9 to 4.13), which then has a prefix of its own:
///
///     [  221.562629] AMD-Vi: Event logged [
///     [  221.565929] IO_PAGE_FAULT device=05:00.0 domain=0x0012 address=0x00000000ff6101b0 flags=0x0070]
///
/// An author who wraps a log line in a commit message or a mail may end the first half
/// with a shell-style ` \` (real: the udmabuf patches of March 2026),
///
///       DMA-API: amdgpu 0000:03:00.0: cacheline tracking EEXIST, \
///           overlapping mappings aren't supported
///
/// the backslash is no part of the message and goes before its parser looks.
///
/// A message is held only when its parser says it was cut short (an open bracket, a
/// phrase or field missing); the next record continues it when it has no prefix of its
/// own and does not open a record itself (or, for AMD-Vi, is the event's second half).
/// Anything else releases the held message as it is. At most `maximumLines` are joined.
struct CutMessageJoiner {
    static let maximumLines = 6
    private var held: TraceRecord?
    private var cut: CutMessage?

    /// Feeds the next kernel log record; returns the records now complete, in order.
    mutating func feed(_ record: TraceRecord) -> [TraceRecord] {
        let record = record.withoutContinuationBackslash()
        if var joined = held, let kind = cut {
            if joined.lineCount < Self.maximumLines, kind.isContinued(by: record) {
                joined = joined.appending(record, separator: kind.separator(joined, record)).withoutContinuationBackslash()
                if let stillCut = CutMessage.of(joined) {
                    held = joined
                    cut = stillCut
                    return []
                }
                held = nil
                cut = nil
                return [joined]
            }
            held = nil
            cut = nil
            return [joined] + feed(record)
        }
        if let kind = CutMessage.of(record) {
            held = record
            cut = kind
            return []
        }
        return [record]
    }

    var isHolding: Bool { held != nil }

    /// The record still held at the end of the input or before a line of another format.
    mutating func flush() -> TraceRecord? {
        defer { held = nil; cut = nil }
        return held
    }
}

/// A kernel message cut short, by the parser that would read it.
enum CutMessage {
    case amdViEventLogged
    case wrapped

    static let warnReportStarts: [[UInt8]] = ["Modules linked in", "---", "[<", "<IRQ>", "<EOI>", "<TASK>", "? "].map { Array($0.utf8) }

    /// How `record` is cut short, or nil when it is whole (or no message this joiner knows).
    static func of(_ record: TraceRecord) -> CutMessage? {
        let bytes = record.text
        let message = record.message
        guard !message.isEmpty else { return nil }
        if AMDViMessages.isEventLoggedAlone(bytes, message) { return .amdViEventLogged }
        if DMADebugMessages.isCutShort(bytes, message) || IntelDMARMessages.isCutShort(bytes, message)
            || AMDViMessages.isCutShort(bytes, message) || ARMSMMUMessages.isCutShort(bytes, message)
            || SWIOTLBMessages.isCutShort(bytes, message) {
            return .wrapped
        }
        return nil
    }

    /// Whether `next` carries on the held message.
    func isContinued(by next: TraceRecord) -> Bool {
        let bytes = next.text
        let message = next.message
        guard !message.isEmpty else { return false }
        switch self {
        case .amdViEventLogged:
            return AMDViMessages.isEventSecondHalf(bytes, message)
        case .wrapped:
            guard !next.prefix.hasHeader, !RecordStart.startsWithLogPrefix(bytes, at: message.lowerBound) else { return false }
            return !Self.warnReportStarts.contains { bytes.hasPrefix($0, at: message.lowerBound) }
        }
    }

    /// Between the held text and the continuation: nothing after an opening `[` (the
    /// AMD-Vi halves) or inside a number a terminal broke (`SplitNumber`), else a space
    /// where the line was broken.
    func separator(_ held: TraceRecord, _ next: TraceRecord) -> [UInt8] {
        guard self != .amdViEventLogged else { return [] }
        let before = held.text[held.text.trimmed(held.message)]
        let after = next.text[next.text.trimmed(next.message)]
        return SplitNumber.isInside(before, after) ? [] : [.space]
    }
}

extension TraceRecord {
    /// This record without a ` \` that ends it (a line continuation the author added);
    /// itself when it has none.
    func withoutContinuationBackslash() -> TraceRecord {
        let end = text.trimmed(message).upperBound
        guard end > message.lowerBound + 1, text[end - 1] == .backslash, text[end - 2] == .space else { return self }
        return TraceRecord(text: Array(text[0..<(end - 2)]), prefix: prefix, firstLine: firstLine, lineCount: lineCount)
    }

    /// This record with `next`'s message appended, spanning both records' lines.
    func appending(_ next: TraceRecord, separator: [UInt8]) -> TraceRecord {
        var joined = Array(text[0..<text.trimmed(0..<text.count).upperBound])
        joined.append(contentsOf: separator)
        joined.append(contentsOf: next.text[next.text.trimmed(next.message).lowerBound...])
        return TraceRecord(text: joined, prefix: prefix, firstLine: firstLine,
                           lineCount: next.firstLine + next.lineCount - firstLine)
    }
}
