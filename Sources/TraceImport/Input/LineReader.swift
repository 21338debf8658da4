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
}

extension LineProvider {
    var linesRead: Int { lineNumber }
}

/// Reads a file one line at a time in 1 MiB blocks, so a 100 MB log never sits in memory
/// whole. Lines end at `\n`; a `\r` before it is dropped.
final class LineReader: LineProvider {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var filled = 0
    private var endOfFile = false
    /// Lines returned so far: the number of the last one.
    private(set) var lineNumber = 0

    /// Opens `path`; nil when it cannot be read.
    init?(path: String, blockBytes: Int = 1 << 20) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            return nil
        }
        self.path = path
        self.descriptor = descriptor
        buffer = [UInt8](repeating: 0, count: blockBytes)
    }

    deinit { close(descriptor) }

    /// The next line's bytes, without its line ending; nil at the end of the file.
    func next() -> [UInt8]? {
        while true {
            if let newline = buffer[start..<filled].firstIndex(of: .newline) {
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
            read(descriptor, raw.baseAddress! + filled, raw.count - filled)
        }
        if count <= 0 { endOfFile = true } else { filled += count }
    }
}
