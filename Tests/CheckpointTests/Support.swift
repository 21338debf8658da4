import Checkpoint
import DMASim
import Foundation
import Journal
import Snapshot

/// The shell tools the tests check interoperability with, and SQL run with them.
enum Shell {
    /// Runs `executable` with `arguments`; returns its exit status and stdout.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// One SQL statement through the sqlite3 shell (read-write), as a user would damage a file.
    static func sqlite(_ path: String, _ sql: String) throws {
        let result = try run("/usr/bin/sqlite3", [path, sql])
        precondition(result.status == 0, "sqlite3 failed on: \(sql)")
    }

    static func sqliteInteger(_ path: String, _ sql: String) throws -> Int {
        Int(String(decoding: try run("/usr/bin/sqlite3", [path, sql]).output, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}

/// Small machines for the tests: a 1 TiB shared region, one IOMMU, one device.
enum Machines {
    static let shared: UInt64 = 0x1000_0000_0000

    static let topology: [Op] = [
        .region(RegionSpec(name: "shm0", base: shared, sizeBytes: 1 << 40, kind: .shared)),
        .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
    ]

    static func cpuWrite(_ offset: UInt64, _ length: UInt64, _ fill: Fill) -> Op {
        .cpuWrite(CPUWriteOp(phys: shared + offset, length: length, fill: fill))
    }

    static func digest(_ engine: Engine, _ offset: UInt64, _ length: UInt64) -> UInt64? {
        engine.apply(.cpuRead(CPUReadOp(phys: shared + offset, length: length))).digest
    }
}
