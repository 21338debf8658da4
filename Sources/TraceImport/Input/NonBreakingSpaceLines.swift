/// Lines with each U+00A0 NO-BREAK SPACE read as a space.
typealias NonBreakingSpaceLines = RewrittenLines<NonBreakingSpaces>

/// Turns each U+00A0 NO-BREAK SPACE (UTF-8 `C2 A0`) into a space. A log copied from a web
/// page (a forum post, a bug tracker's HTML view, a rendered mail archive) carries them
/// where the page kept the console's runs of spaces (`[    9.268694]`, `device [00:02.0]`).
/// No kernel message this importer reads prints U+00A0 (printk's text is ASCII there), so
/// reading it as the space it stood for loses nothing.
enum NonBreakingSpaces: LineRewrite {
    static let marker: UInt8 = 0xc2

    static func rewritten(_ line: [UInt8]) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(line.count)
        var index = 0
        while index < line.count {
            if line[index] == 0xc2, index + 1 < line.count, line[index + 1] == 0xa0 {
                kept.append(.space)
                index += 2
            } else {
                kept.append(line[index])
                index += 1
            }
        }
        return kept
    }
}
