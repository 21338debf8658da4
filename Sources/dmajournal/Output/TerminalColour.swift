#if canImport(Glibc)
import Glibc
#endif

/// ANSI colour for what a reader must not miss, on a terminal only: faults and failed
/// expectations in red, findings in yellow, kernel warnings in magenta. Off when standard
/// output is not a terminal (pipes, files, tests) and whenever NO_COLOR is set to anything
/// non-empty (no-color.org), as ls, grep and git behave.
struct TerminalColour {
    let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled }

    /// For standard output, from the environment.
    static func forStandardOutput() -> TerminalColour {
        let noColour = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return TerminalColour(enabled: isatty(STDOUT_FILENO) != 0 && noColour.isEmpty)
    }

    func fault(_ text: String) -> String { paint(text, "31") }
    func finding(_ text: String) -> String { paint(text, "33") }
    func warning(_ text: String) -> String { paint(text, "35") }

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
