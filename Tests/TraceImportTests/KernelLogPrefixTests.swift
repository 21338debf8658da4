import Testing
@testable import TraceImport

/// Every prefix journald, syslog daemons, dmesg and log collectors put before a kernel
/// message: the time, format and task each gives, and where the message starts. The
/// messages are real ones (fixtures/logs); the prefixes follow each tool's documented
/// format (journalctl(1) `--output`, dmesg(1) `--time-format`, RFC 3164, RFC 5424,
/// Documentation/ABI/testing/dev-kmsg).
@Suite struct KernelLogPrefixTests {
    struct Case: Sendable, CustomStringConvertible {
        let tool: String
        let line: String
        var format: SourceFormat = .dmesg
        var nanoseconds: UInt64?
        var wallClock: String?
        var pid: Int?
        var message = "DMAR: [DMA Read NO_PASID] Request device [00:1e.3] fault addr 0xffffa000 [fault reason 0x06] PTE Read access is not set"
        var description: String { tool }
    }

    static let dmar = "DMAR: [DMA Read NO_PASID] Request device [00:1e.3] fault addr 0xffffa000 [fault reason 0x06] PTE Read access is not set"

    static let cases: [Case] = [
        Case(tool: "dmesg", line: "[    0.938401] \(dmar)", nanoseconds: 938_401_000),
        Case(tool: "journalctl -k -o short-monotonic --no-hostname", line: "[    0.938401] kernel: \(dmar)", nanoseconds: 938_401_000),
        Case(tool: "journalctl -o short-monotonic", line: "[  278.999480] myhost kernel: \(dmar)", nanoseconds: 278_999_480_000),
        Case(tool: "a syslog line cut before the tag", line: "kernel: \(dmar)", format: .syslog),
        Case(tool: "kern.log cut before the tag", line: "kernel: [   13.134460] \(dmar)", format: .syslog, nanoseconds: 13_134_460_000),
        Case(tool: "kernel[0] tag", line: "Jan 05 10:11:12 myhost kernel[0]: \(dmar)", format: .syslog, wallClock: "Jan 05 10:11:12"),
        Case(tool: "journalctl -o short", line: "Aug 26 10:33:28 foobar kernel: \(dmar)", format: .syslog, wallClock: "Aug 26 10:33:28"),
        Case(tool: "journalctl -o short --no-hostname", line: "Dec  8 10:02:17  kernel: \(dmar)", format: .syslog, wallClock: "Dec  8 10:02:17"),
        Case(tool: "journalctl -o short-precise", line: "Jan 05 10:11:12.123456 myhost kernel: \(dmar)", format: .syslog,
             wallClock: "Jan 05 10:11:12.123456"),
        Case(tool: "journalctl -o short-iso", line: "2024-01-05T10:11:12+0100 myhost kernel: \(dmar)", format: .syslog,
             wallClock: "2024-01-05T10:11:12+0100"),
        Case(tool: "journalctl -o short-iso-precise", line: "2024-01-05T10:11:12.123456+01:00 myhost kernel: \(dmar)", format: .syslog,
             wallClock: "2024-01-05T10:11:12.123456+01:00"),
        Case(tool: "journalctl -o short-full", line: "Fri 2024-01-05 10:11:12 CET myhost kernel: \(dmar)", format: .syslog,
             wallClock: "Fri 2024-01-05 10:11:12 CET"),
        Case(tool: "journalctl -o short-unix", line: "1704445872.123456 myhost kernel: \(dmar)", format: .syslog,
             wallClock: "2024-01-05T09:11:12.123456Z"),
        Case(tool: "journalctl -o short-delta", line: "[   12.345678 <    0.000123>] myhost kernel: \(dmar)", nanoseconds: 12_345_678_000),
        Case(tool: "RFC 3164 with its priority", line: "<3>Jan  5 10:11:12 myhost kernel: \(dmar)", format: .syslog, wallClock: "Jan  5 10:11:12"),
        Case(tool: "RFC 5424", line: "<3>1 2024-01-05T10:11:12.123456+01:00 myhost kernel - - - \(dmar)", format: .syslog,
             wallClock: "2024-01-05T10:11:12.123456+01:00"),
        Case(tool: "RFC 5424 with structured data", line: "<3>1 2024-01-05T10:11:12.123Z myhost kernel - - [timeQuality tzKnown=\"1\"] \(dmar)",
             format: .syslog, wallClock: "2024-01-05T10:11:12.123Z"),
        Case(tool: "kern.log (rsyslog traditional)", line: "Jan  5 10:11:12 myhost kernel: [   12.345678] \(dmar)", format: .syslog,
             nanoseconds: 12_345_678_000, wallClock: "Jan  5 10:11:12"),
        Case(tool: "kern.log (rsyslog ISO)", line: "2024-01-05T10:11:12.123456+01:00 myhost kernel: [   12.345678] \(dmar)", format: .syslog,
             nanoseconds: 12_345_678_000, wallClock: "2024-01-05T10:11:12.123456+01:00"),
        Case(tool: "OpenWrt logread", line: "Fri Jan  5 10:11:12 2024 kern.err kernel: [   12.345678] \(dmar)", format: .syslog,
             nanoseconds: 12_345_678_000, wallClock: "Fri Jan  5 10:11:12 2024"),
        Case(tool: "dmesg --time-format iso", line: "2024-01-05T10:11:12,123456+01:00 \(dmar)", wallClock: "2024-01-05T10:11:12,123456+01:00"),
        Case(tool: "a CI runner's stamp before dmesg", line: "2024-01-05T10:11:12.1234567Z [   12.345678] \(dmar)",
             nanoseconds: 12_345_678_000, wallClock: "2024-01-05T10:11:12.1234567Z"),
        Case(tool: "dmesg -T", line: "[Fri Jan  5 10:11:12 2024] \(dmar)", wallClock: "2024-01-05T10:11:12"),
        Case(tool: "dmesg -d", line: "[   12.345678 <    0.000123>] \(dmar)", nanoseconds: 12_345_678_000),
        Case(tool: "dmesg -x", line: "kern  :err   : [   12.345678] \(dmar)", nanoseconds: 12_345_678_000),
        Case(tool: "dmesg -r", line: "<3>[   12.345678] \(dmar)", nanoseconds: 12_345_678_000),
        Case(tool: "dmesg -H", line: "[Jan  5 10:11] \(dmar)", wallClock: "Jan  5 10:11"),
        Case(tool: "CONFIG_PRINTK_CALLER", line: "[   12.345678][  T123] \(dmar)", nanoseconds: 12_345_678_000, pid: 123),
        // util-linux dmesg 2.39+ (print_record): the time's "] ", then the caller as "[%*s] ".
        Case(tool: "util-linux dmesg with CONFIG_PRINTK_CALLER", line: "[   12.345678] [  T123] \(dmar)", nanoseconds: 12_345_678_000, pid: 123),
        Case(tool: "/dev/kmsg", line: "3,1234,12345678,-;\(dmar)", nanoseconds: 12_345_678_000),
        Case(tool: "journalctl in a Dutch locale (pop-os/cosmic-greeter#344)", line: "nov 04 13:30:08 odys25 kernel: \(dmar)", format: .syslog,
             wallClock: "nov 04 13:30:08"),
        Case(tool: "journalctl in a Japanese locale (FascodeNet/alterlinux#238)", line: "1月 30 23:04:48 miku-ms7c02 kernel: \(dmar)", format: .syslog,
             wallClock: "1月 30 23:04:48"),
        Case(tool: "journalctl in a German locale", line: "Mär 02 10:11:12 myhost kernel: \(dmar)", format: .syslog, wallClock: "Mär 02 10:11:12"),
        Case(tool: "journalctl in a French locale", line: "févr. 02 10:11:12 myhost kernel: \(dmar)", format: .syslog, wallClock: "févr. 02 10:11:12"),
        Case(tool: "rsyslog ISO with the dmesg time (amd/xdna-driver#16)",
             line: "2024-02-15T17:51:15.668676-08:00 rk-xsj kernel: [ 2909.731987] \(dmar)", format: .syslog,
             nanoseconds: 2_909_731_987_000, wallClock: "2024-02-15T17:51:15.668676-08:00"),
        Case(tool: "no prefix", line: dmar),
        Case(tool: "a word and a clock without a tag is no header", line: "nov 04 13:30:08 \(dmar)", message: "nov 04 13:30:08 \(dmar)"),
        Case(tool: "another program's syslog line", line: "Mar  2 07:15:15 Lexington systemd[1]: Starting Clean up any mess left by 0dns-up...",
             format: .syslog, wallClock: "Mar  2 07:15:15", message: "Starting Clean up any mess left by 0dns-up..."),
        Case(tool: "a dev_printk line after an ISO time is no syslog tag", line: "2024-01-05T10:11:12,123456+01:00 iommu ivhd0: AMD-Vi: Event logged [",
             wallClock: "2024-01-05T10:11:12,123456+01:00", message: "iommu ivhd0: AMD-Vi: Event logged ["),
    ]

    @Test(arguments: cases) func readsThePrefix(_ sample: Case) throws {
        let bytes = Array(sample.line.utf8)
        let prefix = KernelLogPrefix.parse(bytes, from: 0)
        #expect(prefix.format == sample.format)
        #expect(prefix.timestampNanoseconds == sample.nanoseconds)
        #expect(prefix.wallClock == sample.wallClock)
        #expect(prefix.pid == sample.pid)
        #expect(bytes.text(prefix.messageStart..<bytes.count) == sample.message)
        #expect(prefix.hasHeader == (sample.line != sample.message))
    }

    /// The same fault, read whole, under each prefix.
    @Test(arguments: cases.filter { $0.message == dmar }) func readsTheFaultBehindIt(_ sample: Case) throws {
        let event = try onlyEvent(in: sample.line)
        #expect(event.naming == "dmar_fault_no_pasid")
        #expect(event.device == "00:1e.3")
        #expect(event.address == 0xffff_a000)
        #expect(event.isWrite == false)
        #expect(event.provenance.timestampNanoseconds == sample.nanoseconds)
        #expect(event.provenance.wallClock == sample.wallClock)
    }

    /// Numbers past what a field can hold are not read, and never trap
    /// (../shared/reliability-repro/import-parser-overflow.txt).
    @Test func outOfRangeNumbersAreDropped() {
        let caller = KernelLogPrefix.parse(Array("[   12.345678][T18446744073709551615] x".utf8), from: 0)
        #expect(caller.pid == nil)
        let seconds = KernelLogPrefix.parse(Array("[18446744073.709551616] x".utf8), from: 0)
        #expect(seconds.timestampNanoseconds == nil)
        let kmsg = KernelLogPrefix.parse(Array("3,1,18446744073709551615,-;x".utf8), from: 0)
        #expect(kmsg.timestampNanoseconds == nil)
    }

    /// `/dev/kmsg`'s dictionary lines after a record (` SUBSYSTEM=pci`, ` DEVICE=+pci:…`) are
    /// part of it, not unread log lines; an indented message of a pasted log is no such line.
    @Test func kmsgDictionaryLinesAreNotUnreadLines() throws {
        let text = """
            3,1234,12345678,-;DMAR: [DMA Write NO_PASID] Request device [01:00.0] fault addr 0xfffd1000 [fault reason 0x05] PTE Write access is not set
             SUBSYSTEM=pci
             DEVICE=+pci:0000:01:00.0
            """
        let (_, summary) = try ImportFixture.importing(text: text)
        let totals = try #require(summary.sources.first).totals
        #expect(totals.events == 1)
        #expect(totals.skipped == 0)
        #expect(TraceSource.isKmsgDictionaryLine(Array(" DEVICE=+pci:0000:01:00.0".utf8), start: 1))
        #expect(!TraceSource.isKmsgDictionaryLine(Array(" DMAR: fault=1".utf8), start: 1))
        #expect(!TraceSource.isKmsgDictionaryLine(Array("  SUBSYSTEM=pci".utf8), start: 2))
    }
}
