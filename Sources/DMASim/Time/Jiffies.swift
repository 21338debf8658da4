/// Kernel time at jiffy resolution (include/linux/jiffies.h, kernel/time/time.c), for
/// timers: the kernel arms them at `jiffies + n` and runs them from the tick at which
/// `jiffies` reaches that value.
///
/// The simulated `jiffies` is 0 at time 0 and ticks every 1/HZ s; a real kernel's ticks
/// have another phase relative to its trace clock, which no trace records: `phase` (less
/// than a jiffy) moves every tick that late, when the machine gives one (`tick-phase=`).
public struct Jiffies: Sendable, Hashable {
    /// `CONFIG_HZ`: ticks a second.
    public let hz: Int
    /// How late every tick comes, in ns (less than a jiffy).
    public let phase: UInt64

    /// Jiffies of `hz` ticks a second, each `phase` ns late.
    public init(hz: Int, phase: UInt64 = 0) {
        precondition(hz > 0, "HZ must be positive")
        self.hz = hz
        self.phase = phase
    }

    private static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// `jiffies` at `time` (ns): the ticks that have happened by then.
    public func jiffies(at time: UInt64) -> UInt64 {
        let hz = UInt64(self.hz)
        return time / Self.nanosecondsPerSecond * hz + time % Self.nanosecondsPerSecond * hz / Self.nanosecondsPerSecond
    }

    /// When `jiffies` becomes `jiffy` (ns): the first nanosecond at or after jiffy × 10⁹/HZ,
    /// so that `jiffies(at: time(ofJiffy: j)) == j`. Saturates at the end of time.
    public func time(ofJiffy jiffy: UInt64) -> UInt64 {
        let hz = UInt64(self.hz)
        let seconds = jiffy / hz, rest = jiffy % hz
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: Self.nanosecondsPerSecond)
        let fraction = (rest * Self.nanosecondsPerSecond + hz - 1) / hz
        guard !overflow, whole <= UInt64.max - fraction else { return .max }
        return whole + fraction
    }

    /// `msecs_to_jiffies(m)`: rounded up, so a timeout never fires early.
    public func fromMilliseconds(_ milliseconds: UInt64) -> UInt64 {
        let (product, overflow) = milliseconds.multipliedReportingOverflow(by: UInt64(hz))
        return overflow ? .max : (product + 999) / 1000
    }

    /// `jiffies` at `time` with the ticks at `phase + k/HZ` (0 until the first of them).
    public func phasedJiffies(at time: UInt64) -> UInt64 {
        guard phase > 0 else { return jiffies(at: time) }
        let (shifted, overflow) = time.addingReportingOverflow(self.time(ofJiffy: 1) - phase)
        return overflow ? .max : jiffies(at: shifted)
    }

    /// When a timer armed at `now` with `mod_timer(timer, jiffies + delay)` (or a delayed
    /// work queued with `delay` jiffies) runs.
    public func deadline(armedAt now: UInt64, afterJiffies delay: UInt64) -> UInt64 {
        guard phase > 0 else {
            let (expires, overflow) = jiffies(at: now).addingReportingOverflow(delay)
            return overflow ? .max : time(ofJiffy: expires)
        }
        // Ticks at phase + k/HZ: count on a clock moved one jiffy less the phase ahead.
        let shift = time(ofJiffy: 1) - phase
        let (shifted, late) = now.addingReportingOverflow(shift)
        let (expires, overflow) = jiffies(at: shifted).addingReportingOverflow(delay)
        guard !late, !overflow else { return .max }
        let deadline = time(ofJiffy: expires)
        return deadline == .max ? .max : deadline - shift
    }
}
