import DMASim
import OpScript

/// Turns an op script into an `OraclePlan`: the guest that mirrors its topology, the
/// memory that stands for its regions, and one module command per line the kernel can
/// carry out. A line the kernel cannot express is kept with the reason, never guessed at;
/// so is every later line that depends on it (a handle its skipped `alloc` or `map` made).
///
/// Both sides run the same ops: the model side runs only the lines that became commands
/// (`ModelSide`), so a skipped line changes neither.
public struct OracleTranslator: Sendable {
    /// Where RAM above `mem=768M` starts in the guest (oracle/run.sh boots `-m 1G
    /// mem=768M`), and where the extents of `shared` regions may go: QEMU's firmware keeps
    /// the last pages below 1 GiB (`3ffd7000-3fffffff : Reserved`).
    public static let hiddenBase: UInt64 = 0x3000_0000
    public static let hiddenLimit: UInt64 = 0x3fc0_0000
    /// RAM above 4 GiB, for extents that must lie beyond a 32-bit mask (the guest is then
    /// given 5 GiB: q35 keeps 2 GiB below the PCI hole and puts 3 GiB from 4 GiB up).
    public static let highHiddenBase: UInt64 = 0x1_0000_0000
    public static let highHiddenLimit: UInt64 = 0x1_c000_0000
    /// The largest extent of ordinary RAM: alloc_pages() of MAX_PAGE_ORDER (4 MiB).
    public static let ramExtentLimit: UInt64 = 4 << 20
    /// All `ram` extents together (the guest has 768 MiB).
    public static let ramBudget: UInt64 = 256 << 20
    /// Time the guest's clock surely passes a 10 ms flush-queue timer in (12 ms at HZ=250,
    /// plus slack): an `advance` at least this long is mirrored by sleeping.
    public static let timerSlackNanoseconds: UInt64 = 20_000_000
    /// The most one device access may move (the module's read buffer).
    public static let accessLimit: UInt64 = 1 << 20

    /// Lines the model rejects when it runs the whole script (a fault of the script, not of
    /// the kernel: an unknown handle, a duplicate declaration). They are not sent.
    public var modelRejected: [Int: String]

    public init(modelRejected: [Int: String] = [:]) { self.modelRejected = modelRejected }

    public func plan(for script: Script) -> OraclePlan {
        var builder = PlanBuilder(script: script, modelRejected: modelRejected)
        builder.buildTopology()
        guard builder.plan.scriptSkip == nil else { return builder.finishSkippingAll() }
        builder.buildExtents()
        builder.buildLines()
        return builder.plan
    }
}

/// The translation's working state.
struct PlanBuilder {
    let script: Script
    let modelRejected: [Int: String]
    var plan = OraclePlan()

    var machine = MachineSpec()
    var regions: [RegionSpec] = []
    var iommus: [String: IOMMUSpec] = [:]
    var swiotlb: SwiotlbSpec?
    /// Script device name -> its edu, or why it has none.
    var deviceByName: [String: DevicePlan] = [:]
    var skippedDevices: [String: String] = [:]
    /// Lines whose memory cannot be backed, and why.
    var memorySkips: [Int: String] = [:]

    init(script: Script, modelRejected: [Int: String]) {
        self.script = script
        self.modelRejected = modelRejected
    }

    /// Every line skipped for the script's reason.
    mutating func finishSkippingAll() -> OraclePlan {
        let why = plan.scriptSkip ?? "not expressible"
        plan.lines = script.lines.map { line in
            LinePlan(line: line, action: line.op.kind.isTopology ? .topology : .skipped(why))
        }
        return plan
    }

    func region(containing phys: UInt64, length: UInt64) -> RegionSpec? {
        regions.first { region in
            guard phys >= region.base else { return false }
            let offset = phys - region.base
            return length <= region.sizeBytes && offset <= region.sizeBytes - length
        }
    }
}
