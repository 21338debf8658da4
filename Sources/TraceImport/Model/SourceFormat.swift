/// The kind of text a line came in. One file may hold several (a mail with a dmesg
/// excerpt and QEMU trace lines).
public enum SourceFormat: String, Sendable, CaseIterable, Hashable {
    /// ftrace / trace-cmd / perf text: `task-pid [cpu] flags timestamp: event: fields`,
    /// or an event pasted without its prefix (`map: IOMMU: …`).
    case ftrace
    /// The kernel log as `dmesg` prints it: `[seconds]`, `-T` calendar times, or none.
    case dmesg
    /// The kernel log through syslog or journald: `Mmm dd hh:mm:ss host kernel: …`.
    case syslog
    /// QEMU's trace events (`pid@seconds.micros:event args`, or the event alone).
    case qemu
}
