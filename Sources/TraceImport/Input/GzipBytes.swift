import CZlib

/// A gzip file's (or stream's) bytes, inflated as they are read: `trace.txt.gz` or
/// `zcat`-able text on standard input imports without unpacking it first. Members written
/// one after another (`cat a.gz b.gz`, `gzip` of a growing log) are read as one text, as
/// `gzip -dc` reads them.
final class GzipBytes: ByteSource {
    /// The two bytes every gzip member starts with (RFC 1952).
    static let magic: [UInt8] = [0x1f, 0x8b]

    private let input: ByteSource
    private var stream = z_stream()
    private var compressed: UnsafeMutableRawPointer
    private let compressedCapacity: Int
    private var atEnd = false
    private var started = false
    /// Compressed bytes read so far, to say where damaged data begins.
    private var consumed = 0
    private(set) var failure: String?

    /// Inflates `input`, whose first bytes (already read from it) are `head`.
    init?(input: ByteSource, head: [UInt8]) {
        self.input = input
        compressedCapacity = max(1 << 18, head.count)
        compressed = UnsafeMutableRawPointer.allocate(byteCount: compressedCapacity, alignment: 8)
        guard czlib_inflate_init(&stream) == Z_OK else {
            compressed.deallocate()
            return nil
        }
        head.withUnsafeBytes { compressed.copyMemory(from: $0.baseAddress!, byteCount: head.count) }
        stream.next_in = compressed.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(head.count)
    }

    deinit {
        inflateEnd(&stream)
        compressed.deallocate()
    }

    func fill(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        guard !atEnd else { return 0 }
        stream.next_out = buffer.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(clamping: count)
        while stream.avail_out == UInt32(clamping: count) {
            if stream.avail_in == 0 {
                let got = input.fill(compressed, count: compressedCapacity)
                if let failure = input.failure { return stop(failure) }
                if got == 0 {
                    // The end of the input: clean between members, truncated inside one.
                    return started ? stop("the gzip data ends in the middle (a truncated file?)") : finish(count)
                }
                stream.next_in = compressed.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(got)
            }
            let before = Int(stream.avail_in)
            let status = inflate(&stream, Z_NO_FLUSH)
            consumed += before - Int(stream.avail_in)
            started = true
            switch status {
            case Z_STREAM_END:
                // Another member may follow.
                inflateReset(&stream)
                started = false
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                return stop("damaged gzip data near compressed byte \(consumed): \(message)")
            }
        }
        return finish(count)
    }

    /// The bytes inflated into the caller's buffer by this call.
    private func finish(_ count: Int) -> Int {
        let produced = count - Int(stream.avail_out)
        if produced == 0 { atEnd = true }
        return produced
    }

    private func stop(_ reason: String) -> Int {
        failure = reason
        atEnd = true
        return 0
    }
}
