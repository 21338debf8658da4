/// What a capture sets up.
public struct CaptureOptions: Equatable, Sendable {
    /// Tracepoints to enable besides the probes.
    public var events = EventSelector.defaults
    public var probes = KernelSupport.Request.auto
    /// Trace into an instance of our own (`instances/dmajournal`), leaving the top-level
    /// buffer and its settings alone; false traces in the top level (settings changed are
    /// restored, but its buffer's unread events are consumed).
    public var useInstance = true
    public var instanceName = "dmajournal"
    public var probeGroup = IOVAProbes.group
    /// `buffer_size_kb` per CPU; nil keeps the kernel's.
    public var bufferKilobytes: Int?

    public init() {}
}
