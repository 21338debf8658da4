/// Matches the kernel log lines a call printed with the warnings the model says it prints.
///
/// The kernel prints some of them once per boot (WARN_ON_ONCE, dev_warn_once, the "Using
/// N-bit DMA addresses" notice that turns the 32-bit attempt off); the model prints them every
/// time. So only the first time the model prints a text must the kernel print it too; after
/// that its absence is no disagreement. WARN splats are matched by count: the model names
/// the condition, the kernel the file and line. Device names are the script's on both sides
/// (the kernel's "dmaoracle 0000:00:10.0: " is the script device's name).
struct MessageMatcher {
    private var deviceByPrefix: [String: String] = [:]
    private var modelSeen: Set<String> = []

    init(plan: OraclePlan) {
        for device in plan.devices { deviceByPrefix["dmaoracle \(device.bdf): "] = device.name + ": " }
    }

    /// What does not match, as report lines; empty when all do.
    mutating func match(kernel: [KernelMessage], model: [String]) -> [String] {
        var kernelLines: [String] = []
        var kernelWarnings = 0
        for message in kernel {
            switch message {
            case .warning: kernelWarnings += 1
            case .oops: continue
            case .line(let text):
                let normal = normalized(text)
                if !Self.isNoise(normal) { kernelLines.append(normal) }
            }
        }
        var required: [String] = []
        var optional: [String] = []
        var modelWarnings = (required: 0, optional: 0)
        for text in model {
            let first = modelSeen.insert(text).inserted
            if text.hasPrefix("WARN") {
                if first { modelWarnings.required += 1 } else { modelWarnings.optional += 1 }
            } else if first {
                required.append(text)
            } else {
                optional.append(text)
            }
        }
        var out: [String] = []
        for text in required {
            if let at = kernelLines.firstIndex(of: text) { kernelLines.remove(at: at) } else { out.append("model prints, kernel does not: \(text)") }
        }
        for text in optional { if let at = kernelLines.firstIndex(of: text) { kernelLines.remove(at: at) } }
        out += kernelLines.map { "kernel prints, model does not: \($0)" }
        if kernelWarnings < modelWarnings.required || kernelWarnings > modelWarnings.required + modelWarnings.optional {
            out.append("WARN splats: kernel \(kernelWarnings), model \(modelWarnings.required + modelWarnings.optional)")
        }
        return out
    }

    private func normalized(_ text: String) -> String {
        for (prefix, name) in deviceByPrefix where text.hasPrefix(prefix) {
            return name + text.dropFirst(prefix.count)
        }
        return text
    }

    /// Lines that say nothing about the call: the module's own, the guest's setup.
    static func isNoise(_ text: String) -> Bool {
        text.hasPrefix("dmaoracle: ") || text.hasPrefix("note: ")
    }
}
