/// PostgreSQL's binary COPY format, written into one growing buffer that `JournalPusher`
/// hands to `PQputCopyData` whenever it passes `flushBytes`: a signature and header, then
/// per row a 16-bit field count and per field a 32-bit length (-1 for NULL) and the
/// value in network byte order (int8, float8) or as bytes (text in UTF-8, bytea).
/// Binary spares the server parsing text numbers, most of COPY's cost for integer rows.
struct CopyBuffer {
    static let flushBytes = 1 << 20
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init() {
        capacity = Self.flushBytes * 2
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    func deallocate() { storage.deallocate() }

    var isFull: Bool { count >= Self.flushBytes }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
    mutating func removeAll() { count = 0 }

    /// `PGCOPY\n\377\r\n\0`, no flags, no header extension.
    mutating func appendHeader() {
        append(bytes: [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00])
        appendInt32(0)
        appendInt32(0)
    }

    mutating func appendTrailer() { appendInt16(-1) }

    mutating func beginRow(fields: Int) { appendInt16(Int16(fields)) }

    mutating func appendNull() { appendInt32(-1) }

    mutating func appendInt8Field(_ value: Int64) {
        reserve(12)
        appendInt32(8)
        storage.storeBytes(of: value.bigEndian, toByteOffset: count, as: Int64.self)
        count += 8
    }

    mutating func appendFloat8Field(_ value: Double) {
        appendInt8Field(Int64(bitPattern: value.bitPattern))
    }

    /// A text or bytea field: the length, then the bytes as they are.
    mutating func appendBytesField(_ pointer: UnsafeRawPointer?, count length: Int) {
        reserve(4 + length)
        appendInt32(Int32(length))
        if length > 0, let pointer { (storage + count).copyMemory(from: pointer, byteCount: length) }
        count += length
    }

    private mutating func appendInt16(_ value: Int16) {
        reserve(2)
        storage.storeBytes(of: value.bigEndian, toByteOffset: count, as: Int16.self)
        count += 2
    }

    private mutating func appendInt32(_ value: Int32) {
        reserve(4)
        storage.storeBytes(of: value.bigEndian, toByteOffset: count, as: Int32.self)
        count += 4
    }

    private mutating func append(bytes: [UInt8]) {
        reserve(bytes.count)
        for byte in bytes { storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self); count += 1 }
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        grown.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }
}
