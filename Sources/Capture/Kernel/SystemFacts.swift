#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the capture header says about the machine, in the `# key: value` lines a
/// kernel-lab capture has, which `dmajournal import` reads (the IOMMU groups' domain
/// types decide strict or lazy; the command line and the CPU count follow):
///
///     # uname: Linux host 7.3.4+deb13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (2026-11-15) x86_64
///     # cmdline: BOOT_IMAGE=/vmlinuz-7.3.4+deb13-amd64 root=… intel_iommu=on
///     # cpus: 8
///     # iommu_group 12: type=DMA-FQ devices=0000:02:00.0
///     # dmesg: [    0.412345] DMAR: IOMMU enabled
///
/// `root` prefixes every path (`/proc`, `/sys`), for tests.
public struct SystemFacts: Sendable {
    public var uname: [String] = []
    public var commandLine: String?
    public var cpuCount: Int?
    /// `N: type=T devices=A B`, in group order.
    public var groups: [String] = []
    /// Kernel log lines about IOMMUs and DMA, as `[seconds] text`.
    public var logLines: [String] = []

    public init() {}

    public var release: String { uname.count > 2 ? uname[2] : "unknown" }
    public var machine: String { uname.last ?? "" }

    /// Reads the running system's facts under `root`; `kernelLog` is the kernel log
    /// (`kernelLog()`), nil when unreadable.
    public static func read(root: String = "", kernelLog: String?) -> SystemFacts {
        var facts = SystemFacts()
        facts.uname = unameFields()
        facts.commandLine = readText(root + "/proc/cmdline")?.trimmingCharacters()
        facts.cpuCount = readText(root + "/sys/devices/system/cpu/online").flatMap { cpuCount(fromRanges: $0.trimmingCharacters()) }
        facts.groups = iommuGroups(root + "/sys/kernel/iommu_groups")
        if let kernelLog { facts.logLines = relevantLogLines(kernelLog) }
        return facts
    }

    /// The header lines (without the first, which `CaptureRun` writes).
    public var headerLines: [String] {
        var lines: [String] = []
        if !uname.isEmpty { lines.append("# uname: " + uname.joined(separator: " ")) }
        if let commandLine { lines.append("# cmdline: " + commandLine) }
        if let cpuCount { lines.append("# cpus: \(cpuCount)") }
        lines += groups.map { "# iommu_group " + $0 }
        lines += logLines.map { "# dmesg: " + $0 }
        return lines
    }

    /// `0-3,6` → 5.
    static func cpuCount(fromRanges text: String) -> Int? {
        var total = 0
        for range in text.split(separator: ",") {
            let ends = range.split(separator: "-").compactMap { Int($0) }
            switch ends.count {
            case 1: total += 1
            case 2 where ends[1] >= ends[0]: total += ends[1] - ends[0] + 1
            default: return nil
            }
        }
        return total > 0 ? total : nil
    }

    /// Lines of the kernel log that say what the IOMMU and DMA layers chose at boot.
    static func relevantLogLines(_ log: String) -> [String] {
        let keys = ["iommu", "dmar", "amd-vi", "smmu", "dma", "swiotlb", "iova", "command line"]
        var lines: [String] = []
        for raw in log.split(separator: "\n") {
            var line = Substring(raw)
            // syslog-style lines may start with "<level>".
            if line.first == "<", let close = line.firstIndex(of: ">") { line = line[line.index(after: close)...] }
            let lower = line.lowercased()
            if keys.contains(where: { lower.contains($0) }) { lines.append(String(line)) }
        }
        return lines
    }

    static func iommuGroups(_ directory: String) -> [String] {
        guard let names = listDirectory(directory) else { return [] }
        return names.compactMap { Int($0) }.sorted().compactMap { id in
            let base = "\(directory)/\(id)"
            let type = readText(base + "/type")?.trimmingCharacters() ?? "unknown"
            let devices = listDirectory(base + "/devices") ?? []
            return "\(id): type=\(type) devices=\(devices.joined(separator: " "))"
        }
    }

    static func unameFields() -> [String] {
        var name = utsname()
        guard Glibc.uname(&name) == 0 else { return [] }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return [field(name.sysname), field(name.nodename), field(name.release), field(name.version), field(name.machine)]
    }

    /// The kernel's log as `[seconds] text` lines, read from `/dev/kmsg` (one record per
    /// `read()`, `PRIO,SEQ,MICROSECONDS,FLAGS;TEXT`, `devkmsg_read()`), nil when refused.
    public static func kernelLog(path: String = "/dev/kmsg") -> String? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var lines: [String] = []
        var record = [UInt8](repeating: 0, count: 8192)
        while lines.count < 100_000 {
            let count = record.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EPIPE { continue }   // overwritten while reading: next record
            guard count > 0 else { break }
            if let line = kmsgLine(String(decoding: record[0..<count], as: UTF8.self)) { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// `6,339,5140900,-;NET: Registered protocol family 10` → `[    5.140900] NET: …`.
    static func kmsgLine(_ record: String) -> String? {
        guard let semicolon = record.firstIndex(of: ";") else { return nil }
        let fields = record[..<semicolon].split(separator: ",")
        guard fields.count >= 3, let micros = Int(fields[2]) else { return nil }
        let text = record[record.index(after: semicolon)...].prefix { $0 != "\n" }
        let seconds = String(micros / 1_000_000)
        let fraction = String(micros % 1_000_000).leftPadded(to: 6)
        return "[" + String(repeating: " ", count: max(0, 5 - seconds.count)) + seconds + "." + fraction + "] " + text
    }

    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func listDirectory(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
