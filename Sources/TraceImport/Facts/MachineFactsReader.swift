/// Collects `MachineFacts` from the lines of every file an import reads: the capture
/// header's `#` lines and the kernel log's boot messages. A fact, once read, is not
/// overwritten by a weaker source: the IOMMU groups' domain types (what the kernel
/// really chose) beat the dmesg policy line, which beats the command line.
final class MachineFactsReader {
    var facts = MachineFacts()
    private var strictFrom = Strength.none
    private var devices: DeviceDirectory

    private enum Strength: Int, Comparable {
        case none, commandLine, log, groups
        static func < (lhs: Strength, rhs: Strength) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    init(devices: DeviceDirectory) { self.devices = devices }

    /// A `#` line of a capture header or an ftrace header (without its `#`).
    func readHeader(_ text: Substring) {
        let line = text.drop { $0 == " " }
        if let rest = line.removing(prefix: "dmesg: ") {
            readLog(rest.drop { $0 != "]" }.dropFirst().drop { $0 == " " })
        } else if let rest = line.removing(prefix: "cmdline: ") {
            readCommandLine(rest)
        } else if let rest = line.removing(prefix: "cpus: "), let count = Int(rest.prefix { $0.isNumber }) {
            learnCPUs(count, from: "the capture header's cpus: line")
        } else if let rest = line.removing(prefix: "iommu_group ") {
            readGroup(rest)
        } else if let rest = line.removing(prefix: "uname: ") {
            let words = rest.split(separator: " ")
            if words.count > 2, facts.kernelRelease == nil { facts.kernelRelease = String(words[2]); note("kernel \(words[2]) (uname)") }
        } else if let rest = line.removing(prefix: "kernel "), facts.kernelRelease == nil, let release = rest.split(separator: " ").first {
            facts.kernelRelease = String(release)
            note("kernel \(release) (capture header)")
        } else if let range = line.range(of: "#P:"), let count = Int(line[range.upperBound...].prefix { $0.isNumber }) {
            learnCPUs(count, from: "ftrace's #P: header")
        }
    }

    /// A kernel log message (its text after any timestamp or syslog prefix).
    func readLog(_ message: Substring) {
        if readSwiotlb(message) { return }
        if let rest = message.removing(prefix: "Kernel command line: ") ?? message.removing(prefix: "Command line: ") {
            readCommandLine(rest)
        } else if let rest = message.removing(prefix: "iommu: DMA domain TLB invalidation policy: ") {
            if rest.hasPrefix("strict") { learnStrict(true, .log, from: "dmesg: DMA domain TLB invalidation policy: strict mode") }
            if rest.hasPrefix("lazy") { learnStrict(false, .log, from: "dmesg: DMA domain TLB invalidation policy: lazy mode") }
        } else if let rest = message.removing(prefix: "iommu: Default domain type: ") {
            if facts.passthrough == nil { facts.passthrough = rest.hasPrefix("Passthrough"); note("dmesg: default domain type \(rest.prefix { $0 != " " })") }
        } else if message.hasPrefix("DMAR: IOMMU enabled") {
            learnKind(.intel, from: "dmesg: DMAR: IOMMU enabled")
            if facts.iommuDisabled == nil { facts.iommuDisabled = false }
        } else if message.hasPrefix("DMAR: IOMMU disabled") {
            facts.iommuDisabled = true
            note("dmesg: DMAR: IOMMU disabled")
        } else if message.hasPrefix("DMAR: IOMMU batching disallowed") {
            // intel_iommu_init(): caching mode makes VT-d force strict (iommu_set_dma_strict()).
            learnStrict(true, .log, from: "dmesg: DMAR: IOMMU batching disallowed due to virtualization (VT-d caching mode forces strict)", override: true)
        } else if message.hasPrefix("AMD-Vi: ") && message.contains("Interrupt remapping enabled") {
            learnKind(.amd, from: "dmesg: AMD-Vi")
        } else if message.hasPrefix("virtio_iommu ") {
            learnKind(.virtio, from: "dmesg: virtio_iommu")
        } else if message.hasPrefix("arm-smmu") {
            learnKind(.armSMMU, from: "dmesg: arm-smmu")
        } else if message.hasPrefix("DMA-API: preallocated") || message.hasPrefix("DMA-API: debugging enabled") {
            if facts.dmaDebug == nil { facts.dmaDebug = true; note("dmesg: dma-debug is on") }
        } else if message.contains("DMA-API: "), message.contains("device driver ") {
            // A report of kernel/dma/debug.c's err_printk(): only a kernel with dma-debug prints it.
            if facts.dmaDebug == nil { facts.dmaDebug = true; note("dmesg: a dma-debug report (dma-debug is on)") }
        } else if let range = message.range(of: ": Adding to iommu group ") {
            readGroupAdding(device: message[..<range.lowerBound], group: message[range.upperBound...])
        }
    }

    // MARK: pieces

    private func readCommandLine(_ text: Substring) {
        for word in text.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1]
            switch parts[0] {
            case "iommu.strict":
                learnStrict(value == "1" || value == "y", .commandLine, from: "command line \(word)")
            case "iommu.passthrough":
                if facts.passthrough == nil { facts.passthrough = value == "1" || value == "y"; note("command line \(word)") }
            case "iommu" where value == "pt":
                if facts.passthrough == nil { facts.passthrough = true; note("command line \(word)") }
            case "intel_iommu":
                if value.split(separator: ",").contains("off") {
                    facts.iommuDisabled = true; note("command line \(word)")
                } else if value.split(separator: ",").contains("on") {
                    learnKind(.intel, from: "command line \(word)")
                }
            case "amd_iommu" where value == "off":
                facts.iommuDisabled = true; note("command line \(word)")
            case "mem":
                // memparse(): a number with an optional K/M/G/T suffix.
                if facts.memLimit == nil, let bytes = Self.memparse(value) { facts.memLimit = bytes; note("command line \(word)") }
            case "swiotlb":
                if facts.swiotlbForce == nil { facts.swiotlbForce = value.split(separator: ",").contains("force"); note("command line \(word)") }
            default:
                continue
            }
        }
    }

    /// `1: type=DMA-FQ devices=0000:00:01.0 0000:00:01.1`.
    private func readGroup(_ text: Substring) {
        guard let colon = text.firstIndex(of: ":"), let id = Int(text[..<colon]) else { return }
        var group = facts.groups[id] ?? MachineFacts.Group(id: id, type: nil, devices: [])
        var inDevices = false
        for word in text[text.index(after: colon)...].split(separator: " ") {
            if let type = word.removing(prefix: "type=") {
                group.type = String(type); inDevices = false
            } else if let first = word.removing(prefix: "devices=") {
                inDevices = true
                if !first.isEmpty { group.devices.append(devices.canonical(String(first))) }
            } else if inDevices {
                group.devices.append(devices.canonical(String(word)))
            }
        }
        facts.groups[id] = group
        if let type = group.type, !group.devices.isEmpty {
            switch type {
            case "DMA": learnStrict(true, .groups, from: "iommu_group \(id) type=DMA (strict)")
            case "DMA-FQ": learnStrict(false, .groups, from: "iommu_group \(id) type=DMA-FQ (lazy)")
            case "identity": if facts.passthrough == nil { facts.passthrough = true; note("iommu_group \(id) type=identity") }
            default: break
            }
        }
        if facts.iommuDisabled == nil { facts.iommuDisabled = false }
    }

    /// dmesg's `pci 0000:00:01.0: Adding to iommu group 1`.
    private func readGroupAdding(device text: Substring, group: Substring) {
        guard let id = Int(group.prefix { $0.isNumber }), let name = text.split(separator: " ").last else { return }
        let device = devices.canonical(String(name))
        var entry = facts.groups[id] ?? MachineFacts.Group(id: id, type: nil, devices: [])
        if !entry.devices.contains(device) { entry.devices.append(device) }
        facts.groups[id] = entry
        if facts.iommuDisabled == nil { facts.iommuDisabled = false }
    }

    private func learnStrict(_ strict: Bool, _ strength: Strength, from source: String, override: Bool = false) {
        guard strength > strictFrom || (override && strength >= strictFrom) || facts.strict == nil else { return }
        if facts.strict != strict || strictFrom == .none { note(source) }
        facts.strict = strict
        strictFrom = max(strictFrom, strength)
    }

    private func learnKind(_ kind: MachineFacts.IOMMUKind, from source: String) {
        guard facts.iommuKind == nil else { return }
        facts.iommuKind = kind
        note(source)
    }

    private func learnCPUs(_ count: Int, from source: String) {
        guard facts.cpuCount == nil, count > 0 else { return }
        facts.cpuCount = count
        note("\(count) CPU\(count == 1 ? "" : "s") (\(source))")
    }

    func note(_ text: String) { facts.provenance.append(text) }

    func canonical(_ device: String) -> String { devices.canonical(device) }

    /// A kernel oops the log reported (`KernelOops`).
    func readOops(_ oops: KernelOops) {
        guard oops.interrupted("iommu_dma_map_swiotlb"), let pid = oops.pid, facts.bouncingTasks.insert(pid).inserted else { return }
        note("oops: task \(pid) died in dma-iommu's bounce (\(oops.chainText)): its device is untrusted")
    }

    /// The kernel's `memparse()`: decimal or 0x hex, then an optional K, M, G or T.
    static func memparse(_ text: Substring) -> UInt64? {
        let shifts: [Character: UInt64] = ["K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30, "T": 40, "t": 40]
        var digits = text, shift: UInt64 = 0
        if let last = text.last, let value = shifts[last] { digits = text.dropLast(); shift = value }
        let number = digits.hasPrefix("0x") ? UInt64(digits.dropFirst(2), radix: 16) : UInt64(digits)
        guard let number, number <= UInt64.max >> shift else { return nil }
        return number << shift
    }
}

extension Substring {
    /// The rest after `prefix`, or nil when it does not start with it.
    func removing(prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
