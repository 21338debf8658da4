import DMASim
import Foundation
import Snapshot

/// Snapshot and restore throughput on a mixed memory image in a 1 TiB shared region: a
/// third zero, a third patterned (64-byte records), a third random, mixed either page by
/// page (`page`: no 64 KiB chunk is all zero) or chunk by chunk (`chunk`). Optionally
/// writes the same bytes as a flat file so `lz4 -1` can be timed on them
/// (Benchmarks/compare.sh). Each phase prints its wall time and the CPU time (user, sys)
/// of the whole process over it, so two workers show as more CPU than wall.
/// Usage: SnapshotThroughput [image-MiB] [page|chunk] [raw-image-path|-] [workers]
@main
struct SnapshotThroughput {
    static func main() throws {
        let arguments = CommandLine.arguments
        let mebibytes = arguments.count > 1 ? UInt64(arguments[1])! : 1024
        let mixing: UInt64 = arguments.count > 2 && arguments[2] == "chunk" ? 16 : 1
        let imagePath = arguments.count > 3 && arguments[3] != "-" ? arguments[3] : nil
        let workers = arguments.count > 4 ? Int(arguments[4])! : 2
        let engine = Engine()
        let base: UInt64 = 0x1000_0000_0000
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        let pages = mebibytes * 256
        let record = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for first in stride(from: UInt64(0), to: pages, by: Int(mixing)) {
            let kind = (first / mixing) % 3
            let fill: Fill = kind == 0 ? .zero : (kind == 1 ? .pattern(record) : .seed(first))
            _ = engine.apply(.cpuWrite(CPUWriteOp(phys: base + first * 4096, length: 4096 * mixing, fill: fill)))
        }
        let touchedBytes = Double(pages * 4096)
        let store = InMemoryChunkStore()
        let snapshotter = Snapshotter(workers: workers)
        var manifest = SnapshotManifest()
        var statistics = Snapshotter.Statistics()
        let capture = try Phase.measure { (manifest, statistics) = try snapshotter.capture(engine, into: store) }
        let target = Engine()
        _ = target.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        let restore = try Phase.measure { try snapshotter.restore(manifest, from: store, into: target) }
        let backedMiB = target.touchedPages().count / 256
        // A second restore over the same memory: no first-touch page allocation.
        let warmRestore = try Phase.measure { try snapshotter.restore(manifest, from: store, into: target) }
        print("image: \(mebibytes) MiB touched, mixed by \(mixing == 1 ? "page" : "64 KiB chunk"), chunks examined \(statistics.chunksExamined), zero \(statistics.zeroChunks), stored \(statistics.chunksStored), compressed \(store.compressedBytes / 1_048_576) MiB; \(workers) workers; restored memory has \(backedMiB) MiB of backing")
        print("snapshot: \(capture.report(touchedBytes))")
        print("restore into empty memory: \(restore.report(touchedBytes))")
        print("restore over the same memory: \(warmRestore.report(touchedBytes))")
        if let imagePath { try writeImage(engine, pages: pages, base: base, to: imagePath) }
    }

    /// Wall and CPU time of one phase.
    struct Phase {
        var wall = 0.0, user = 0.0, system = 0.0

        static func measure(_ body: () throws -> Void) rethrows -> Phase {
            let before = (ContinuousClock.now, Self.cpu())
            try body()
            let after = (ContinuousClock.now, Self.cpu())
            let wall = after.0 - before.0
            return Phase(wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
                         user: after.1.user - before.1.user, system: after.1.system - before.1.system)
        }

        /// "0.52 s = 2065 MB/s of touched bytes (user 0.61 s, sys 0.30 s)"
        func report(_ bytes: Double) -> String {
            String(format: "%.2f s = %.0f MB/s of touched bytes (user %.2f s, sys %.2f s)", wall, bytes / wall / 1e6, user, system)
        }

        private static func cpu() -> (user: Double, system: Double) {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return (seconds(usage.ru_utime), seconds(usage.ru_stime))
        }
    }

    /// The same bytes as one flat file, for the lz4 CLI.
    static func writeImage(_ engine: Engine, pages: UInt64, base: UInt64, to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for first in stride(from: UInt64(0), to: pages, by: 256) {
            buffer.withUnsafeMutableBytes { bytes in
                for page in first..<min(first + 256, pages) {
                    let target = bytes.baseAddress! + Int(page - first) * 4096
                    if !engine.copyPage((base >> 12) + page, into: target) {
                        target.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
                    }
                }
            }
            try handle.write(contentsOf: buffer)
        }
    }
}
