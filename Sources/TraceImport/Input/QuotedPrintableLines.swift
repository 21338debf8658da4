#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Undoes a mail's quoted-printable encoding (RFC 2045 §6.7) when the text is a raw mail
/// source: `=3D` for `=`, `=20` for a trailing space, and a line ending in `=` continued
/// on the next (a soft line break). Decoding starts at a `Content-Transfer-Encoding:
/// quoted-printable` header, or at the first `=3D` (which no kernel prints: its hex is
/// lower case, and a literal `=` is always `=3D` in such a mail) when no header said
/// otherwise; another Content-Transfer-Encoding header ends it. Before either, lines pass unchanged, so an
/// ftrace line ending in `attrs=` is never taken for a soft break.
final class QuotedPrintableLines: LineProvider {
    private let source: LineProvider
    private var decoding = false
    /// Whether a header said what the encoding is: then no `=3D` starts decoding.
    private var declared = false
    /// The first physical line of the line `next()` returned last.
    private(set) var lineNumber = 0

    static let header = utf8("content-transfer-encoding:"), quotedPrintable = utf8("quoted-printable"), escapedEquals = utf8("=3D")

    init(_ source: LineProvider) { self.source = source }

    var linesRead: Int { source.linesRead }
    var failure: String? { source.failure }

    func next() -> [UInt8]? {
        guard var line = source.next() else { return nil }
        lineNumber = source.lineNumber
        noteHeader(line)
        if !decoding, !declared, Self.containsEscapedEquals(line) { decoding = true }
        guard decoding else { return line }
        // Soft line breaks: the encoded line goes on in the next physical line.
        while line.last == .equals, let more = source.next() {
            line.removeLast()
            line.append(contentsOf: more)
        }
        return Self.decode(line)
    }

    /// Whether `=3D` occurs: asked of every line until decoding starts, so libc's
    /// vectorized `memchr` jumps from one `=` to the next rather than a byte loop.
    private static func containsEscapedEquals(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset + 3 <= buffer.count, let found = memchr(base + offset, Int32(UInt8.equals), buffer.count - offset - 2) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if buffer[at + 1] == UInt8(ascii: "3"), buffer[at + 2] == UInt8(ascii: "D") { return true }
                offset = at + 1
            }
            return false
        }
    }

    /// Turns decoding on or off at a Content-Transfer-Encoding header.
    private func noteHeader(_ line: [UInt8]) {
        guard line.count > Self.header.count, line[0] | 0x20 == UInt8(ascii: "c"),
              zip(line, Self.header).allSatisfy({ $0 | 0x20 == $1 }) else { return }
        let value = line[Self.header.count...].map { $0 | 0x20 }
        decoding = TextScanner.find(Self.quotedPrintable, in: Array(value)) != nil
        declared = true
    }

    /// `=XX` (two hex digits) to the byte it stands for; anything else as it is.
    static func decode(_ line: [UInt8]) -> [UInt8] {
        guard line.contains(.equals) else { return line }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(line.count)
        var index = 0
        while index < line.count {
            if line[index] == .equals, index + 2 < line.count, let high = line[index + 1].hexDigitValue, let low = line[index + 2].hexDigitValue {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(line[index])
                index += 1
            }
        }
        return decoded
    }
}
