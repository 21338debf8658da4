/// The `timer:timer_expire_entry` tracepoint (include/trace/events/timer.h), read only for
/// the flush-queue timer: `call_timer_fn()` traces it just before it runs the callback,
/// in the timer softirq of the CPU whose timer base held it:
///
///     kworker/u4:1-31 [000] .Bs.. 7.925149: timer_expire_entry: timer=(____ptrval____) function=fq_flush_timeout now=4294894186 baseclk=4294894186
///
/// That is `fq_flush_timeout()` (drivers/iommu/dma-iommu.c) starting: the IOTLB flush and
/// the frees of every queued IOVA follow. `timer=` is hashed, so the line does not say
/// whose `cookie->fq_timer` it was; the import gives it to the domain whose timer is armed.
/// Any other timer is another subsystem's.
enum TimerEvents {
    static let expireEntry = "timer_expire_entry"
    static let flushQueueCallback = "fq_flush_timeout"
    private static let function = utf8("function")

    static func parse(fields: Range<Int>, _ record: TraceRecord) -> LineResult {
        let values = KeyValueFields(record.text, fields)
        guard values.text(function) == flushQueueCallback else { return .skipped(.otherFtraceEvent) }
        return .event(record.event(.flushTimer, flushQueueCallback))
    }
}
