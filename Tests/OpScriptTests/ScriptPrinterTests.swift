import DMASim
import Testing
@testable import OpScript

@Suite struct ScriptPrinterTests {
    let parser = ScriptParser()
    let printer = ScriptPrinter()

    /// Canonical text using every verb, every key and flag, and every claim form.
    static let everyVerb = """
        machine arch=x86_64 kernel=7.3 cpus=4 hz=250
        region shm0 base=0x100000000000 size=1T kind=shared
        region ram0 base=0x1000000 size=4G kind=ram
        region bar0 base=0xe0000000 size=256M kind=mmio
        iommu mmu0 mode=strict granule=4K aperture-bits=48
        iommu vmmu mode=lazy granule=64K aperture-bits=39 needs-sync-map fq-size=32768 fq-timer=explicit forcedac reserve=0xfee00000-0xfeefffff,0x0-0xfff
        iommu pt mode=passthrough granule=16K aperture-bits=64
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        device nic1 iommu=vmmu dma-bits=32 noncoherent untrusted bus=platform group=g0
        device old0 iommu=none dma-bits=32 coherent
        swiotlb size=64M
        swiotlb size=4M base=0x2000000 force
        alloc s1 dev=nvme0 phys=0x100000001000 size=64K => ok iova=0xffff0000
        link s1 phys=0x100000001000 len=16K dir=to-device
        link s1 off=16K phys=0x100000005000 len=4K dir=bidirectional attrs=skip-cpu-sync,mmio => error EEXIST, violation overlapping-link
        sync s1 len=16K cpu=2 time=12.094264s
        sync s1 off=1536 len=512
        unlink s1 off=4K len=12K dir=to-device attrs=no-warn
        destroy s1 mapped=16K dir=to-device attrs=weak-ordering,write-combine,privileged,require-coherent
        free s1 => violation double-free
        map m1 dev=old0 phys=0x1000200 len=8K dir=from-device => fallback
        mapping-error m1 => error mapping
        sync-for-cpu m1 len=8K dir=from-device
        sync-for-device m1 off=4K len=4K dir=to-device
        unmap m1 len=8K dir=none
        cpu-write phys=0x100000001000 len=4K fill=seed:7
        cpu-write phys=0x100000002000 len=1 fill=byte:0xab
        cpu-write phys=0x100000003000 len=100 fill=hex:deadbeef
        cpu-write phys=0x100000004000 len=0 fill=zero
        cpu-read phys=0x100000001000 len=4K => ok bytes=seed:7
        dev-write nvme0 addr=s1+0x200 len=4K fill=seed:9 => fault not-present
        dev-read nvme0 addr=m1+0x10 len=4K => fault permission, violation direction-violation
        dev-read nic1 addr=0x7ffff000 len=4K => ok digest=0x1234abcd
        dev-read nic1 addr=state(m1) len=4K => rejected
        dev-read nic1 addr=mapping(s1) len=4K => error
        dev-read nic1 addr=m7 len=2M => fault, violation
        dev-read nic1 addr=buf+0x8 len=8 => error EIO iova=0x1000
        flush vmmu => fault bus-error
        flush vmmu dev=nic1 at=12.09s time=12.1s
        detach nvme0 => violation leak-at-detach
        checkpoint c1 time=13s
        verify c1 cpu=3 => ok
        advance 10ms
        advance time=13.5s
        advance 250us cpu=1 time=14.000001s

        """

    /// The spec's "Example" section, as written there (alignment, comments and all).
    static let specExample = """
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu  mmu0 mode=lazy
            device nic0 iommu=mmu0 dma-bits=64 coherent
            alloc  s1 dev=nic0 phys=0x100000000000 size=8K
            link   s1 off=0 phys=0x100000000000 len=8K dir=from-device
            sync   s1 off=0 len=8K
            dev-write nic0 addr=s1+0 len=4K fill=seed:0            # fills the IOTLB
            destroy s1 mapped=8K dir=from-device
            dev-write nic0 addr=s1+0 len=4K fill=seed:1 => violation use-after-destroy
        """

    static let specExampleCanonical = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu mmu0 mode=lazy granule=4K aperture-bits=48
        device nic0 iommu=mmu0 dma-bits=64 coherent
        alloc s1 dev=nic0 phys=0x100000000000 size=8K
        link s1 phys=0x100000000000 len=8K dir=from-device
        sync s1 len=8K
        dev-write nic0 addr=s1 len=4K fill=seed:0
        destroy s1 mapped=8K dir=from-device
        dev-write nic0 addr=s1 len=4K fill=seed:1 => violation use-after-destroy

        """

    @Test func canonicalTextPrintsBackUnchanged() throws {
        #expect(printer.print(try parser.parse(Self.everyVerb, fileName: "every.ops")) == Self.everyVerb)
    }

    @Test func theCanonicalScriptUsesEveryVerb() throws {
        let kinds = Set(try parser.parse(Self.everyVerb, fileName: "every.ops").ops.map(\.kind))
        #expect(kinds == Set(OpKind.allCases))
    }

    @Test func theSpecExamplePrintsCanonicallyAndReadsBackTheSame() throws {
        let script = try parser.parse(Self.specExample, fileName: "spec.ops")
        let printed = printer.print(script)
        #expect(printed == Self.specExampleCanonical)
        #expect(try parser.parse(printed, fileName: "printed.ops") == script)
    }

    @Test(arguments: 0..<50 as Range<UInt64>)
    func randomOpsReadBackExactly(seed: UInt64) throws {
        var random = RandomOps(seed: seed)
        let ops = random.ops(count: 40)
        #expect(try parser.parse(printer.print(ops), fileName: "random.ops").ops == ops)
    }

    @Test(arguments: [
        (Op.iommu(IOMMUSpec(name: "i")), "iommu i mode=strict granule=4K aperture-bits=48"),
        (.device(DeviceSpec(name: "d", iommu: nil)), "device d iommu=none dma-bits=64 coherent"),
        (.swiotlb(SwiotlbSpec(sizeBytes: 64 << 20)), "swiotlb size=64M"),
        (.swiotlb(.noForce), "swiotlb noforce"),
        (.link(LinkOp(state: "s1", offset: 0, phys: 0, length: 0, direction: .none)), "link s1 phys=0x0 len=0 dir=none"),
        (.deviceRead(DeviceReadOp(device: "d", address: .state("s1", offset: 0), length: 4096)), "dev-read d addr=s1 len=4K"),
        (.deviceRead(DeviceReadOp(device: "d", address: .state("m1", offset: 0), length: 4096)), "dev-read d addr=state(m1) len=4K"),
        (.deviceRead(DeviceReadOp(device: "d", address: .mapping("buf", offset: 1), length: 1)), "dev-read d addr=mapping(buf)+0x1 len=1"),
        (.deviceRead(DeviceReadOp(device: "d", address: .mapping("m2", offset: 4096), length: 1)), "dev-read d addr=m2+0x1000 len=1"),
    ] as [(Op, String)])
    func defaultsAreLeftOutAndHandlesAreExplicitOnlyWhenNeeded(op: Op, text: String) {
        #expect(printer.line(op) == text)
    }

    @Test func claimsFollowTheOpAfterAnArrow() {
        let op = Op.cpuRead(CPUReadOp(phys: 0x1000, length: 4096))
        #expect(printer.line(op, claims: [.ok, .bytes(.seed(7)), .violation(nil)]) == "cpu-read phys=0x1000 len=4K => ok bytes=seed:7, violation")
    }

    /// The printer writes fields in the order the grammar lists them (which is also the
    /// order the spec and docs list them), then `cpu=` and `time=`.
    @Test(arguments: 0..<10 as Range<UInt64>)
    func fieldsAreWrittenInGrammarOrder(seed: UInt64) {
        var random = RandomOps(seed: seed)
        for op in random.ops(count: 60) {
            let grammar = VerbGrammar.of(op.kind)
            var words = printer.line(op).split(separator: " ").dropFirst(grammar.nameRole == nil ? 1 : 2)
            if grammar.takesDuration, let first = words.first, !first.contains("=") { words = words.dropFirst() }
            let order = grammar.fields + VerbGrammar.placementFields
            let positions = words.map { word in
                order.firstIndex { $0.spelling == word || ($0.spelling.hasSuffix("=") && word.hasPrefix($0.spelling)) }
            }
            #expect(!positions.contains(nil), "\(printer.line(op))")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(printer.line(op))")
        }
    }
}
