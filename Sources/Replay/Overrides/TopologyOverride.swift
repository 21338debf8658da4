import DMASim
import OpScript

/// One `--with KEY=VALUE`: a change to the machine a journal is replayed on. A bug that
/// stayed latent in the recording (a missing `dma_iova_sync` on an IOMMU that does not
/// need it, a late access that strict mode would have faulted) shows up as a divergence
/// when the same ops run on the machine where it matters.
public enum TopologyOverride: Sendable, Hashable {
    /// Every IOMMU's domain type: strict ⇄ lazy (DMA vs DMA-FQ), or passthrough.
    case iommuMode(IOMMUMode)
    /// Every IOMMU implements `iotlb_sync_map` (virtio-iommu) or not.
    case needsSyncMap(Bool)
    /// Every IOMMU's granule (smallest page size).
    case granule(UInt64)
    /// Every IOMMU's `pgsize_bitmap`: `page-sizes=4K` replays without block PTEs.
    case pageSizes(UInt64)
    /// Every IOMMU's flush-queue ring size.
    case flushQueueSlots(Int)
    /// `iommu.forcedac=` on every IOMMU.
    case forceDAC(Bool)
    /// Every device's DMA mask.
    case dmaBits(Int)
    /// Every device coherent or not.
    case coherent(Bool)
    /// Every device untrusted (external-facing) or not.
    case untrusted(Bool)
    /// Every device's `dma_set_min_align_mask()`.
    case minAlignMask(UInt64)
    /// The declared swiotlb pool's size; on a journal that declares none, the pool a
    /// command line's `swiotlb=` makes at boot (`Engine.bootSwiotlb`).
    case swiotlbSize(UInt64)
    /// `swiotlb=force` on the declared pool; on a journal that declares none, `on` boots
    /// with a forced pool (of `swiotlb-size`, or the default 64 MiB).
    case swiotlbForce(Bool)
    /// The kernel whose semantics the engine follows (`machine kernel=`).
    case kernel(KernelVersion)
    /// The machine's architecture (`machine arch=`).
    case arch(Architecture)
    /// The machine's online CPUs (`machine cpus=`).
    case cpuCount(Int)
    /// Where the machine's jiffy ticks fall (`machine tick-phase=`): a trace does not
    /// record it, and every timer (the flush queue's `fq_timer`) fires on a tick.
    case tickPhase(UInt64)

    /// The keys, as `--with` spells them, with what each takes.
    public static let keys: [(key: String, value: String)] = [
        ("iommu-mode", "strict|lazy|passthrough"), ("needs-sync-map", "on|off"), ("granule", "size"), ("page-sizes", "sizes"),
        ("fq-size", "count"), ("forcedac", "on|off"), ("dma-bits", "bits"), ("coherent", "on|off"),
        ("untrusted", "on|off"), ("min-align-mask", "mask"), ("swiotlb-size", "size"), ("swiotlb-force", "on|off"),
        ("kernel", KernelVersion.allCases.map(\.rawValue).joined(separator: "|")),
        ("arch", Architecture.allCases.map(\.rawValue).joined(separator: "|")), ("cpus", "count"),
        ("tick-phase", "duration"),
    ]

    /// Parses `KEY=VALUE`.
    public init(parsing text: String) throws(TopologyOverrideError) {
        guard let equals = text.firstIndex(of: "=") else { throw .init(text, "expected KEY=VALUE") }
        let key = String(text[..<equals]), value = String(text[text.index(after: equals)...])
        switch key {
        case "iommu-mode":
            guard let mode = IOMMUMode(rawValue: value) else { throw .init(text, "expected strict, lazy or passthrough") }
            self = .iommuMode(mode)
        case "needs-sync-map": self = .needsSyncMap(try Self.flag(value, text))
        case "granule": self = .granule(try Self.size(value, text))
        case "page-sizes": self = .pageSizes(try Self.sizes(value, text))
        case "fq-size": self = .flushQueueSlots(try Self.count(value, text))
        case "forcedac": self = .forceDAC(try Self.flag(value, text))
        case "dma-bits":
            let bits = try Self.count(value, text)
            guard (12...64).contains(bits) else { throw .init(text, "DMA mask bits must be 12…64") }
            self = .dmaBits(bits)
        case "coherent": self = .coherent(try Self.flag(value, text))
        case "untrusted": self = .untrusted(try Self.flag(value, text))
        case "min-align-mask":
            guard let mask = try? ScriptNumber.value(of: value), DeviceSpec.isValidMinAlignMask(mask) else {
                throw .init(text, "expected a mask of low bits below 2^32 (0, 0xfff)")
            }
            self = .minAlignMask(mask)
        case "swiotlb-size":
            let bytes = try Self.size(value, text)
            if let problem = SwiotlbSpec.sizeProblem(bytes) { throw .init(text, problem) }
            self = .swiotlbSize(bytes)
        case "swiotlb-force": self = .swiotlbForce(try Self.flag(value, text))
        case "kernel":
            guard let kernel = KernelVersion(rawValue: value) else {
                throw .init(text, "expected \(KernelVersion.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            self = .kernel(kernel)
        case "arch":
            guard let arch = Architecture(rawValue: value) else {
                throw .init(text, "expected \(Architecture.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            self = .arch(arch)
        case "cpus":
            let count = try Self.count(value, text)
            guard count <= MachineSpec.maxCPUCount else { throw .init(text, "CPU count must be 1…\(MachineSpec.maxCPUCount)") }
            self = .cpuCount(count)
        case "tick-phase":
            guard let phase = try? DurationText.value(of: value) else { throw .init(text, "expected \(DurationText.form)") }
            self = .tickPhase(phase)
        default:
            throw .init(text, "unknown key '\(key)' (keys: \(Self.keys.map(\.key).joined(separator: ", ")))")
        }
    }

    /// The declaration `op` on the changed machine (its CPU and time kept); other ops
    /// pass through unchanged.
    public func apply(to op: Op) -> Op {
        switch (self, op.call) {
        case (.iommuMode(let mode), .iommu(var spec)): spec.mode = mode; return op.with(.iommu(spec))
        case (.needsSyncMap(let on), .iommu(var spec)): spec.needsSyncMap = on; return op.with(.iommu(spec))
        case (.granule(let bytes), .iommu(var spec)): spec.changeGranule(to: bytes); return op.with(.iommu(spec))
        case (.pageSizes(let bitmap), .iommu(var spec)): spec.pageSizes = bitmap; return op.with(.iommu(spec))
        case (.flushQueueSlots(let slots), .iommu(var spec)): spec.flushQueueSlots = slots; return op.with(.iommu(spec))
        case (.forceDAC(let on), .iommu(var spec)): spec.forceDAC = on; return op.with(.iommu(spec))
        case (.dmaBits(let bits), .device(var spec)): spec.dmaBits = bits; return op.with(.device(spec))
        case (.coherent(let on), .device(var spec)): spec.coherent = on; return op.with(.device(spec))
        case (.untrusted(let on), .device(var spec)): spec.untrusted = on; return op.with(.device(spec))
        case (.minAlignMask(let mask), .device(var spec)): spec.minAlignMask = mask; return op.with(.device(spec))
        case (.swiotlbSize(let bytes), .swiotlb(var spec)): spec.sizeBytes = bytes; return op.with(.swiotlb(spec))
        case (.swiotlbForce(let on), .swiotlb(var spec)): spec.force = on; return op.with(.swiotlb(spec))
        case (_, .machine(let spec)) where targetKind == .machine: return op.with(.machine(apply(to: spec)))
        default: return op
        }
    }

    /// The machine `spec` with this override applied (unchanged by other overrides).
    public func apply(to spec: MachineSpec) -> MachineSpec {
        var spec = spec
        switch self {
        case .kernel(let kernel): spec.kernel = kernel
        case .arch(let arch):
            // HZ follows the architecture unless the machine chose its own.
            if spec.hz == MachineSpec.defaultHZ(for: spec.arch) { spec.hz = MachineSpec.defaultHZ(for: arch) }
            spec.arch = arch
        case .cpuCount(let count): spec.cpuCount = count
        // Below one jiffy of the machine's HZ, as `machine tick-phase=` must be.
        case .tickPhase(let phase): spec.tickPhase = phase % spec.tickNanoseconds
        default: break
        }
        return spec
    }

    /// Whether the override changes anything in a machine declared by `topology`: an
    /// IOMMU override on a journal without an IOMMU would silently do nothing. Every
    /// journal has a machine: its `machine` line, or the defaults; and a swiotlb pool,
    /// declared or made at boot, except that `swiotlb-force=off` needs a declared one.
    public func applies(to topology: [Op]) -> Bool {
        switch self {
        case .swiotlbSize, .swiotlbForce(true): return true
        default: return targetKind == .machine || topology.contains { $0.kind == targetKind }
        }
    }

    var targetKind: OpKind {
        switch self {
        case .iommuMode, .needsSyncMap, .granule, .pageSizes, .flushQueueSlots, .forceDAC: return .iommu
        case .dmaBits, .coherent, .untrusted, .minAlignMask: return .device
        case .swiotlbSize, .swiotlbForce: return .swiotlb
        case .kernel, .arch, .cpuCount, .tickPhase: return .machine
        }
    }

    private static func flag(_ value: String, _ text: String) throws(TopologyOverrideError) -> Bool {
        switch value {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw .init(text, "expected on or off")
        }
    }

    private static func size(_ value: String, _ text: String) throws(TopologyOverrideError) -> UInt64 {
        guard let bytes = try? ScriptNumber.value(of: value), bytes > 0 else { throw .init(text, "expected a size (4K, 64K, 0x1000)") }
        return bytes
    }

    /// `4K,2M,1G` (or a bitmap): each item's bits join the `pgsize_bitmap`.
    private static func sizes(_ value: String, _ text: String) throws(TopologyOverrideError) -> UInt64 {
        var bitmap: UInt64 = 0
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let bytes = try? ScriptNumber.value(of: String(item)), bytes > 0 else {
                throw .init(text, "expected page sizes (4K,2M,1G)")
            }
            bitmap |= bytes
        }
        return bitmap
    }

    private static func count(_ value: String, _ text: String) throws(TopologyOverrideError) -> Int {
        guard let number = Int(value), number > 0 else { throw .init(text, "expected a positive number") }
        return number
    }
}

/// A `--with` argument that cannot be understood.
public struct TopologyOverrideError: Error, CustomStringConvertible, Equatable {
    public let argument: String
    public let problem: String

    init(_ argument: String, _ problem: String) { self.argument = argument; self.problem = problem }

    public var description: String { "--with \(argument): \(problem)" }
}

extension Array where Element == TopologyOverride {
    /// `op` with every override applied, in order.
    public func apply(to op: Op) -> Op {
        guard op.kind.isTopology else { return op }
        return reduce(op) { $1.apply(to: $0) }
    }

    /// The machine ops without a `machine` line run on: `base` (the journal's
    /// `defaultMachine`), changed.
    public func machine(from base: MachineSpec) -> MachineSpec { reduce(base) { $1.apply(to: $0) } }

    /// The pool these overrides ask the kernel's command line for: `swiotlb=N[,force]` as
    /// `--with swiotlb-size=N` and `swiotlb-force=on` spell it; nil when they ask for none.
    /// It only counts on a journal with no `swiotlb` line (a declared pool is overridden
    /// line by line): the what-if "the same ops on a kernel booted with that pool".
    public var bootSwiotlb: SwiotlbSpec? {
        var size: UInt64?, force: Bool?
        for override in self {
            if case .swiotlbSize(let bytes) = override { size = bytes }
            if case .swiotlbForce(let on) = override { force = on }
        }
        guard size != nil || force == true else { return nil }
        return SwiotlbSpec(sizeBytes: size ?? SwiotlbSpec.defaultSizeBytes, force: force ?? false)
    }

    /// A fresh engine for a replay with these overrides: on the changed `base`, which a
    /// `machine` line in the journal (overridden in turn) replaces, and with the boot pool
    /// they ask for.
    public func freshEngine(on base: MachineSpec = MachineSpec()) -> Engine {
        let engine = Engine(machine: machine(from: base))
        engine.bootSwiotlb = bootSwiotlb
        return engine
    }
}
