import Foundation
import Testing
@testable import Snapshot

/// Each stored chunk is a frame the stock `lz4 -d` reads.
@Suite struct LZ4FrameCodecTests {
    static func chunk(_ kind: String) -> [UInt8] {
        switch kind {
        case "random": return (0..<65536).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }
        case "pattern": return (0..<65536).map { UInt8($0 % 7) }
        default: return [UInt8](repeating: 0x5A, count: 1000)
        }
    }

    @Test(arguments: ["random", "pattern", "short"])
    func roundTrips(_ kind: String) throws {
        let chunk = Self.chunk(kind)
        let frame = chunk.withUnsafeBytes { LZ4FrameCodec().encode($0) }
        var decoded = [UInt8](repeating: 0, count: 65536)
        let size = try decoded.withUnsafeMutableBytes { try LZ4FrameCodec.decode(frame, into: $0) }
        #expect(size == chunk.count)
        #expect(Array(decoded.prefix(size)) == chunk)
    }

    /// The interoperability promise: a blob taken out of the journal decompresses with
    /// the lz4 command-line tool.
    @Test(arguments: ["random", "pattern", "short"])
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
