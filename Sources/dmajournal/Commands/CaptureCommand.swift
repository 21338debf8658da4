import ArgumentParser
import Capture
import Foundation

/// `dmajournal capture`: record a live kernel's DMA — `dma:*`, `iommu:*` and the two-step
/// `dma_iova_*` calls through probe events — into a journal, leaving tracefs as it was.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Record dma:*, iommu:* and the dma_iova_* calls (probe events) from this kernel into a journal.",
        discussion: """
            Run as root. Defines probe events on the six dma_iova_* functions (fprobe events \
            with BTF arguments, else kprobe events on the argument registers, else none), \
            enables them with the dma and iommu tracepoints in a tracefs instance of its own, \
            runs COMMAND (or waits for Ctrl-C or --duration), and streams trace_pipe into a \
            text file that `dmajournal import` turns into the journal as it grows. Every probe \
            and setting is removed or put back on exit, Ctrl-C, SIGTERM and errors; a record \
            of the changes (in --state-dir) lets `--cleanup` undo a killed capture. \
            `--print-setup` prints the same as a shell script for a machine without the tool. \
            Exit status: the command's when it failed, 2 when the capture could not run or \
            tracefs could not be put back, else 0. See docs/capture.md.
            """
    )

    @Option(help: "The journal to write (the capture text goes beside it, as .txt).")
    var journal = "capture.db"

    @Option(help: "The capture text (header, trace lines); default: the journal's name with .txt.")
    var text: String?

    @Option(help: "Tracepoints to enable: systems or SYSTEM:EVENT, comma-separated.")
    var events = "dma,iommu"

    @Option(help: "Probe events on dma_iova_*: auto, fprobe, kprobe, none.")
    var probes = "auto"

    @Option(help: "Stop after this many seconds (and end the command).")
    var duration: Double?

    @Option(help: "tracefs to use instead of the one /proc/mounts names.")
    var tracefs: String?

    @Option(help: "Per-CPU ring buffer size in KiB for the capture's instance.")
    var bufferKb: Int?

    @Option(help: "Where the change record lives.")
    var stateDir = ChangeRecord.defaultDirectory

    @Flag(help: "Trace in tracefs's top level instead of an instance of its own (settings restored; unread events there are consumed).")
    var noInstance = false

    @Flag(help: "Only write the capture text while tracing; import it when the capture ends.")
    var deferImport = false

    @Flag(help: "Print the setup and teardown as a shell script and exit.")
    var printSetup = false

    @Option(help: "For --print-setup --probes kprobe: the machine (x86_64, aarch64); default this one's.")
    var arch: String?

    @Flag(help: "Undo what a killed capture left in tracefs, from its change record, and exit.")
    var cleanup = false

    @Flag(help: "Overwrite an existing journal and capture text.")
    var force = false

    @Flag(help: "No report of the importer's skipped lines.")
    var quiet = false

    @Argument(parsing: .postTerminator, help: "The command to trace (after --).")
    var command: [String] = []

    var textPath: String {
        if let text { return text }
        return (journal.hasSuffix(".db") ? String(journal.dropLast(3)) : journal) + ".txt"
    }

    var recordPath: String { stateDir + "/" + ChangeRecord.fileName }

    func run() throws {
        try CLIFailure.rendering {
            let options = try captureOptions()
            if printSetup { return try printScript(options) }
            if cleanup { return try runCleanup(options) }
            try CaptureSequence(command: self, options: options).run()
        }
    }

    func captureOptions() throws -> CaptureOptions {
        var options = CaptureOptions()
        do { options.events = try EventSelector.parseList(events) } catch { throw CLIFailure.badInput(error.description) }
        guard let request = KernelSupport.Request(rawValue: probes) else {
            throw CLIFailure.badInput("--probes \(probes): expected auto, fprobe, kprobe or none")
        }
        options.probes = request
        options.useInstance = !noInstance
        if let bufferKb {
            guard bufferKb > 0 else { throw CLIFailure.badInput("--buffer-kb \(bufferKb): must be positive") }
            options.bufferKilobytes = bufferKb
        }
        if let duration, !(duration > 0) { throw CLIFailure.badInput("--duration \(duration): must be positive") }
        return options
    }

    private func printScript(_ options: CaptureOptions) throws {
        let style: ProbeStyle?
        switch options.probes {
        case .auto, .fprobe: style = .fprobe
        case .none: style = nil
        case .kprobe:
            let machine = arch ?? SystemFacts.read(kernelLog: nil).machine
            guard let registers = ArgumentRegisters.of(machine: machine) else {
                throw CLIFailure.badInput("--arch \(machine): no argument-register table (x86_64, aarch64)")
            }
            style = .kprobe(registers)
        }
        print(SetupScript.render(style: style, options: options, toolVersion: "dmajournal \(ToolVersion.current)"), terminator: "")
    }

    private func runCleanup(_ options: CaptureOptions) throws {
        var contents: ChangeRecord.Contents?
        if let text = try? String(contentsOfFile: recordPath, encoding: .utf8) {
            do { contents = try ChangeRecord.load(text, path: recordPath) } catch { throw CLIFailure.badInput(error.description) }
            if let contents, let owner = Cleanup.liveOwner(of: contents) {
                throw CLIFailure.badInput("capture pid \(owner) is still running and will clean up itself (kill -TERM \(owner) stops it)")
            }
        }
        let root = tracefs ?? contents?.tracefsRoot ?? CapturePreflightPaths.locate()
        guard let root else { throw CLIFailure.badInput("tracefs: not mounted; nothing to clean up") }
        let report = Cleanup.run(files: LiveTracefs(root: root), contents: contents, options: options)
        report.done.forEach { StandardError.write("cleanup: \($0)") }
        report.problems.forEach { StandardError.write("cleanup: \($0)") }
        if !report.problems.isEmpty { throw CLIFailure.badInput("cleanup: \(report.problems.count) changes could not be undone; \(recordPath) is kept") }
        if contents != nil { unlink(recordPath) }
        StandardError.write(report.done.isEmpty ? "cleanup: nothing of dmajournal's in \(root)" : "cleanup: \(root) is as it was")
    }
}

/// Where tracefs is, for `--cleanup` without a record.
enum CapturePreflightPaths {
    static func locate() -> String? {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        guard let found = TracefsLocation.find(mounts: mounts, directoryExists: { FileManager.default.fileExists(atPath: $0) }),
              found.how != .needsMount else { return nil }
        return found.path
    }
}
