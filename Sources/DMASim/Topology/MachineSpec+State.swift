extension Architecture: StateTagged {
    static let stateOrder: [Architecture] = [.x86_64, .arm64]
}

extension KernelVersion: StateTagged {
    /// 7.3 and 6.16 keep the tags they had when they were the only two; the releases
    /// between were added after them, in release order.
    static let stateOrder: [KernelVersion] = [.v7_3, .v6_16, .v6_17, .v6_18, .v6_19, .v7_0, .v7_1, .v7_2]
}

extension MachineSpec {
    func encode(to writer: inout StateWriter) {
        arch.encode(to: &writer)
        kernel.encode(to: &writer)
        writer.varint(cpuCount)
        writer.varint(hz)
        writer.bool(dmaDebug)
        writer.varint(tickPhase)
    }

    /// The values only; the engine checks them with the rules of a `machine` declaration.
    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        let arch = try Architecture(from: &reader, "machine arch")
        let kernel = try KernelVersion(from: &reader, "machine kernel")
        let cpuCount = try reader.int("machine cpus", in: 1...MachineSpec.maxCPUCount)
        let start = reader.offset
        let hz = try reader.int("machine hz", in: 1...1000)
        guard MachineSpec.hzChoices.contains(hz) else { throw reader.invalid("machine hz", "\(hz) is not a CONFIG_HZ choice", at: start) }
        self.init(arch: arch, kernel: kernel, cpuCount: cpuCount, hz: hz)
        // Version 6: CONFIG_DMA_API_DEBUG and the tick's phase.
        guard version >= EngineStateFormat.perCPUVersion else { return }
        dmaDebug = try reader.bool("machine dma-debug")
        let phaseStart = reader.offset
        tickPhase = try reader.varint("machine tick phase")
        guard tickPhase < tickNanoseconds else { throw reader.invalid("machine tick phase", "not below one jiffy", at: phaseStart) }
    }
}
