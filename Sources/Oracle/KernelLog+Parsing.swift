/// Reading console.log. Only the dmesg dump between the module's markers is read; the boot
/// console before it is `quiet`.
extension KernelLog {
    public static let dmesgBegin = "=====DMAORACLE DMESG BEGIN====="
    public static let dmesgEnd = "=====DMAORACLE DMESG END====="

    public init(console: String) {
        self.init()
        var inDmesg = false
        var current: KernelResult?
        var splat = SplatState.none
        for raw in console.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(raw)
            if line == Self.dmesgBegin { inDmesg = true; continue }
            if line == Self.dmesgEnd { complete = true; break }
            guard inDmesg else {
                if line.hasPrefix("dmaoracle-guest:"), line.contains("failed") || line.contains("refused") {
                    setupErrors.append(line)
                }
                continue
            }
            let text = Self.strippingTimestamp(line)
            if kernelRelease == nil, text.hasPrefix("Linux version ") {
                kernelRelease = text.dropFirst("Linux version ".count).split(separator: " ").first.map(String.init)
            }
            if text.hasPrefix("dmaoracle: ") {
                splat = .none
                read(module: String(text.dropFirst("dmaoracle: ".count)), current: &current)
                continue
            }
            guard var open = current, !open.returned else { continue }
            if open.oopsed {
                Self.readOopsFrame(text, into: &open)   // the rest is the oops' splat, twice over
            } else if let message = Self.message(text, splat: &splat) {
                open.messages.append(message)
            }
            current = open
            results[open.line] = open
        }
    }

    /// "[    7.086106] text" -> "text".
    static func strippingTimestamp(_ line: String) -> String {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return line }
        var rest = line[line.index(after: close)...]
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }

    /// Where a line of dmesg stands: inside a splat (after "cut here"), and whether the
    /// WARNING line has come yet (lines before it are the WARN's message).
    enum SplatState: Equatable { case none, header([String]), body }

    /// A line of dmesg as a message; nil for a line that is part of a splat.
    static func message(_ text: String, splat: inout SplatState) -> KernelMessage? {
        if text.hasPrefix("------------[ cut here ]") { splat = .header([]); return nil }
        if text.hasPrefix("WARNING: ") {
            var pending: [String] = []
            if case .header(let lines) = splat { pending = lines }
            splat = .body
            return .warning(site: warningSite(text), message: pending.isEmpty ? nil : pending.joined(separator: " "))
        }
        if text.hasPrefix("BUG: ") || text.hasPrefix("kernel BUG at ") || text.hasPrefix("Oops: ")
            || text.hasPrefix("general protection fault") {
            let first = splat != .body
            splat = .body
            return first ? .oops(text) : nil
        }
        if text.hasPrefix("---[ end trace") { splat = .none; return nil }
        switch splat {
        case .none: return .line(text)
        case .header(let lines): splat = .header(lines + [text]); return nil
        case .body: return nil
        }
    }

    /// The oops' RIP function, then its call trace's frames (reliable ones, not "? ..."),
    /// until the task's entry: "memcpy_orig", "swiotlb_tbl_map_single", ...
    static func readOopsFrame(_ text: String, into result: inout KernelResult) {
        guard !result.oopsTraceDone else { return }
        if text.hasPrefix("RIP: "), result.oopsTrace.isEmpty {
            let function = text.split(separator: ":").last.map { String($0.split(separator: "+").first ?? "") } ?? ""
            result.oopsTrace.append(function)
        } else if text.hasPrefix(" "), !text.hasPrefix(" ?"), !text.hasPrefix(" <") {
            let frame = text.trimmingPrefix(" ").split(separator: "+").first.map(String.init) ?? ""
            if frame.hasPrefix("entry_SYSCALL") || frame.hasPrefix("do_syscall") { result.oopsTraceDone = true; return }
            if !frame.isEmpty, !result.oopsTrace.isEmpty { result.oopsTrace.append(frame) }
        } else if text.hasPrefix("---[ end trace") {
            result.oopsTraceDone = true
        }
    }

    /// "WARNING: kernel/dma/direct.c:718 at dma_direct_map_phys+0x19d/0x330, CPU#0: sh/101"
    /// -> "kernel/dma/direct.c:718 dma_direct_map_phys" (older kernels: "... at FILE:LINE FUNC").
    static func warningSite(_ text: String) -> String {
        var rest = Substring(text.dropFirst("WARNING: ".count))
        if let cpu = rest.range(of: ", CPU#") { rest = rest[..<cpu.lowerBound] }
        let words = rest.split(separator: " ").filter { $0 != "at" }
        return words.map { word in word.split(separator: "+").first.map(String.init) ?? String(word) }
            .filter { !$0.hasPrefix("CPU:") && !$0.hasPrefix("PID:") && Int($0) == nil }
            .joined(separator: " ")
    }

    /// One "dmaoracle: ..." line.
    private mutating func read(module text: String, current: inout KernelResult?) {
        let words = text.split(separator: " ").map(String.init)
        guard let tag = words.first else { return }
        let fields = Self.fields(words.dropFirst())
        switch tag {
        case "B":
            guard words.count >= 3, let line = Int(words[1]) else { return }
            current = KernelResult(line: line, verb: words[2])
            results[line] = current
        case "R":
            guard words.count >= 3, let line = Int(words[1]) else { return }
            var result = results[line] ?? KernelResult(line: line, verb: words[2])
            result.verb = words[2]
            result.fields = Self.fields(words.dropFirst(3))
            result.returned = true
            results[line] = result
            current = result
        case "E":
            finished = true
        case "S":
            readSetup(words, fields)
        default:
            break
        }
    }

    private mutating func readSetup(_ words: [String], _ fields: [String: String]) {
        guard words.count >= 2 else { return }
        func hexValue(_ key: String) -> UInt64? {
            fields[key].flatMap { $0.hasPrefix("0x") ? UInt64($0.dropFirst(2), radix: 16) : UInt64($0) }
        }
        let index = words.count >= 3 ? Int(words[2]) : nil
        switch words[1] {
        case "dev":
            guard let index else { return }
            devices[index] = GuestDevice(
                index: index, bdf: fields["bdf"] ?? "", domainType: fields["domain"] ?? "none",
                maskResult: Int(fields["mask_ret"] ?? "") ?? 0, apertureEnd: hexValue("aperture_end") ?? 0)
        case "resv", "window":
            guard let index, let start = hexValue("start"), let end = hexValue("end"), start <= end else { return }
            // dma-iommu reserves everything but the software MSI window (iova_reserve_iommu_regions)
            if fields["type"] == "sw-msi" { return }
            devices[index]?.reserved.append(start...end)
        case "scratch":
            guard let index else { return }
            devices[index]?.scratchDMA = hexValue("dma")
        case "mem":
            guard let index, let phys = hexValue("phys") else { return }
            extentPhys[index] = phys
        case "swiotlb":
            guard let start = hexValue("start"), let end = hexValue("end"), let slabs = hexValue("nslabs") else { return }
            swiotlb = slabs == 0 ? nil : GuestSwiotlb(start: start, end: end, slabCount: slabs)
        case "error":
            setupErrors.append(words.joined(separator: " "))
        default:
            break
        }
    }

    /// "key=value" words as a dictionary (words without "=" are ignored).
    static func fields<S: Sequence>(_ words: S) -> [String: String] where S.Element == String {
        var out: [String: String] = [:]
        for word in words {
            guard let eq = word.firstIndex(of: "=") else { continue }
            out[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        return out
    }
}
