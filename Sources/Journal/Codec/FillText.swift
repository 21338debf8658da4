import DMASim

/// `ops.fill`: a fill in op-script spelling (`seed:N`, `byte:0xab`, `hex:deadbeef`,
/// `zero`), so the column reads the same in the sqlite3 shell as in a script.
///
/// The journal keeps its own copy of this small grammar instead of importing OpScript:
/// a journal's stored format must not move when the script printer does (and Journal
/// depends on DMASim only).
enum FillText {
    static func text(of fill: Fill) -> String {
        switch fill {
        case .seed(let seed): return "seed:\(seed)"
        case .byte(let value): return "byte:0x" + String(value, radix: 16)
        case .pattern(let bytes): return "hex:" + bytes.map(hexPair).joined()
        case .zero: return "zero"
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text(of: fill)`, or nil for no fill. The
    /// common `seed:N` (every cpu-write and dev-write of a workload) is spelled into a stack
    /// buffer: building a String for it, then having SQLite copy that, cost ~1000
    /// instructions an op (issue #8). The bytes are valid only inside `body`.
    static func withUTF8<Value, Failure: Error>(
        of fill: Fill?, _ body: (UnsafeBufferPointer<UInt8>?) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        guard let fill else { return try body(nil) }
        guard case .seed(let seed) = fill else {
            // String.withUTF8 rethrows untyped errors; Result carries the typed one through.
            var text = text(of: fill)
            return try text.withUTF8 { bytes in Result { () throws(Failure) -> Value in try body(bytes) } }.get()
        }
        let prefix = "seed:".utf8
        // "seed:" and at most 20 decimal digits of a UInt64.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: prefix.count + 20) { (buffer) throws(Failure) -> Value in
            var start = buffer.count
            var rest = seed
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            start -= prefix.count
            _ = UnsafeMutableBufferPointer(rebasing: buffer[start...]).initialize(from: prefix)
            return try body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// The fill a stored text names; nil for text this grammar does not produce.
    static func fill(from text: String) -> Fill? {
        if text == "zero" { return .zero }
        if text.hasPrefix("seed:") { return UInt64(text.dropFirst(5)).map(Fill.seed) }
        if text.hasPrefix("byte:0x") { return UInt8(text.dropFirst(7), radix: 16).map(Fill.byte) }
        if text.hasPrefix("hex:") { return hexBytes(text.dropFirst(4)).map(Fill.pattern) }
        return nil
    }

    private static func hexPair(_ byte: UInt8) -> String {
        byte < 0x10 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }

    private static func hexBytes(_ digits: Substring) -> [UInt8]? {
        let characters = Array(digits.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
