/// The device names an import has seen, so one device gets one name however each
/// message spells it. The kernel names PCI devices `dev_name()` = `DDDD:BB:DD.F`, but
/// Intel's DMAR fault report prints only `BB:DD.F` (no PCI segment) and QEMU prints
/// `BB:DD.FF`. A short name becomes the full name only when exactly one device seen so
/// far has that bus, device and function; otherwise it stays as printed: the segment is
/// never guessed.
final class DeviceDirectory {
    /// Full PCI names by their `BB:DD.F` part.
    private var fullNamesByShort: [String: Set<String>] = [:]
    /// Names already normalized that do not depend on what is seen later (every name but
    /// a short PCI one): a trace names the same few devices millions of times.
    private var settled: [String: String] = [:]

    /// Remembers a full PCI name (`0000:00:14.0`) wherever a message shows one.
    func noteFullName(_ name: String) {
        guard settled[name] == nil, let short = Self.shortPart(of: name) else { return }
        fullNamesByShort[short, default: []].insert(name)
        settled[name] = name
    }

    /// The name to journal for a device a line names: full PCI names lower-cased and
    /// noted, short ones resolved when unambiguous, any other name (`1d84000.ufshc`) as is.
    func canonical(_ name: String) -> String {
        if let known = settled[name] { return known }
        if let full = Self.normalizedFullPCI(name) {
            noteFullName(full)
            settled[name] = full
            return full
        }
        if let short = Self.normalizedShortPCI(name) {
            if let candidates = fullNamesByShort[short], candidates.count == 1, let only = candidates.first { return only }
            return short
        }
        settled[name] = name
        return name
    }

    /// `BB:DD.F` of a VT-d source-id or QEMU requester ID (bus << 8 | device << 3 | function).
    static func shortName(requesterID: UInt64) -> String {
        let bus = (requesterID >> 8) & 0xff, device = (requesterID >> 3) & 0x1f, function = requesterID & 7
        return hex2(bus) + ":" + hex2(device) + "." + String(function)
    }

    private static func hex2(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return text.count < 2 ? "0" + text : text
    }

    /// `DDDD:BB:DD.F` (any case) → lower case; nil for anything else.
    static func normalizedFullPCI(_ name: String) -> String? {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[0].allSatisfy(\.isHexDigit),
              let short = normalizedShortPCI(parts[1] + ":" + parts[2]) else { return nil }
        return parts[0].lowercased() + ":" + short
    }

    /// `BB:DD.F` or `BB:DD.FF` → `bb:dd.f`; nil for anything else.
    static func normalizedShortPCI(_ name: String) -> String? {
        let halves = name.split(separator: ":", omittingEmptySubsequences: false)
        guard halves.count == 2, halves[0].count == 2, halves[0].allSatisfy(\.isHexDigit) else { return nil }
        let slot = halves[1].split(separator: ".", omittingEmptySubsequences: false)
        guard slot.count == 2, slot[0].count == 2, slot[0].allSatisfy(\.isHexDigit),
              (1...2).contains(slot[1].count), let function = Int(slot[1], radix: 16), function < 8 else { return nil }
        return halves[0].lowercased() + ":" + slot[0].lowercased() + "." + String(function)
    }

    private static func shortPart(of full: String) -> String? {
        guard let normalized = normalizedFullPCI(full) else { return nil }
        return String(normalized.dropFirst(5))
    }
}
