/// What this kernel's tracefs offers `capture`, read from tracefs itself: its `README`
/// (the definition syntax it prints is compiled in only with the feature, as the kernel's
/// own ftrace selftests check it: `tools/testing/selftests/ftrace/test.d/dynevent/`), the
/// files present, the event systems, and whether the two-step functions exist.
public struct KernelSupport: Equatable, Sendable {
    /// `dynamic_events` exists (the generic dynamic event interface).
    public var dynamicEvents = false
    /// README lists `f[:[<group>/][<event>]] <func-name>` (CONFIG_FPROBE_EVENTS).
    public var fprobeEvents = false
    /// README lists `<argname>[->field…` (CONFIG_PROBE_EVENTS_BTF_ARGS) and
    /// `/sys/kernel/btf/vmlinux` exists (CONFIG_DEBUG_INFO_BTF).
    public var btfArguments = false
    /// `kprobe_events` exists (CONFIG_KPROBE_EVENTS).
    public var kprobeEvents = false
    /// README says return probes read `$arg<N>` (saved at entry, 6.9+).
    public var returnProbesReadArguments = false
    /// The six `dma_iova_*` functions that are present (`available_filter_functions`, or
    /// `/proc/kallsyms` when that is unreadable).
    public var twoStepFunctions: [String] = []
    /// `uname -m`.
    public var machine = ""
    /// Which of the requested event systems exist under `events/` (`dma` is 6.12+).
    public var eventSystems: [String] = []
    /// tracefs `instances/` exists.
    public var instances = false

    public init() {}

    /// Reads the support from tracefs, `btfPresent` (`/sys/kernel/btf/vmlinux`), the
    /// function list, the machine name and the requested systems.
    public static func detect(_ files: TracefsFiles, btfPresent: Bool, functionList: String?, machine: String, systems: [String]) -> KernelSupport {
        var support = KernelSupport()
        let readme = (try? files.read("README")) ?? ""
        support.dynamicEvents = files.exists("dynamic_events")
        support.fprobeEvents = readme.contains("f[:[<group>/][<event>]] <func-name>")
        support.btfArguments = btfPresent && readme.contains("<argname>[->field")
        support.kprobeEvents = files.exists("kprobe_events")
        support.returnProbesReadArguments = readme.contains("return probes support: $retval, $arg<N>")
        support.machine = machine
        support.instances = files.exists("instances")
        support.eventSystems = systems.filter { files.exists("events/\($0)") }
        if let list = functionList {
            support.twoStepFunctions = IOVAProbes.functions.filter { name in containsSymbol(list, name) }
        }
        return support
    }

    /// Whether `list` (one symbol per line, `available_filter_functions` or kallsyms'
    /// `ADDR T name` lines, possibly with ` [module]`) names `symbol`.
    static func containsSymbol(_ list: String, _ symbol: String) -> Bool {
        var searchStart = list.startIndex
        while let range = list[searchStart...].firstRange(of: symbol) {
            let before = range.lowerBound == list.startIndex ? " " : list[list.index(before: range.lowerBound)]
            let after = range.upperBound == list.endIndex ? "\n" : list[range.upperBound]
            if (before == "\n" || before == " ") && (after == "\n" || after == " " || after == "\t") { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// What the user asked for with `--probes`.
    public enum Request: String, CaseIterable, Sendable {
        case auto, fprobe, kprobe, none
    }

    /// The probe style to use and the one line that says which and why; nil style means
    /// tracepoints only.
    public func choose(_ request: Request) -> (style: ProbeStyle?, line: String) {
        let missing = IOVAProbes.functions.filter { !twoStepFunctions.contains($0) }
        if request == .none { return (nil, "probes: none (--probes none): tracepoints only") }
        if !missing.isEmpty {
            return (nil, "probes: none, tracepoints only: this kernel has no \(missing.joined(separator: ", ")) (the two-step API is 6.16+ and needs CONFIG_IOMMU_DMA)")
        }
        if !dynamicEvents && !kprobeEvents {
            return (nil, "probes: none, tracepoints only: tracefs has neither dynamic_events nor kprobe_events (CONFIG_FPROBE_EVENTS, CONFIG_KPROBE_EVENTS)")
        }
        let fprobeReady = dynamicEvents && fprobeEvents && btfArguments
        var whyNotFprobe: String {
            if !fprobeEvents { return "no fprobe events (CONFIG_FPROBE_EVENTS)" }
            return "no BTF arguments (CONFIG_PROBE_EVENTS_BTF_ARGS, CONFIG_DEBUG_INFO_BTF)"
        }
        if request != .kprobe && fprobeReady {
            return (.fprobe, "probes: \(ProbeStyle.fprobe.label) on the six dma_iova_* functions (CONFIG_FPROBE_EVENTS, CONFIG_PROBE_EVENTS_BTF_ARGS)")
        }
        if request == .fprobe {
            return (nil, "probes: none, tracepoints only: --probes fprobe asked, but \(whyNotFprobe)")
        }
        guard kprobeEvents, returnProbesReadArguments else {
            let why = kprobeEvents ? "its kretprobes cannot read entry arguments (kernel 6.9+)" : "no kprobe events (CONFIG_KPROBE_EVENTS)"
            return (nil, "probes: none, tracepoints only: \(request == .kprobe ? "" : whyNotFprobe + ", and ")\(why)")
        }
        guard let registers = ArgumentRegisters.of(machine: machine) else {
            return (nil, "probes: none, tracepoints only: \(request == .kprobe ? "" : whyNotFprobe + ", and ")no argument-register table for \(machine) (x86_64 and aarch64 have one)")
        }
        let style = ProbeStyle.kprobe(registers)
        let reason = request == .kprobe ? "--probes kprobe" : whyNotFprobe
        return (style, "probes: \(style.label) (\(reason))")
    }
}
