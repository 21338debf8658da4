/// Reading console.log. Only the dmesg dump between the module's markers is read; the boot
/// console before it is `quiet`.
extension KernelLog {
    public static let dmesgBegin = "=====DMAORACLE DMESG BEGIN====="
    public static let dmesgEnd = "=====DMAORACLE DMESG END====="

    public init(console: String) {
        self.init()
        var inDmesg = false
        var current: KernelResult?
        var splat = false
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
                splat = false
                read(module: String(text.dropFirst("dmaoracle: ".count)), current: &current)
                continue
            }
            guard var open = current, !open.returned else { continue }
            if let message = Self.message(text, splat: &splat) { open.messages.append(message) }
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

    /// A line of dmesg as a message; nil for the body of a WARN or oops splat.
    static func message(_ text: String, splat: inout Bool) -> KernelMessage? {
        if text.hasPrefix("------------[ cut here ]") { splat = true; return nil }
        if text.hasPrefix("WARNING: ") {
            splat = true
            let site = text.range(of: " at ").map { String(text[$0.upperBound...]) } ?? String(text.dropFirst(9))
            return .warning(site)
        }
        if text.hasPrefix("BUG: ") || text.hasPrefix("Oops: ") || text.hasPrefix("general protection fault") {
            let first = !splat
            splat = true
            return first ? .oops(text) : nil
        }
        if text.hasPrefix("---[ end trace") { splat = false; return nil }
        return splat ? nil : .line(text)
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
