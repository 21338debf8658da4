import Foundation
import Testing
@testable import Snapshot

/// Each stored chunk is a frame the stock `lz4 -d` reads.
@Suite struct LZ4FrameCodecTests {
    static func chunk(_ kind: String) -> [UInt8] {
        switch kind {
        case "random": return (0..<65536).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }
        case "pattern": return (0..<65536).map { UInt8($0 % 7) }
        // An engine state's size: several blocks, the last one short.
        case "multi-block": return (0..<200_003).map { UInt8(truncatingIfNeeded: ($0 / 3) &* 2654435761 >> 20) }
        default: return [UInt8](repeating: 0x5A, count: 1000)
        }
    }

    @Test(arguments: ["random", "pattern", "short", "multi-block"])
    func roundTrips(_ kind: String) throws {
        let chunk = Self.chunk(kind)
        let frame = chunk.withUnsafeBytes { LZ4FrameCodec().encode($0) }
        var decoded = [UInt8](repeating: 0, count: max(65536, chunk.count))
        let size = try decoded.withUnsafeMutableBytes { try LZ4FrameCodec.decode(frame, into: $0) }
        #expect(size == chunk.count)
        #expect(Array(decoded.prefix(size)) == chunk)
        #expect(try LZ4FrameCodec.decode(frame) == chunk)
    }

    /// Whatever the bytes, decoding throws or succeeds; it never reads out of bounds.
    @Test func damagedFramesThrow() throws {
        let frame = LZ4FrameCodec().encode(Self.chunk("multi-block"))
        for cut in stride(from: 0, to: frame.count, by: 997) {
            #expect(throws: LZ4FrameError.self) { try LZ4FrameCodec.decode(Array(frame.prefix(cut))) }
        }
        for position in stride(from: 4, to: frame.count, by: 131) {
            var damaged = frame
            damaged[position] ^= 0x5a
            _ = try? LZ4FrameCodec.decode(damaged)
        }
        #expect(throws: LZ4FrameError("content size 200003 exceeds 1000 bytes")) { try LZ4FrameCodec.decode(frame, limit: 1000) }
    }

    /// The interoperability promise: a blob taken out of the journal decompresses with
    /// the lz4 command-line tool.
    @Test(arguments: ["random", "pattern", "short", "multi-block"])
    func theLZ4CommandLineToolDecodesOurFrames(_ kind: String) throws {
        let chunk = Self.chunk(kind)
        let frame = chunk.withUnsafeBytes { LZ4FrameCodec().encode($0) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(UUID().uuidString).lz4")
        try Data(frame).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        process.arguments = ["-d", "-c", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let decoded = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect([UInt8](decoded) == chunk)
    }
}
