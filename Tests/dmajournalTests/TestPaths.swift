import Foundation

/// Where the package and the built tool are, found from this file and the test runner.
enum TestPaths {
    /// The package root: two folders above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("fixtures/scripts")

    /// The `dmajournal` binary SwiftPM built beside the test runner.
    static let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("dmajournal")

    /// Every op script under fixtures/scripts, sorted.
    static func fixtureScripts() -> [URL] {
        let enumerator = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)
        let files = (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "ops" }
        return files.sorted { $0.path < $1.path }
    }
}

/// A finished run of the tool.
struct ToolRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `dmajournal` with `arguments` from the package root.
    static func run(_ arguments: [String], stdin: String? = nil) throws -> ToolRun {
        try launch(TestPaths.tool, arguments, stdin: stdin)
    }

    /// A fresh journal of fixtures/scripts/`script`, recorded by the tool itself
    /// (`run --journal`) under a name starting with `prefix`.
    static func journal(of script: String, prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).db").path
        let run = try run(["run", "--quiet", "--journal", path, "fixtures/scripts/" + script])
        precondition(run.status == 0, run.stderr)
        return path
    }

    /// Runs `command` with /bin/sh, from the package root.
    static func shell(_ command: String) throws -> ToolRun {
        try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
    }

    private static func launch(_ executable: URL, _ arguments: [String], stdin: String? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus,
                       stdout: String(decoding: stdoutData, as: UTF8.self),
                       stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
