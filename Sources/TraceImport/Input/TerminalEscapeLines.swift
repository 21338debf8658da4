/// Drops terminal escape sequences from each line: `dmesg --color=always` (and `dmesg`
/// through `script`, `less -R` or a CI console) wraps the timestamp, the `driver device`
/// prefix and warnings in SGR colour codes (`ESC [ 32 m` … `ESC [ 0 m`), which a log
/// pasted from a terminal keeps. A CSI sequence (`ESC [`, parameter and intermediate
/// bytes, one final byte 0x40–0x7E) and any other escape (`ESC`, intermediate bytes 0x20–0x2F,
/// one final byte) go; everything else stays.
/// No kernel message contains ESC (printk prints control bytes as `\ooo` escapes in
/// `/dev/kmsg` and the console never sends ESC of its own), so nothing meant is lost.
typealias TerminalEscapeLines = RewrittenLines<TerminalEscapes>

enum TerminalEscapes: LineRewrite {
    static let marker = UInt8.escape

    static func rewritten(_ line: [UInt8]) -> [UInt8] { stripped(line) }

    static func stripped(_ line: [UInt8]) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(line.count)
        var index = 0
        while index < line.count {
            guard line[index] == .escape else {
                kept.append(line[index])
                index += 1
                continue
            }
            index += 1
            guard index < line.count else { break }
            if line[index] == UInt8(ascii: "[") {
                index += 1
                // Parameter (0x30–0x3F) and intermediate (0x20–0x2F) bytes, then the final.
                while index < line.count, (0x20...0x3F).contains(line[index]) { index += 1 }
                if index < line.count, (0x40...0x7E).contains(line[index]) { index += 1 }
            } else {
                // An nF or Fe/Fp/Fs escape: intermediate bytes (0x20–0x2F), then the final
                // (`ESC ( B` selects a character set, `ESC =` the keypad).
                while index < line.count, (0x20...0x2F).contains(line[index]) { index += 1 }
                if index < line.count { index += 1 }
            }
        }
        return kept
    }
}
