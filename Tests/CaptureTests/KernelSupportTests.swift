import Foundation
import Testing
@testable import Capture

@Suite("KernelSupport: what tracefs offers, and the probe style chosen with its one line")
struct KernelSupportTests {
    @Test("Debian 7.3.4's README (read in the lab guest): fprobe events with BTF arguments")
    func debian73() throws {
        let fixture = try CaptureFixture(userState: false)
        let support = fixture.support
        #expect(support.fprobeEvents && support.btfArguments && support.kprobeEvents && support.returnProbesReadArguments)
        #expect(support.twoStepFunctions == IOVAProbes.functions)
        let (style, line) = support.choose(.auto)
        #expect(style == .fprobe)
        #expect(line == "probes: fprobe events with BTF argument names on the six dma_iova_* functions (CONFIG_FPROBE_EVENTS, CONFIG_PROBE_EVENTS_BTF_ARGS)")
        #expect(support.choose(.kprobe).style == .kprobe(.x86_64))
        #expect(support.choose(.none).style == nil)
    }

    @Test("no fprobe lines in README: kprobes on x86_64 and aarch64 registers, none on other machines")
    func kprobeFallback() throws {
        let fixture = try CaptureFixture(fprobeBTF: false, userState: false)
        var support = fixture.support
        #expect(!support.fprobeEvents)
        #expect(support.choose(.auto) == (.kprobe(.x86_64), "probes: kprobe events with x86_64 argument registers (no fprobe events (CONFIG_FPROBE_EVENTS))"))
        support.machine = "aarch64"
        #expect(support.choose(.auto).style == .kprobe(.arm64))
        support.machine = "riscv64"
        #expect(support.choose(.auto).style == nil)
        #expect(support.choose(.auto).line.contains("no argument-register table for riscv64"))
        #expect(support.choose(.fprobe).line == "probes: none, tracepoints only: --probes fprobe asked, but no fprobe events (CONFIG_FPROBE_EVENTS)")
    }

    @Test("kretprobes that cannot read entry arguments (before 6.9) are not used")
    func oldKretprobes() throws {
        let fixture = try CaptureFixture(fprobeBTF: false, userState: false)
        var support = fixture.support
        support.returnProbesReadArguments = false
        #expect(support.choose(.auto).style == nil)
        #expect(support.choose(.auto).line.contains("its kretprobes cannot read entry arguments"))
    }

    @Test("symbols are found in available_filter_functions and in kallsyms lines, whole words only")
    func symbols() {
        #expect(KernelSupport.containsSymbol("a\ndma_iova_link\nb", "dma_iova_link"))
        #expect(KernelSupport.containsSymbol("ffffffffa698a5c0 T dma_iova_link\n", "dma_iova_link"))
        #expect(KernelSupport.containsSymbol("dma_iova_link [nvme]\n", "dma_iova_link"))
        #expect(!KernelSupport.containsSymbol("__dma_iova_link\ndma_iova_link_swiotlb\n", "dma_iova_link"))
        #expect(!KernelSupport.containsSymbol("ffffffffa5e7c5e6 t dma_iova_free.cold\n", "dma_iova_free"))
    }

    @Test("lockdown levels: integrity still traces, confidentiality does not", arguments: [
        ("[none] integrity confidentiality\n", Lockdown.none, true),
        ("none [integrity] confidentiality\n", .integrity, true),
        ("none integrity [confidentiality]\n", .confidentiality, false),
    ])
    func lockdown(text: String, level: Lockdown, allows: Bool) {
        #expect(Lockdown.parse(text) == level)
        #expect(Lockdown.parse(text).allowsTracing == allows)
    }

    @Test("tracefs is found in /proc/mounts: its own mount, debugfs's, or a place to mount it")
    func location() {
        let own = "sysfs /sys sysfs rw 0 0\ntracefs /sys/kernel/tracing tracefs rw,nosuid 0 0\ndebugfs /sys/kernel/debug debugfs rw 0 0\n"
        #expect(TracefsLocation.find(mounts: own, directoryExists: { _ in true }) == TracefsLocation(path: "/sys/kernel/tracing", how: .mounted))
        let debug = "debugfs /sys/kernel/debug debugfs rw 0 0\n"
        #expect(TracefsLocation.find(mounts: debug, directoryExists: { $0 == "/sys/kernel/debug/tracing/events" }) == TracefsLocation(path: "/sys/kernel/debug/tracing", how: .debugfs))
        // The lab's initramfs: nothing mounted, the mount point there.
        let none = "rootfs / rootfs rw 0 0\nproc /proc proc rw 0 0\nsysfs /sys sysfs rw 0 0\n"
        #expect(TracefsLocation.find(mounts: none, directoryExists: { $0 == "/sys/kernel/tracing" }) == TracefsLocation(path: "/sys/kernel/tracing", how: .needsMount))
        #expect(TracefsLocation.find(mounts: none, directoryExists: { _ in false }) == nil)
        #expect(TracefsLocation.unescapeMountPath("/mnt/my\\040trace") == "/mnt/my trace")
    }

    @Test("error_log: the kernel's last reason, as 7.3.4 wrote it")
    func errorLog() throws {
        let text = try String(contentsOfFile: fixture("capture/tracefs-7.3.4/error_log"), encoding: .utf8)
        #expect(ErrorLog.lastEntry(text) == "[   14.461558] trace_fprobe: error: This variable is not found at this probe point | Command: f:dmajournal/bad2 dma_iova_link nosucharg")
        #expect(ErrorLog.lastEntry("") == nil)
    }

    @Test("per-CPU stats, as 7.3.4 prints them")
    func stats() throws {
        let text = try String(contentsOfFile: fixture("capture/tracefs-7.3.4/stats"), encoding: .utf8)
        #expect(BufferStats.parse(text) == BufferStats())
        var lost = BufferStats.parse("entries: 5\noverrun: 3\ncommit overrun: 1\ndropped events: 2\n")
        #expect(lost.lost == 6)
        lost.entries = 0
        #expect(TracePump.lostEvents(ArraySlice("CPU:2 [LOST 1234 EVENTS]".utf8)) == 1234)
        #expect(TracePump.lostEvents(ArraySlice("kworker/0:0H-10 [000] map: CPU:2".utf8)) == 0)
    }

    @Test("--events lists")
    func events() throws {
        #expect(try EventSelector.parseList("dma,iommu") == EventSelector.defaults)
        #expect(try EventSelector.parseList("dma:* block:block_rq_issue iommu/map") == [
            EventSelector(system: "dma"), EventSelector(system: "block", event: "block_rq_issue"), EventSelector(system: "iommu", event: "map"),
        ])
        #expect(EventSelector(system: "block", event: "block_rq_issue").enablePath == "events/block/block_rq_issue/enable")
        #expect(throws: CaptureError.self) { try EventSelector.parseList("dma:foo.bar") }
        #expect(throws: CaptureError.self) { try EventSelector.parseList(" , ") }
    }

    @Test("system facts: the online CPU list, the kernel log's record format")
    func facts() {
        #expect(SystemFacts.cpuCount(fromRanges: "0-3,6") == 5)
        #expect(SystemFacts.cpuCount(fromRanges: "0") == 1)
        #expect(SystemFacts.kmsgLine("6,339,5140900,-;DMAR: IOMMU enabled\n SUBSYSTEM=x") == "[    5.140900] DMAR: IOMMU enabled")
        #expect(SystemFacts.relevantLogLines("[    0.1] DMAR: IOMMU enabled\n[    0.2] NET: Registered\n") == ["[    0.1] DMAR: IOMMU enabled"])
    }
}
