/// The kernel lockdown LSM's state, `/sys/kernel/security/lockdown` (`[none] integrity
/// confidentiality`, the bracketed one in force). `integrity` leaves tracefs and probes
/// usable; `confidentiality` refuses both: `LOCKDOWN_KPROBES` and `LOCKDOWN_TRACEFS` come
/// after `LOCKDOWN_INTEGRITY_MAX` in `enum lockdown_reason` (include/linux/security.h),
/// so only the confidentiality level denies them (`tracing_check_open_get_tr()` asks
/// `security_locked_down(LOCKDOWN_TRACEFS)` on every open).
public enum Lockdown: Equatable, Sendable {
    case none
    case integrity
    case confidentiality
    /// The file is not there: no lockdown LSM, or securityfs not mounted.
    case unknown(String)

    public static let path = "/sys/kernel/security/lockdown"

    /// Reads the level in brackets.
    public static func parse(_ text: String) -> Lockdown {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else {
            return .unknown("unreadable lockdown file: '\(text.trimmingCharacters())'")
        }
        switch text[text.index(after: open)..<close] {
        case "none": return .none
        case "integrity": return .integrity
        case "confidentiality": return .confidentiality
        case let other: return .unknown("lockdown level '\(other)'")
        }
    }

    /// Whether tracefs and probe events are usable at this level.
    public var allowsTracing: Bool {
        if case .confidentiality = self { return false }
        return true
    }

    /// The one line `capture` prints.
    public var line: String {
        switch self {
        case .none: return "lockdown: none"
        case .integrity: return "lockdown: integrity (tracefs and probe events are still allowed)"
        case .confidentiality:
            return "lockdown: confidentiality: the kernel refuses tracefs and probes (LOCKDOWN_TRACEFS, LOCKDOWN_KPROBES); boot with lockdown=integrity or none"
        case .unknown(let why): return "lockdown: not known (\(why)); going on"
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
