/// The first line of a `WARN()` report (kernel/panic.c `__warn()`), which names the CPU
/// and task a dma-debug warning fired on. Two forms:
///
///     WARNING: CPU: 33 PID: 10759 at kernel/dma/debug.c:988 check_unmap+0xa6f/0x2360
///     WARNING: kernel/dma/debug.c:1106 at check_sync+0x1d8/0x690, CPU#2: systemd-udevd/151
///
/// the second since 6.19 ("bugs/core: Reorganize fields in the first line of WARNING
/// output, add ->comm[] output"): the task's name is printed too, and a name may hold `/`
/// (`swapper/0/1`, `kworker/3:1/123`), so the PID is what follows the last one. A paste
/// may cut the line after the function (`WARNING: kernel/dma/debug.c:619 at
/// add_dma_entry+0x473/0x5f0`): it is still the WARN, with nothing known of its task.
struct WarnHeadline {
    var cpu: Int?
    var pid: Int?
    var task: String?
    /// Whether the WARN fired in dma-debug (`kernel/dma/debug.c`, `lib/dma-debug.c`).
    var isDMADebug: Bool

    static let marker = utf8("WARNING: ")
    static let oldForm = utf8("WARNING: CPU:")
    static let sources = [utf8("dma-debug.c"), utf8("dma/debug.c")]
    static let cpuHash = utf8(", CPU#")

    /// Nil when the record is no WARN headline.
    init?(_ bytes: [UInt8], _ message: Range<Int>) {
        guard bytes.hasPrefix(Self.marker, at: message.lowerBound) else { return nil }
        isDMADebug = Self.sources.contains { TextScanner.find($0, in: bytes, from: message.lowerBound, to: message.upperBound) != nil }
        if bytes.hasPrefix(Self.oldForm, at: message.lowerBound) {
            let words = SpacedWords(bytes, message)
            cpu = words.number(after: "CPU:")?.asInt
            pid = words.number(after: "PID:")?.asInt
            return
        }
        // `WARNING: FILE:LINE at FUNC, CPU#N: COMM/PID` (or a cut `WARNING: FILE:LINE at FUNC`).
        let words = SpacedWords(bytes, message)
        guard words.word(after: "WARNING:") != nil, words.word(after: "at") != nil else { return nil }
        guard let hash = TextScanner.find(Self.cpuHash, in: bytes, from: message.lowerBound, to: message.upperBound) else { return }
        var scanner = TextScanner(bytes, from: hash + Self.cpuHash.count, to: message.upperBound)
        cpu = scanner.decimal()?.asInt
        guard cpu != nil, scanner.skip(byte: .colon) else { return }
        scanner.skipSpaces()
        let taskAndPID = bytes.trimmed(scanner.position..<message.upperBound)
        guard let slash = bytes[taskAndPID].lastIndex(of: .slash),
              let value = TextScanner.decimalValue(bytes, (slash + 1)..<taskAndPID.upperBound) else { return }
        pid = value.asInt
        task = bytes.text(taskAndPID.lowerBound..<slash)
    }
}
