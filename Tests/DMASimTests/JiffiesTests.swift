import Testing
@testable import DMASim

/// `msecs_to_jiffies()` (include/linux/jiffies.h) and the tick a `mod_timer()` expiry
/// runs at (kernel/time/timer.c), at the `CONFIG_HZ` choices.
@Suite struct JiffiesTests {
    @Test(arguments: [
        (250, 10, 3), (250, 4, 1), (250, 1, 1), (250, 0, 0), (250, 100, 25),
        (1000, 10, 10), (100, 10, 1), (100, 11, 2), (300, 10, 3), (300, 100, 30),
    ] as [(Int, UInt64, UInt64)])
    func millisecondsRoundUpToJiffies(_ hz: Int, _ milliseconds: UInt64, _ jiffies: UInt64) {
        #expect(Jiffies(hz: hz).fromMilliseconds(milliseconds) == jiffies)
    }

    @Test func ticksAndTimesAgree() {
        let debian = Jiffies(hz: 250)
        #expect(debian.jiffies(at: 3_999_999) == 0)
        #expect(debian.jiffies(at: 4_000_000) == 1)
        #expect(debian.time(ofJiffy: 3) == 12_000_000)
        let odd = Jiffies(hz: 300)  // 3.333… ms a tick
        #expect(odd.time(ofJiffy: 1) == 3_333_334)
        #expect(odd.jiffies(at: 3_333_333) == 0 && odd.jiffies(at: 3_333_334) == 1)
        for jiffy: UInt64 in [0, 1, 2, 299, 300, 301, 1_000_003] {
            #expect(odd.jiffies(at: odd.time(ofJiffy: jiffy)) == jiffy)
            #expect(odd.jiffies(at: odd.time(ofJiffy: jiffy) - (jiffy == 0 ? 0 : 1)) == max(jiffy, 1) - 1)
        }
        #expect(debian.jiffies(at: .max) == UInt64.max / 1_000_000_000 * 250 + UInt64.max % 1_000_000_000 * 250 / 1_000_000_000)
        #expect(debian.time(ofJiffy: .max) == .max)
    }

    /// `mod_timer(t, jiffies + 3)` at 5 ms (jiffy 1) runs at jiffy 4: 16 ms, 11 ms later.
    @Test func aTimerRunsAtTheTickItsExpiryNames() {
        let debian = Jiffies(hz: 250)
        #expect(debian.deadline(armedAt: 5_000_000, afterJiffies: 3) == 16_000_000)
        #expect(debian.deadline(armedAt: 4_000_000, afterJiffies: 3) == 16_000_000)
        #expect(debian.deadline(armedAt: .max - 1, afterJiffies: 3) == .max)
    }
}
