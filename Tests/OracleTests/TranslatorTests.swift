import DMASim
import OpScript
import Testing
@testable import Oracle

/// Scripts into dmaoracle commands (oracle/module/ops.c): what is sent, where memory goes,
/// and what is skipped with which reason.
@Suite struct TranslatorTests {
    static func plan(_ text: String) throws -> OraclePlan {
        let script = try ScriptParser().parse(text, fileName: "test.ops")
        return OracleTranslator(modelRejected: try ModelSide.rejectedLines(of: script)).plan(for: script)
    }

    static let lazyShared = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=lazy granule=4K aperture-bits=48
        device nvme0 iommu=mmu0 dma-bits=64 coherent

        """

    @Test func twoStepOnSharedMemoryBecomesCommandsOnHiddenExtents() throws {
        let plan = try Self.plan(Self.lazyShared + """
            cpu-write phys=0x100000010200 len=8K fill=seed:1
            alloc s1 dev=nvme0 phys=0x100000010200 size=8K
            link s1 phys=0x100000010200 len=8K dir=to-device
            sync s1 len=8K
            dev-read nvme0 addr=s1+0x100 len=4K
            destroy s1 mapped=8K dir=to-device
            dev-write nvme0 addr=s1 len=512 fill=byte:0xab
            flush mmu0
            """)
        #expect(plan.scriptSkip == nil)
        #expect(plan.guest.iommu == .intel && plan.guest.addressWidthBits == 48 && plan.guest.memory == "1G")
        #expect(plan.devices == [DevicePlan(index: 0, name: "nvme0", pciAddress: "10.0", dmaBits: 64, untrusted: false, domainType: "DMA-FQ", iommu: "mmu0")])
        // 0x100000010200 + 8K touches three pages: one extent, above mem=, the page offset kept
        #expect(plan.extents == [Extent(index: 0, region: "shm0", scriptBase: 0x1000_0001_0000, size: 0x3000, backing: .hidden(guestPhys: 0x3000_0000))])
        #expect(plan.commands == [
            "dev 0 0000:00:10.0 64 0 0x0",   // min_align_mask: the device declares none
            "mem 0 hidden 0x30000000 0x3000",
            "swiotlb",
            "4 cpuw 0:0x200 0x2000 0x0 +mem",
            "5 alloc 0 0 0:0x200 0x2000",
            "6 link 0 0x0 0:0x200 0x2000 1 0x0",
            "7 sync 0 0x0 0x2000",
            "8 devr 0 s:0:0x100 0x1000",
            "9 destroy 0 0x2000 1 0x0 +mem",
            "10 devw 0 s:0:0x0 0x200 0x2000 +mem",
            "11 wait 50",
        ])
        #expect(plan.guestEnvironment.contains("GROUP_TYPES=\"0000:00:10.0=DMA-FQ\""))
    }

    @Test func writesCarryTheModelsOwnBytes() throws {
        let plan = try Self.plan(Self.lazyShared + """
            cpu-write phys=0x100000000000 len=100 fill=seed:7
            dev-write nvme0 addr=0x1000 len=16 fill=hex:deadbeef
            """)
        var expected = [UInt8](repeating: 0, count: 116)
        expected.withUnsafeMutableBytes { Fill.seed(7).render(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<100]), from: 0) }
        for index in 0..<16 { expected[100 + index] = [0xde, 0xad, 0xbe, 0xef][index % 4] }
        #expect(plan.data == expected)
        // behind an IOMMU an absolute device address is an IOVA, sent as it is
        #expect(plan.commands.last == "5 devw 0 0x1000 0x10 0x64 +mem")
    }

    @Test func anAllocWithoutBackedMemoryKeepsOnlyThePageOffset() throws {
        // dma_iova_try_alloc(): "@phys is only used to calculate the IOVA alignment"
        let plan = try Self.plan(Self.lazyShared + "alloc s1 dev=nvme0 phys=0x100000000234 size=2G\n")
        #expect(plan.extents.isEmpty)
        #expect(plan.commands.last == "4 alloc 0 0 0x234 0x80000000")
    }

    @Test func whatTheGuestCannotMirrorIsSkippedWithItsReason() throws {
        let plan = try Self.plan("""
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu  mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            device plat iommu=mmu0 dma-bits=64 coherent bus=platform
            alloc s1 dev=plat phys=0x100000000000 size=4K
            link s1 phys=0x100000000000 len=4K dir=to-device
            alloc s2 dev=nvme0 phys=0x100000000000 size=4K
            free s9
            detach nvme0
            """)
        let reasons = plan.lines.filter { !$0.line.op.kind.isTopology }.map(\.skipReason)
        #expect(reasons[0] == "device plat is not mirrored: bus=platform: edu is a PCI device")
        #expect(reasons[1] == "state s1 was not sent (line 5)")
        #expect(reasons[2] == nil)
        #expect(reasons[3]?.hasPrefix("the model rejects it") == true)
        #expect(reasons[4]?.hasPrefix("detach:") == true)
        #expect(plan.notes == ["device plat is not mirrored: bus=platform: edu is a PCI device"])
    }

    @Test(arguments: [
        ("device d iommu=mmu0 dma-bits=64 noncoherent", "noncoherent"),
        ("device d iommu=g64 dma-bits=64 coherent", "granule 64K"),
        ("device d iommu=fq8 dma-bits=64 coherent", "fq-size=8"),
        ("device d iommu=res dma-bits=64 coherent", "reserve="),
        ("device d iommu=lazy dma-bits=64 coherent untrusted", "untrusted with mode=lazy"),
    ])
    func scriptsWithNoMirrorableDeviceAreSkippedWhole(device: String, reason: String) throws {
        let plan = try Self.plan("""
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu mmu0 mode=strict
            iommu g64 mode=strict granule=64K
            iommu fq8 mode=lazy fq-size=8
            iommu res mode=strict reserve=0x1000-0x1fff
            iommu lazy mode=lazy
            \(device)
            alloc s1 dev=d phys=0x100000000000 size=4K
            """)
        #expect(plan.scriptSkip?.contains(reason) == true)
        #expect(plan.commands.isEmpty || plan.commands == ["swiotlb"])
    }

    @Test func aDeviceWithoutAnIOMMUBesideOthersSitsOnTheBypassBus() throws {
        let plan = try Self.plan("""
            region ram0 base=0x1000000 size=1G kind=ram
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu  mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            device old0 iommu=none dma-bits=32 coherent
            map m1 dev=old0 phys=0x100000000000 len=4K dir=from-device
            map m2 dev=old0 phys=0x1000000 len=4K dir=from-device
            dev-write old0 addr=0x1000000 len=4K fill=zero
            """)
        #expect(plan.devices.map(\.bdf) == ["0000:00:10.0", "0000:81:00.0"])
        #expect(plan.guestEnvironment.contains("EDU=\"10.0 bypass:0.0\""))
        // beyond old0's 32-bit mask in the script, so beyond it in the guest: above 4 GiB
        #expect(plan.extents.map(\.backing) == [.ram, .hidden(guestPhys: 0x1_0000_0000)])
        #expect(plan.guest.memory == "5G")
        #expect(plan.commands.suffix(3) == [
            "6 map 0 1 1:0x0 0x1000 2 0x0",
            "7 map 1 1 0:0x0 0x1000 2 0x0",
            "8 devw 1 e:0:0x0 0x1000 0x0 +mem",
        ])
    }

    @Test func ramBeyondADirectMaskCannotBeMirrored() throws {
        let plan = try Self.plan("""
            region ram0 base=0x100000000 size=1G kind=ram
            device old0 iommu=none dma-bits=32 coherent
            map m1 dev=old0 phys=0x100000000 len=4K dir=to-device
            unmap m1 len=4K dir=to-device
            """)
        #expect(plan.guest.iommu == .none)
        #expect(plan.lines[2].skipReason?.hasPrefix("dma-direct against a 32-bit mask") == true)
        #expect(plan.lines[3].skipReason == "mapping m1 was not sent (line 3)")
    }

    @Test func aSwiotlbPoolIsForcedAndDirectDevicesNeedTheScriptsForce() throws {
        let behindIOMMU = try Self.plan("""
            region ram0 base=0x1000000 size=1G kind=ram
            swiotlb size=4M
            iommu mmu0 mode=strict
            device d iommu=mmu0 dma-bits=64 coherent untrusted
            map m1 dev=d phys=0x1000200 len=4K dir=to-device
            """)
        #expect(behindIOMMU.guest.kernelArguments == ["swiotlb=2048,force"])
        #expect(behindIOMMU.devices.map(\.untrusted) == [true])
        let direct = try Self.plan("""
            region ram0 base=0x1000000 size=1G kind=ram
            swiotlb size=4M
            device d iommu=none dma-bits=64 coherent
            map m1 dev=d phys=0x1000200 len=4K dir=to-device
            """)
        #expect(direct.scriptSkip?.contains("a swiotlb pool without force for dma-direct") == true)
        // setup_io_tlb_npages(): "noforce" sets swiotlb_force_disable, no pool at all.
        let none = try Self.plan("""
            region ram0 base=0x1000000 size=1G kind=ram
            swiotlb noforce
            device d iommu=none dma-bits=64 coherent
            map m1 dev=d phys=0x1000200 len=4K dir=to-device
            """)
        #expect(none.guest.kernelArguments == ["swiotlb=noforce"])
        #expect(none.scriptSkip == nil)
    }

    @Test func needsSyncMapIsVirtioIOMMU() throws {
        let plan = try Self.plan("""
            region ram0 base=0x1000000 size=1G kind=ram
            iommu vmmu mode=strict needs-sync-map
            device v iommu=vmmu dma-bits=64 coherent
            map m1 dev=v phys=0x1000000 len=4K dir=to-device
            """)
        #expect(plan.guest.iommu == .virtio && plan.guest.modules == ["virtio_iommu"])
    }

    @Test func devicesOfOneGroupAreFunctionsOfOneSlot() throws {
        let plan = try Self.plan("""
            iommu mmu0 mode=strict
            device a iommu=mmu0 dma-bits=64 coherent group=g
            device b iommu=mmu0 dma-bits=64 coherent
            device c iommu=mmu0 dma-bits=64 coherent group=g
            """)
        #expect(plan.devices.map(\.pciAddress) == ["10.0", "11.0", "10.1"])
    }
}

/// The script's machine and clock against the guest's: x86-64, 7.3.4, HZ=250, one vCPU.
@Suite struct TranslatorTimeTests {
    @Test func anotherKernelOrArchitectureIsNotThisGuest() throws {
        for machine in ["machine kernel=6.16", "machine arch=arm64", "machine hz=1000"] {
            let plan = try TranslatorTests.plan(machine + "\n" + TranslatorTests.lazyShared)
            #expect(plan.scriptSkip != nil)
        }
        #expect(try TranslatorTests.plan("machine kernel=7.3 cpus=2\n" + TranslatorTests.lazyShared).scriptSkip == nil)
    }

    @Test func opsOnAnotherCPUAndShortAdvancesAreSkipped() throws {
        let plan = try TranslatorTests.plan("machine cpus=2\n" + TranslatorTests.lazyShared + """
            alloc s1 dev=nvme0 phys=0x100000000000 size=4K cpu=1
            advance 5ms
            advance 30ms
            alloc s2 dev=nvme0 phys=0x100000000000 size=4K time=1s
            alloc s3 dev=nvme0 phys=0x100000000000 size=4K time=1.002s
            alloc s4 dev=nvme0 phys=0x100000000000 size=4K time=1.5s
            """)
        let actions = plan.lines.filter { !$0.line.op.kind.isTopology }
        #expect(actions[0].skipReason?.hasPrefix("cpu=1") == true)
        #expect(actions[1].skipReason?.hasPrefix("advance of less than 20 ms") == true)
        #expect(actions[2].action == .command("7 wait 30", memory: false))
        #expect(actions[3].isCommand && actions[4].isCommand)
        #expect(actions[5].skipReason?.hasPrefix("time= 498 ms after the op before") == true)
    }
}
