import ArgumentParser
import DMASim
import Foundation
import OpScript
import Workloads

/// `dmajournal record --workload nvme --ops N --journal FILE`: drive simulated devices the
/// way in-tree drivers use the two-step API, and journal every op.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run a seeded driver workload through the simulator and journal every op.",
        discussion: """
            Workloads: \(WorkloadKind.allCases.map(\.rawValue).joined(separator: ", ")) (docs/workloads.md). \
            Ctrl-C or SIGTERM stops cleanly: the journal keeps every op up to the last one and \
            says it is an interrupted recording. Readers of the journal never make it fail: \
            at the end it waits for them (up to a minute, saying so). Exit status 0; 1 when \
            a claim the workload's driver makes about an op failed (its data did not come \
            back, or the checker reported an access the driver believed correct); 2 for bad \
            input; 130 after Ctrl-C, 143 after SIGTERM.

            EXAMPLES:
              dmajournal record --workload nvme --ops 20000 --journal nvme.db
              dmajournal record --workload nvme --ops 100000 --journal nvme.db --iommu-mode lazy --inject late-access@50000 --quiet
              dmajournal record --workload rdma-odp --ops 1000000 --journal odp.db --checkpoint-every 100000
              dmajournal record --workload nvme --ops 20000 --journal forced.db --swiotlb 64M --swiotlb-force
              dmajournal record --workload hidden-memory --ops 20000 --journal hidden.db --inject unaligned-bounce@5000
              dmajournal record --workload thunderbolt --ops 20000 --journal tb.db
            """
    )

    @Option(help: "The workload to run.")
    var workload: WorkloadKind

    @Option(help: "Ops to generate (requests in flight then finish).")
    var ops: Int = 100_000

    @Option(help: "The journal file to write.")
    var journal: String

    @Flag(help: "Overwrite an existing journal.")
    var force = false

    @Option(help: "Seed of the workload's generator.")
    var seed: UInt64 = 1

    @Option(help: "Devices (default: the workload's own).")
    var devices: Int?

    @Option(help: "Size of the shared region in bytes (suffixes K M G T).", transform: RecordCommand.size)
    var regionSize: UInt64 = WorkloadOptions.defaultRegionSizeBytes

    @Option(help: "Override every IOMMU's mode: strict, lazy or passthrough.")
    var iommuMode: IOMMUMode?

    @Flag(help: "Make every IOMMU need iotlb_sync_map (virtio-iommu).")
    var needsSyncMap = false

    @Option(help: "Override the IOMMU granule (4K, 16K, 64K).", transform: RecordCommand.size)
    var granule: UInt64?

    @Option(help: "Override every device's DMA mask bits.")
    var dmaBits: Int?

    @Option(help: "Declare a swiotlb bounce pool of this size (swiotlb=; a multiple of 256K up to 1G), journaled as the stream's swiotlb line.",
            transform: RecordCommand.size)
    var swiotlb: UInt64?

    @Flag(help: "swiotlb=force: dma-direct bounces every mapping (a 64M pool unless --swiotlb sizes it).")
    var swiotlbForce = false

    @Option(help: "The kernel whose DMA semantics to follow: 7.3 (the default) or 6.16; declares a machine line.")
    var kernel: KernelVersion?

    @Option(name: .customLong("inject"), help: "Commit a misuse: CLASS[@RATE|@SEQ], e.g. late-access@0.001; repeatable.")
    var injections: [String] = []

    @Option(help: "Take a checkpoint (memory snapshot and engine state) after every N ops; 0 for none (docs/snapshots.md).")
    var checkpointEvery: Int = RecordCommand.defaultCheckpointEvery

    @Flag(help: "No progress line; only the summary.")
    var quiet = false

    @Option(help: "Output format of the summary: text or json.")
    var format: OutputFormat = .text

    /// Measured so checkpoints cost under 10 % of recording time (docs/snapshots.md).
    static let defaultCheckpointEvery = 250_000

    func run() throws {
        try CLIFailure.rendering {
            let stream = try makeStream()
            let sink = try JournalSink(path: journal, force: force, source: "workload \(workload.rawValue)", seed: seed)
            InterruptFlag.stopBetweenOps()
            var progress = ProgressReporter(total: ops)
            let recorder = WorkloadRecorder(stream: stream, keeper: try sink.makeKeeper(), checkpointEvery: checkpointEvery)
            let summary = try snapshotCall(path: journal) {
                try recorder.record { step, injection in
                    try sink.record(step, injection: injection)
                    if !quiet { progress.update(done: step.sequence + 1) }
                }
            }
            try sink.finish()
            progress.finish()
            print(format == .json ? summary.json(journal: journal, seconds: progress.elapsedSeconds).text
                                  : summary.line(journal: journal, seconds: progress.elapsedSeconds))
            if summary.interrupted { throw CLIFailure.interrupted(JournalSink.interruptedLine(path: journal, opsKept: summary.ops)) }
            if let first = summary.firstFailure {
                throw CLIFailure.expectationFailed("\(summary.failedClaims) ops failed their claims; the first, seq \(first), "
                    + "\(summary.firstFailureDetail): `dmajournal bisect \(journal) --until mismatch` shows it in context, "
                    + "`dmajournal query \(journal) \"SELECT * FROM op_log WHERE seq = \(first)\"` the op")
            }
        }
    }

    func validate() throws {
        try OptionCheck.atLeast(0, ops, "--ops")
        try OptionCheck.atLeast(1, devices, "--devices")
        try OptionCheck.atLeast(0, checkpointEvery, "--checkpoint-every", meaning: "0 for none")
        if let dmaBits { try OptionCheck.within(1...64, dmaBits, "--dma-bits") }
    }

    private func makeStream() throws -> WorkloadStream {
        var options = WorkloadOptions(seed: seed, opCount: ops, deviceCount: devices, regionSizeBytes: regionSize,
                                      iommuMode: iommuMode, needsSyncMap: needsSyncMap ? true : nil,
                                      granuleBytes: granule, dmaBits: dmaBits)
        options.kernel = kernel
        options.swiotlbBytes = swiotlb
        options.swiotlbForce = swiotlbForce
        do {
            options.injections = try injections.map { text throws -> InjectionSpec in try InjectionSpec(parsing: text) }
            return try workload.generator.steps(options)
        } catch let error as CustomStringConvertible {
            throw CLIFailure.badInput("record: \(error.description)")
        }
    }

    static func size(_ text: String) throws -> UInt64 {
        do { return try ScriptNumber.value(of: text) } catch { throw ValidationError("'\(text)' is not a size (e.g. 4K, 1T, 0x1000)") }
    }
}

extension WorkloadKind: ExpressibleByArgument {}
extension IOMMUMode: ExpressibleByArgument {}
extension KernelVersion: ExpressibleByArgument {}
