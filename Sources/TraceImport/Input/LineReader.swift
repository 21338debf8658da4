#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a source's lines come from: a file, or text in memory (tests).
protocol LineProvider: AnyObject {
    /// The next line's bytes, without its line ending; nil at the end.
    func next() -> [UInt8]?
    /// The number of the line `next()` returned last, from 1 (its first physical line).
    var lineNumber: Int { get }
    /// Physical lines read so far.
    var linesRead: Int { get }
    /// What ended the lines before the end of the input (a read error, damaged or
    /// truncated gzip data); nil when they ran to the end.
    var failure: String? { get }
}

extension LineProvider {
    var linesRead: Int { lineNumber }
    var failure: String? { nil }
}

/// Reads a file one line at a time in 1 MiB blocks, so a 100 MB log never sits in memory
/// whole. Lines end at `\n`; a `\r` before it is dropped. `-` is standard input; gzip
/// data (a `.gz` file, or piped) is inflated as it is read, recognised by its first bytes
/// whatever the name.
final class LineReader: LineProvider {
    let path: String
    private var source: ByteSource
    private var buffer: [UInt8]
    private var start = 0
    private var filled = 0
    private var endOfFile = false
    /// Lines returned so far: the number of the last one.
    private(set) var lineNumber = 0

    /// Opens `path` (`-`: standard input); nil when it cannot be read.
    init?(path: String, blockBytes: Int = 1 << 20) {
        guard let file = FileBytes.opening(path) else { return nil }
        self.path = path
        source = file
        buffer = [UInt8](repeating: 0, count: max(blockBytes, 2))
        while filled < GzipBytes.magic.count, !endOfFile { refill() }   // a pipe may give one byte first
        if filled >= GzipBytes.magic.count, Array(buffer[0..<GzipBytes.magic.count]) == GzipBytes.magic {
            guard let gzip = GzipBytes(input: file, head: Array(buffer[0..<filled])) else { return nil }
            source = gzip
            filled = 0
            endOfFile = false
        }
    }

    var failure: String? { source.failure }

    /// The next line's bytes, without its line ending; nil at the end of the file.
    func next() -> [UInt8]? {
        while true {
            if let newline = newlineIndex() {
                let line = lineBytes(start..<newline)
                start = newline + 1
                return line
            }
            if endOfFile {
                guard start < filled else { return nil }
                let line = lineBytes(start..<filled)
                start = filled
                return line
            }
            refill()
        }
    }

    /// The next `\n` in the unread bytes (memchr: a line is found at memory speed).
    private func newlineIndex() -> Int? {
        guard start < filled else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let found = memchr(base + start, Int32(UInt8.newline), filled - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    private func lineBytes(_ range: Range<Int>) -> [UInt8] {
        lineNumber += 1
        var upper = range.upperBound
        if upper > range.lowerBound, buffer[upper - 1] == .carriageReturn { upper -= 1 }
        return Array(buffer[range.lowerBound..<upper])
    }

    /// Moves the unread tail to the front and reads more after it, growing the buffer when
    /// one line is longer than it.
    private func refill() {
        let pending = filled - start
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + start, pending)
            }
            start = 0
            filled = pending
        }
        if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let count = buffer.withUnsafeMutableBytes { raw in
            source.fill(raw.baseAddress! + filled, count: raw.count - filled)
        }
        if count <= 0 { endOfFile = true } else { filled += count }
    }
}
