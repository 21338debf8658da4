import DMASim
import Testing
@testable import OpScript

/// One line of script text and the op it must parse to.
struct ParseCase: Sendable, CustomTestStringConvertible {
    let text: String
    let op: Op
    init(_ text: String, _ op: Op) { self.text = text; self.op = op }
    var testDescription: String { text }
}

@Suite struct ScriptParserTests {
    let parser = ScriptParser()

    static let topologyCases: [ParseCase] = [
        ParseCase("region shm0 base=0x100000000000 size=1T kind=shared",
                  .region(RegionSpec(name: "shm0", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .shared))),
        ParseCase("region bar0 kind=mmio size=256M base=0xe0000000",
                  .region(RegionSpec(name: "bar0", base: 0xE000_0000, sizeBytes: 256 << 20, kind: .mmio))),
        ParseCase("iommu mmu0 mode=lazy", .iommu(IOMMUSpec(name: "mmu0", mode: .lazy))),
        ParseCase("iommu vmmu mode=strict needs-sync-map", .iommu(IOMMUSpec(name: "vmmu", needsSyncMap: true))),
        ParseCase("iommu pt mode=passthrough granule=16K aperture-bits=39",
                  .iommu(IOMMUSpec(name: "pt", mode: .passthrough, granuleBytes: 16 << 10, apertureBits: 39))),
        // No mode=: x86-64's default domain type, lazy (CONFIG_IOMMU_DEFAULT_DMA_LAZY).
        ParseCase("iommu big granule=64K fq-size=32768 forcedac reserve=0xfee00000-0xfeefffff,0x0-0xfff",
                  .iommu(IOMMUSpec(name: "big", mode: .lazy, granuleBytes: 64 << 10, flushQueueSlots: 32768, forceDAC: true,
                                   reservedRanges: [0xFEE0_0000...0xFEEF_FFFF, 0...0xFFF]))),
        ParseCase("device nvme0 iommu=mmu0 dma-bits=64 coherent", .device(DeviceSpec(name: "nvme0", iommu: "mmu0"))),
        ParseCase("device nic1 iommu=mmu0 dma-bits=32 noncoherent untrusted bus=platform group=g0",
                  .device(DeviceSpec(name: "nic1", iommu: "mmu0", dmaBits: 32, coherent: false, untrusted: true,
                                     bus: .platform, group: "g0"))),
        ParseCase("device old0 iommu=none dma-bits=32", .device(DeviceSpec(name: "old0", iommu: nil, dmaBits: 32))),
        ParseCase("swiotlb size=64M", .swiotlb(SwiotlbSpec(sizeBytes: 64 << 20))),
        ParseCase("swiotlb force base=0x2000000 size=4M", .swiotlb(SwiotlbSpec(sizeBytes: 4 << 20, base: 0x200_0000, force: true))),
        // swiotlb=noforce (setup_io_tlb_npages()): no pool, even where the kernel makes one.
        ParseCase("swiotlb noforce", .swiotlb(.noForce)),
    ]

    static let callCases: [ParseCase] = [
        ParseCase("alloc s1 dev=nvme0 phys=0x100000001000 size=64K",
                  .alloc(AllocOp(state: "s1", device: "nvme0", phys: 0x1000_0000_1000, sizeBytes: 64 << 10))),
        ParseCase("link s1 off=0 phys=0x100000001000 len=16K dir=to-device",
                  .link(LinkOp(state: "s1", offset: 0, phys: 0x1000_0000_1000, length: 16 << 10, direction: .toDevice))),
        ParseCase("link s1 phys=0x2000 len=4K dir=bidirectional off=8K attrs=skip-cpu-sync,mmio",
                  .link(LinkOp(state: "s1", offset: 8 << 10, phys: 0x2000, length: 4 << 10, direction: .bidirectional,
                               attributes: [.skipCPUSync, .mmio]))),
        ParseCase("sync s1 off=0 len=16K", .sync(SyncOp(state: "s1", offset: 0, length: 16 << 10))),
        ParseCase("sync s1 len=100", .sync(SyncOp(state: "s1", offset: 0, length: 100))),
        ParseCase("unlink s1 off=4K len=16K dir=to-device attrs=no-warn",
                  .unlink(UnlinkOp(state: "s1", offset: 4 << 10, length: 16 << 10, direction: .toDevice, attributes: .noWarn))),
        ParseCase("destroy s1 mapped=16K dir=none attrs=privileged",
                  .destroy(DestroyOp(state: "s1", mappedLength: 16 << 10, direction: .none, attributes: .privileged))),
        ParseCase("free s1", .free(FreeOp(state: "s1"))),
        ParseCase("map m1 dev=old0 phys=0x1000200 len=8K dir=from-device attrs=weak-ordering,write-combine,require-coherent",
                  .map(MapOp(mapping: "m1", device: "old0", phys: 0x100_0200, length: 8 << 10, direction: .fromDevice,
                             attributes: [.weakOrdering, .writeCombine, .requireCoherent]))),
        ParseCase("unmap m1 len=8K dir=from-device", .unmap(UnmapOp(mapping: "m1", length: 8 << 10, direction: .fromDevice))),
        // Every DMA_ATTR_* bit the kernel's dma-mapping.h has up to 7.3, and the old name
        // of bit 11 (DMA_ATTR_CPU_CACHE_CLEAN, trace CACHE_CLEAN).
        ParseCase("map m1 dev=d phys=0 len=4K dir=to-device attrs=no-kernel-mapping,force-contiguous,alloc-single-pages,cc-shared",
                  .map(MapOp(mapping: "m1", device: "d", phys: 0, length: 4 << 10, direction: .toDevice,
                             attributes: [.noKernelMapping, .forceContiguous, .allocSinglePages, .ccShared]))),
        ParseCase("unmap m1 len=4K dir=to-device attrs=cpu-cache-clean,cache-clean",
                  .unmap(UnmapOp(mapping: "m1", length: 4 << 10, direction: .toDevice, attributes: .debuggingIgnoreCachelines))),
        // attrs= with nothing after it, as the trace prints attrs 0: no flags.
        ParseCase("unmap m1 len=4K dir=to-device attrs=", .unmap(UnmapOp(mapping: "m1", length: 4 << 10, direction: .toDevice))),
        ParseCase("sync-for-cpu m1 off=0 len=8K dir=from-device",
                  .syncForCPU(StreamingSyncOp(mapping: "m1", offset: 0, length: 8 << 10, direction: .fromDevice))),
        ParseCase("sync-for-device m1 off=512 len=1K dir=to-device",
                  .syncForDevice(StreamingSyncOp(mapping: "m1", offset: 512, length: 1 << 10, direction: .toDevice))),
        ParseCase("mapping-error m1", .mappingError(MappingErrorOp(mapping: "m1"))),
    ]

    static let accessAndPolicyCases: [ParseCase] = [
        ParseCase("cpu-write phys=0x100000001000 len=4K fill=seed:7",
                  .cpuWrite(CPUWriteOp(phys: 0x1000_0000_1000, length: 4 << 10, fill: .seed(7)))),
        ParseCase("cpu-write phys=0 len=1 fill=byte:0xAB", .cpuWrite(CPUWriteOp(phys: 0, length: 1, fill: .byte(0xAB)))),
        ParseCase("cpu-write phys=0 len=8 fill=hex:DEADbeef",
                  .cpuWrite(CPUWriteOp(phys: 0, length: 8, fill: .pattern([0xDE, 0xAD, 0xBE, 0xEF])))),
        ParseCase("cpu-write phys=0 len=4K fill=zero", .cpuWrite(CPUWriteOp(phys: 0, length: 4 << 10, fill: .zero))),
        ParseCase("cpu-read phys=0x100000001000 len=4K", .cpuRead(CPUReadOp(phys: 0x1000_0000_1000, length: 4 << 10))),
        ParseCase("dev-write nvme0 addr=s1+0 len=4K fill=seed:9",
                  .deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s1", offset: 0), length: 4 << 10, fill: .seed(9)))),
        ParseCase("dev-read nvme0 addr=m3+16 len=4K",
                  .deviceRead(DeviceReadOp(device: "nvme0", address: .mapping("m3", offset: 16), length: 4 << 10))),
        ParseCase("flush mmu0", .flush(FlushOp(iommu: "mmu0"))),
        // One domain's fq_timer, which ran at 7.087696 s (an import learnt it later).
        ParseCase("flush mmu0 dev=nvme0 at=7.087696s", .flush(FlushOp(iommu: "mmu0", device: "nvme0", ranAt: 7_087_696_000))),
        ParseCase("iommu mmu0 mode=lazy fq-timer=explicit", .iommu(IOMMUSpec(name: "mmu0", mode: .lazy, explicitFlushTimer: true))),
        ParseCase("iommu mmu0 mode=lazy fq-timer=kernel", .iommu(IOMMUSpec(name: "mmu0", mode: .lazy))),
        ParseCase("detach nvme0", .detach(DetachOp(device: "nvme0"))),
        ParseCase("checkpoint c1", .checkpoint(CheckpointOp(name: "c1"))),
        ParseCase("verify c1", .verify(VerifyOp(name: "c1"))),
    ]

    /// `machine`, `advance`, and the `cpu=` / `time=` any line may end with.
    static let timeCases: [ParseCase] = [
        ParseCase("machine", .machine(MachineSpec())),
        ParseCase("machine cpus=8 hz=1000 kernel=6.16 arch=arm64",
                  .machine(MachineSpec(arch: .arm64, kernel: .v6_16, cpuCount: 8, hz: 1000))),
        // Every release from 6.16 to 7.3, and a stable update (uname -r's 7.3.4) as its release.
        ParseCase("machine kernel=6.18", .machine(MachineSpec(kernel: .v6_18))),
        ParseCase("machine kernel=7.0", .machine(MachineSpec(kernel: .v7_0))),
        ParseCase("machine kernel=7.3.4", .machine(MachineSpec(kernel: .v7_3))),
        ParseCase("machine kernel=6.19.12", .machine(MachineSpec(kernel: .v6_19))),
        ParseCase("advance 10ms", .advance(AdvanceOp(nanoseconds: 10_000_000))),
        ParseCase("advance time=12.094264s", Op(.advance(AdvanceOp(nanoseconds: 0)), time: 12_094_264_000)),
        ParseCase("advance 250us cpu=1 time=1s", Op(.advance(AdvanceOp(nanoseconds: 250_000)), cpu: 1, time: 1_000_000_000)),
        ParseCase("sync s1 len=4K cpu=3 time=5000ns", Op(.sync(SyncOp(state: "s1", offset: 0, length: 4096)), cpu: 3, time: 5000)),
        ParseCase("free s1 time=1.50ms cpu=0", Op(.free(FreeOp(state: "s1")), time: 1_500_000)),
        ParseCase("region r time=0s base=0 size=4K kind=ram cpu=0x2",
                  Op(.region(RegionSpec(name: "r", base: 0, sizeBytes: 4096, kind: .ram)), cpu: 2, time: 0)),
    ]

    @Test(arguments: topologyCases + callCases + accessAndPolicyCases + timeCases)
    func everyVerbParsesToItsOp(_ testCase: ParseCase) throws {
        let script = try parser.parse(testCase.text, fileName: "t.ops")
        #expect(script.lines == [ScriptLine(lineNumber: 1, op: testCase.op)])
    }

    /// An `iommu` line without `mode=` gets the default domain type of the `machine`
    /// line's architecture (drivers/iommu/Kconfig): lazy on x86-64, strict on arm64.
    @Test func theDefaultIOMMUModeFollowsTheArchitecture() throws {
        let arm = try parser.parse("machine arch=arm64\niommu smmu0\n", fileName: "t.ops")
        #expect(arm.lines.last?.op.call == .iommu(IOMMUSpec(name: "smmu0", mode: .strict)))
        let x86 = try parser.parse("machine arch=x86_64\niommu dmar0\n", fileName: "t.ops")
        #expect(x86.lines.last?.op.call == .iommu(IOMMUSpec(name: "dmar0", mode: .lazy)))
    }

    @Test func everyVerbHasACase() {
        let cases = Self.topologyCases + Self.callCases + Self.accessAndPolicyCases + Self.timeCases
        #expect(Set(cases.map(\.op.kind)) == Set(OpKind.allCases))
    }

    /// Preamble lines, then a `dev-read` whose address must resolve as given.
    @Test(arguments: [
        ("", "0x1000", DeviceAddress.absolute(0x1000)),
        ("", "4K", .absolute(4096)),
        ("", "s1", .state("s1", offset: 0)),
        ("", "s1+0x200", .state("s1", offset: 0x200)),
        ("", "buf+8K", .state("buf", offset: 8192)),
        ("", "m3", .mapping("m3", offset: 0)),
        ("", "m3+16", .mapping("m3", offset: 16)),
        ("alloc mx dev=d phys=0 size=4K", "mx", .state("mx", offset: 0)),
        ("map buf dev=d phys=0 len=4K dir=to-device", "buf+1", .mapping("buf", offset: 1)),
        ("alloc q dev=d phys=0 size=4K\nmap q dev=d phys=0 len=4K dir=to-device", "q", .mapping("q", offset: 0)),
        ("", "state(m1)+4", .state("m1", offset: 4)),
        ("", "mapping(q)", .mapping("q", offset: 0)),
        ("map s9 dev=d phys=0 len=4K dir=to-device", "state(s9)", .state("s9", offset: 0)),
    ] as [(String, String, DeviceAddress)])
    func symbolicAddressesResolveByDeclarationThenByName(preamble: String, address: String, expected: DeviceAddress) throws {
        let script = try parser.parse(preamble + "\ndev-read d addr=\(address) len=4K", fileName: "t.ops")
        #expect(script.ops.last == .deviceRead(DeviceReadOp(device: "d", address: expected, length: 4096)))
    }

    @Test func commentsBlankLinesAndLineEndingsAreSkippedButCounted() throws {
        let text = "# header\r\n\r\n  free s1   # trailing comment\r\n\t\nverify c1 => ok\n"
        let script = try parser.parse(text, fileName: "t.ops")
        #expect(script.lines == [
            ScriptLine(lineNumber: 3, op: .free(FreeOp(state: "s1"))),
            ScriptLine(lineNumber: 5, op: .verify(VerifyOp(name: "c1")), claims: [.ok]),
        ])
    }

    @Test func claimsFollowTheArrowWithOrWithoutSpaces() throws {
        let script = try parser.parse("cpu-read phys=0 len=4K=>ok digest=0x1f,violation\nfree s1 =>rejected", fileName: "t.ops")
        #expect(script.lines.map(\.claims) == [[.ok, .digest(0x1F), .violation(nil)], [.rejected]])
    }

    @Test func namesMayUseDotsColonsDashesAndUnderscores() throws {
        let script = try parser.parse("alloc _q.0:a-b dev=pci:0000:01:00.0 phys=0 size=4K", fileName: "t.ops")
        #expect(script.ops == [.alloc(AllocOp(state: "_q.0:a-b", device: "pci:0000:01:00.0", phys: 0, sizeBytes: 4096))])
    }

    @Test func emptyTextIsAnEmptyScript() throws {
        #expect(try parser.parse("\n# nothing\n\n", fileName: "t.ops") == Script(lines: []))
    }
}
