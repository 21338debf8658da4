import DMASim

/// Matches the kernel log lines a call printed with the warnings the model says it prints.
///
/// - Texts are compared after normalising: the kernel's "dmaoracle 0000:00:10.0: " is the
///   script device's "nvme0: ", and every 0x number is written without leading zeros, a
///   guest physical address as the script's (the guest's memory stands at other addresses).
/// - A WARN splat's message (dev_WARN_ONCE, WARN(cond, fmt)) matches the model's text like
///   any line; a splat without one matches a model warning that starts with "WARN" (the model
///   names the condition, the kernel the file and line).
/// - The kernel prints some messages once per boot (WARN_ON_ONCE, dev_warn_once, the "Using
///   N-bit DMA addresses" notice that turns the 32-bit attempt off); the model prints them
///   every time. So only the first time the model prints a text must the kernel print it.
struct MessageMatcher {
    private var deviceByPrefix: [String: String] = [:]
    private var modelSeen: Set<String> = []
    private let scriptAddress: (UInt64) -> UInt64

    init(plan: OraclePlan, scriptAddress: @escaping (UInt64) -> UInt64) {
        for device in plan.devices { deviceByPrefix["dmaoracle \(device.bdf): "] = device.name + ": " }
        self.scriptAddress = scriptAddress
    }

    /// What does not match, as report lines; empty when all do. `notes` gets what matched
    /// in another form (a model line the kernel prints as a WARN splat).
    /// `oopsTrace` is the kernel's call trace when it oopsed (RIP first, then callers).
    mutating func match(kernel: [KernelMessage], model: [String], oopsTrace: [String] = [], notes: inout [String]) -> [String] {
        var kernelTexts: [(text: String, site: String?)] = []
        var bareWarnings: [String] = []
        for message in kernel {
            switch message {
            case .warning(let site, let text?): kernelTexts.append((normalized(text), site))
            case .warning(let site, nil): bareWarnings.append(site)
            case .line(let text) where !Self.isNoise(text): kernelTexts.append((normalized(text), nil))
            case .line, .oops: continue
            }
        }
        var out: [String] = []
        var modelWarnings = (required: 0, optional: 0)
        let oopsed = kernel.contains { if case .oops = $0 { true } else { false } }
        let kernelChain = oopsTrace.joined(separator: " <- ")
        for raw in model {
            // The model's page-fault report against the kernel's oops: the status says both
            // oopsed; the call chain must be the kernel's. The faulting address is not
            // compared: KASLR places the guest's direct map (page_offset_base) at random.
            if oopsed, PageFaultReport.linePrefixes.contains(where: raw.hasPrefix) {
                if raw.hasPrefix(PageFaultReport.callTrace) {
                    let chain = String(raw.dropFirst(PageFaultReport.callTrace.count))
                    if kernelChain.contains(chain) { notes.append("kernel: the oops has the model's call chain: \(chain)") }
                    else { out.append("oops call chain: kernel \(kernelChain.isEmpty ? "none read" : kernelChain), model \(chain)") }
                }
                continue
            }
            // dma-debug's own lines (kernel/dma/debug.c `err_printk()`, "DMA-API: …"): the
            // guest's Debian kernel is built without CONFIG_DMA_API_DEBUG, so it cannot print
            // them; like the checker's findings they are not compared.
            if raw.hasPrefix(Self.dmaDebugPrefix) {
                notes.append("model: dma-debug would print (the guest has no CONFIG_DMA_API_DEBUG): \(normalized(raw))")
                continue
            }
            let text = normalized(raw)
            let first = modelSeen.insert(text).inserted
            if let at = kernelTexts.firstIndex(where: { $0.text == text }) {
                if let site = kernelTexts[at].site { notes.append("kernel: prints it as a WARN splat at \(site): \(text)") }
                kernelTexts.remove(at: at)
            } else if raw.hasPrefix("WARN") {
                if first { modelWarnings.required += 1 } else { modelWarnings.optional += 1 }
            } else if first {
                out.append("model prints, kernel does not: \(text)")
            }
        }
        out += kernelTexts.map { "kernel prints, model does not: \($0.text)" + ($0.site.map { " (WARN at \($0))" } ?? "") }
        let required = modelWarnings.required, allowed = required + modelWarnings.optional
        if bareWarnings.count < required || bareWarnings.count > allowed {
            out.append("WARN splats: kernel \(bareWarnings.count)\(bareWarnings.isEmpty ? "" : " (" + bareWarnings.joined(separator: "; ") + ")"), model \(allowed)")
        }
        return out
    }

    static let dmaDebugPrefix = "DMA-API: "

    /// The device prefix as the script names the device; 0x numbers canonical and, when they
    /// fall in guest memory that stands for a script region, the script's.
    func normalized(_ text: String) -> String {
        var line = text
        for (prefix, name) in deviceByPrefix where line.hasPrefix(prefix) {
            line = name + line.dropFirst(prefix.count)
            break
        }
        var out = ""
        var rest = Substring(line)
        while let start = rest.range(of: "0x") {
            out += rest[..<start.lowerBound]
            let digits = rest[start.upperBound...].prefix { $0.isHexDigit }
            guard !digits.isEmpty, digits.count <= 16, let value = UInt64(digits, radix: 16) else {
                out += "0x"
                rest = rest[start.upperBound...]
                continue
            }
            out += "0x" + String(scriptAddress(value), radix: 16)
            rest = rest[digits.endIndex...]
        }
        return out + rest
    }

    /// Lines that say nothing about the call: the module's own, an oops' epilogue.
    static func isNoise(_ text: String) -> Bool {
        text.hasPrefix("dmaoracle: ") || text.hasPrefix("note: ")
    }
}
