import Testing
import DMASim
@testable import OpScript

/// Script text and the one line its error must print as.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let text: String
    let message: String
    init(_ text: String, _ message: String) { self.text = text; self.message = message }
    var testDescription: String { text }
}

@Suite struct ScriptErrorTests {
    static let verbs = "region, iommu, device, swiotlb, alloc, link, sync, unlink, destroy, free, map, unmap, "
        + "sync-for-cpu, sync-for-device, mapping-error, cpu-write, cpu-read, dev-write, dev-read, flush, detach, "
        + "checkpoint, verify, machine, advance"
    static let nameRule = "([A-Za-z_][A-Za-z0-9_.:-]*)"

    static let lineShapeCases: [ErrorCase] = [
        ErrorCase("frob s1", "t.ops:1:1: expected a verb (\(verbs)), found 'frob'"),
        ErrorCase("  => ok", "t.ops:1:3: expected a verb (\(verbs)), found '=>'"),
        ErrorCase("alloc", "t.ops:1:6: expected a state name \(nameRule), found end of line"),
        ErrorCase("alloc dev=d phys=0 size=4K", "t.ops:1:7: expected a state name \(nameRule), found 'dev=d'"),
        ErrorCase("map 9m dev=d phys=0 len=4K dir=to-device", "t.ops:1:5: expected a mapping name \(nameRule), found '9m'"),
        ErrorCase("flush mmu+0", "t.ops:1:7: expected an IOMMU name \(nameRule), found 'mmu+0'"),
        ErrorCase("free s1 now", "t.ops:1:9: expected end of line after 'free', found 'now'"),
        ErrorCase("\n# two lines down\n  sync s1 len=4K colour=red",
                  "t.ops:3:18: expected a key of 'sync' (off=, len=), found 'colour=red'"),
        ErrorCase("device d iommu=none fast",
                  "t.ops:1:21: expected a key of 'device' (iommu=, dma-bits=, coherent, noncoherent, untrusted, untrusted-at-probe, bus=, group=, min-align-mask=), found 'fast'"),
        ErrorCase("sync s1 len", "t.ops:1:9: expected a value for 'len' (len=…), found 'len'"),
        ErrorCase("device d iommu=none untrusted=yes", "t.ops:1:21: expected 'untrusted' without a value, found 'untrusted=yes'"),
        ErrorCase("sync s1 len=4K len=8K", "t.ops:1:16: expected each key once, found a second 'len' (first at column 9)"),
        ErrorCase("device d iommu=none coherent dma-bits=32 noncoherent",
                  "t.ops:1:42: expected one of coherent or noncoherent, found 'noncoherent'"),
        ErrorCase("link s1 phys=0 len=4K", "t.ops:1:1: missing required key 'dir' for 'link'"),
        ErrorCase("  dev-read d len=4K", "t.ops:1:3: missing required key 'addr' for 'dev-read'"),
        ErrorCase("device d dma-bits=32", "t.ops:1:1: missing required key 'iommu' for 'device'"),
    ]

    static let valueCases: [ErrorCase] = [
        ErrorCase("cpu-read phys=0xZZ len=4K",
                  "t.ops:1:15: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found '0xZZ'"),
        ErrorCase("cpu-read phys=0 len=", "t.ops:1:21: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found ''"),
        ErrorCase("cpu-read phys=0x10000000000000000 len=4K",
                  "t.ops:1:15: expected a number that fits in 64 bits, found '0x10000000000000000'"),
        ErrorCase("swiotlb size=16777216T", "t.ops:1:14: expected a number that fits in 64 bits, found '16777216T'"),
        ErrorCase("swiotlb size=0", "t.ops:1:14: expected a pool size above 0 (swiotlb noforce for none), found '0'"),
        ErrorCase("swiotlb noforce size=4M", "t.ops:1:9: expected noforce alone (no pool: no size, base or force), found 'noforce'"),
        ErrorCase("link s1 phys=0 len=4K dir=to-device attrs=skip-cpu-sync,fast",
                  "t.ops:1:57: expected a DMA attribute (weak-ordering, write-combine, no-kernel-mapping, skip-cpu-sync, force-contiguous, alloc-single-pages, no-warn, privileged, mmio, debugging-ignore-cachelines, require-coherent, cc-shared), found 'fast'"),
        ErrorCase("region r base=0 size=4K kind=rom", "t.ops:1:30: expected a region kind (ram, shared, mmio), found 'rom'"),
        ErrorCase("iommu i mode=eager", "t.ops:1:14: expected an IOMMU mode (strict, lazy, passthrough), found 'eager'"),
        ErrorCase("iommu i granule=3K", "t.ops:1:17: expected a granule that is a power of two of at least 4K, found '3K'"),
        ErrorCase("iommu i granule=2K", "t.ops:1:17: expected a granule that is a power of two of at least 4K, found '2K'"),
        ErrorCase("iommu i aperture-bits=0", "t.ops:1:23: expected a bit count from 1 to 64, found '0'"),
        ErrorCase("device d iommu=none dma-bits=65", "t.ops:1:30: expected a bit count from 1 to 64, found '65'"),
        ErrorCase("iommu i fq-size=0", "t.ops:1:17: expected a flush-queue size from 1 to 64K, found '0'"),
        ErrorCase("iommu i fq-timer=soon", "t.ops:1:18: expected a flush timer (kernel, explicit), found 'soon'"),
        ErrorCase("iommu i reserve=0x1000-0x2000,0x2000-0x1000",
                  "t.ops:1:31: expected a range LO-HI with LO <= HI, found '0x2000-0x1000'"),
        ErrorCase("iommu i reserve=0x1000", "t.ops:1:17: expected a range LO-HI with LO <= HI, found '0x1000'"),
        ErrorCase("device d iommu=none bus=usb", "t.ops:1:25: expected a bus (pci, platform), found 'usb'"),
        ErrorCase("device d iommu=1st", "t.ops:1:16: expected an IOMMU name \(nameRule), found '1st'"),
        ErrorCase("device d iommu=none group=", "t.ops:1:27: expected a group name \(nameRule), found ''"),
        ErrorCase("alloc s1 dev=? phys=0 size=4K", "t.ops:1:14: expected a device name \(nameRule), found '?'"),
        ErrorCase("cpu-write phys=0 len=4K fill=random",
                  "t.ops:1:30: expected a fill (seed:N, byte:0xAB, hex:DEADBEEF, zero), found 'random'"),
        ErrorCase("cpu-write phys=0 len=4K fill=byte:0x100", "t.ops:1:35: expected a byte value from 0 to 0xff, found '0x100'"),
        ErrorCase("cpu-write phys=0 len=4K fill=hex:ABC", "t.ops:1:34: expected an even, non-zero number of hex digits, found 'ABC'"),
        ErrorCase("cpu-write phys=0 len=4K fill=seed:x",
                  "t.ops:1:35: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found 'x'"),
        ErrorCase("dev-read d addr=s1+x len=4K",
                  "t.ops:1:20: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found 'x'"),
        ErrorCase("dev-read d addr=+4 len=4K", "t.ops:1:17: \(addressExpected), found '+4'"),
        ErrorCase("dev-read d addr=s1+1+2 len=4K", "t.ops:1:17: \(addressExpected), found 's1+1+2'"),
        ErrorCase("dev-read d addr=state()+1 len=4K", "t.ops:1:17: \(addressExpected), found 'state()+1'"),
    ]

    /// `machine`, `advance`, and the `cpu=` / `time=` any line may end with.
    static let timeCases: [ErrorCase] = [
        ErrorCase("machine arch=riscv64", "t.ops:1:14: expected an architecture (x86_64, arm64), found 'riscv64'"),
        ErrorCase("machine kernel=6.1", "t.ops:1:16: expected a kernel version (6.16, 6.17, 6.18, 6.19, 7.0, 7.1, 7.2, 7.3), found '6.1'"),
        ErrorCase("machine kernel=7.4", "t.ops:1:16: expected a kernel version (6.16, 6.17, 6.18, 6.19, 7.0, 7.1, 7.2, 7.3), found '7.4'"),
        ErrorCase("machine kernel=7.3.", "t.ops:1:16: expected a kernel version (6.16, 6.17, 6.18, 6.19, 7.0, 7.1, 7.2, 7.3), found '7.3.'"),
        ErrorCase("machine cpus=0", "t.ops:1:14: expected a CPU count from 1 to 8192, found '0'"),
        ErrorCase("machine hz=200", "t.ops:1:12: expected a CONFIG_HZ (100, 250, 300, 1000), found '200'"),
        ErrorCase("machine cpus=2 cpus=4", "t.ops:1:16: expected each key once, found a second 'cpus' (first at column 9)"),
        ErrorCase("advance", "t.ops:1:1: missing a duration (advance 10ms) or time= for 'advance'"),
        ErrorCase("advance 10", "t.ops:1:9: expected \(DurationText.form), found '10'"),
        ErrorCase("advance 10ms 20ms", "t.ops:1:14: expected end of line after 'advance', found '20ms'"),
        ErrorCase("sync s1 len=4K cpu=one", "t.ops:1:20: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found 'one'"),
        ErrorCase("sync s1 len=4K cpu=8192", "t.ops:1:20: expected a CPU number from 0 to 8191, found '8192'"),
        ErrorCase("free s1 time=1.5", "t.ops:1:14: expected \(DurationText.form), found '1.5'"),
        ErrorCase("free s1 time=1.5ns", "t.ops:1:14: expected a time in whole nanoseconds, found '1.5ns'"),
        ErrorCase("free s1 time=.5s", "t.ops:1:14: expected \(DurationText.form), found '.5s'"),
        ErrorCase("free s1 time=18446744074s", "t.ops:1:14: expected a time that fits in 64 bits of nanoseconds, found '18446744074s'"),
    ]
    static let addressExpected =
        "expected an address (a number, NAME, NAME+OFFSET, state(NAME)+OFFSET or mapping(NAME)+OFFSET)"

    static let claimCases: [ErrorCase] = [
        ErrorCase("free s1 => yes",
                  "t.ops:1:12: expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found 'yes'"),
        ErrorCase("free s1 =>  ",
                  "t.ops:1:11: expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found end of line"),
        ErrorCase("free s1 => ok,",
                  "t.ops:1:15: expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found end of line"),
        ErrorCase("free s1 => ok,,fault",
                  "t.ops:1:15: expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found ','"),
        ErrorCase("free s1 => ok later",
                  "t.ops:1:15: expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found 'later'"),
        ErrorCase("free s1 => error EWHAT",
                  "t.ops:1:18: expected an errno (EPERM, EIO, ENXIO, ENOMEM, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, ERANGE, EOPNOTSUPP, EADDRINUSE, mapping), found 'EWHAT'"),
        ErrorCase("dev-read d addr=0 len=4K => fault sideways",
                  "t.ops:1:35: expected a fault kind (not-present, permission, not-synced, bus-error), found 'sideways'"),
        ErrorCase("free s1 => violation sloppy", "t.ops:1:22: expected a misuse class (\(misuseClasses)), found 'sloppy'"),
        ErrorCase("free s1 => iova=zz", "t.ops:1:17: expected a number (decimal or 0x hex, optional K/M/G/T suffix), found 'zz'"),
        ErrorCase("cpu-read phys=0 len=4K => bytes=nothing",
                  "t.ops:1:33: expected a fill (seed:N, byte:0xAB, hex:DEADBEEF, zero), found 'nothing'"),
    ]
    /// The list the parser names, in declaration order: every class the checker has.
    static let misuseClasses = MisuseClass.allCases.map(\.rawValue).joined(separator: ", ")

    @Test(arguments: lineShapeCases + valueCases + timeCases + claimCases)
    func everyMistakePrintsOneLineWithItsPlace(_ testCase: ErrorCase) {
        #expect(throws: ScriptError.self) { try ScriptParser().parse(testCase.text, fileName: "t.ops") }
        do {
            _ = try ScriptParser().parse(testCase.text, fileName: "t.ops")
        } catch {
            #expect(error.description == testCase.message)
        }
    }

    @Test func theBriefsExampleIsPlacedAtLineSevenColumnEighteen() {
        let text = String(repeating: "# setup\n", count: 6) + "unmap m12345 dir=up len=8K\n"
        #expect(throws: ScriptError(
            fileName: "quickstart.ops", line: 7, column: 18,
            message: "expected a direction (to-device, from-device, bidirectional, none), found 'up'"
        )) { try ScriptParser().parse(text, fileName: "quickstart.ops") }
    }

    @Test func theFirstBadLineStopsTheParse() {
        #expect(throws: ScriptError.self) { try ScriptParser().parse("free s1\nfrob\nfrob", fileName: "t.ops") }
        #expect(performing: { try ScriptParser().parse("free s1\nfrob\nfrob", fileName: "t.ops") },
                throws: { ($0 as? ScriptError)?.line == 2 })
    }

    @Test func claimsAloneArePlacedOnLineOne() {
        #expect(throws: ScriptError(fileName: "expect", line: 1, column: 4, message: "expected a claim (ok, completed, fallback, iova=, error, fault, digest=, violation, bytes=, rejected, oops), found 'maybe'")) {
            try ScriptParser().parseClaims("ok maybe", fileName: "expect")
        }
    }
}
