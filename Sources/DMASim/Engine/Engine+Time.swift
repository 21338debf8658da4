/// Where and when each op runs: the CPU it names, the clock its `time` moves, and the
/// `machine` and `advance` ops. The clock is an input (ops' `time`, `advance`), never
/// read from the host, so the engine stays deterministic.
extension Engine {
    /// The op's CPU and time, then its call. Timers due by the op's time fire first, in
    /// order; what they did leads the op's outcome (and stays in it when the call itself
    /// is rejected: the time passed all the same).
    func runInTime(_ op: Op, call run: (Op.Call) -> Outcome) -> Outcome {
        if let problem = placementProblem(of: op) { return .rejected(problem) }
        var timerEffects = Outcome()
        if let time = op.time { advanceClock(to: time, into: &timerEffects) }
        currentCPU = op.cpu
        var outcome = run(op.call)
        if case .advance(let call) = op.call { advanceClock(by: call.nanoseconds, into: &timerEffects) }
        outcome.prepend(timerEffects)
        return outcome
    }

    /// Why the op cannot run on this machine at this time, if it cannot: a CPU that is
    /// not online, a time before the clock, an `advance` past the end of time.
    private func placementProblem(of op: Op) -> String? {
        // A `machine` op's own CPU is checked against the machine it declares.
        let cpuCount: Int
        if case .machine(let spec) = op.call { cpuCount = max(spec.cpuCount, 1) } else { cpuCount = machine.cpuCount }
        guard op.cpu >= 0, op.cpu < cpuCount else {
            return "cpu \(op.cpu) is not online: the machine has \(cpuCount) CPU\(cpuCount == 1 ? "" : "s") (machine cpus=N)"
        }
        if let time = op.time, time < clock {
            return "time \(DurationText.text(of: time)) is before the clock (\(DurationText.text(of: clock))): time must not go backwards"
        }
        if case .advance(let call) = op.call, UInt64.max - max(op.time ?? 0, clock) < call.nanoseconds {
            return "advance \(DurationText.text(of: call.nanoseconds)) goes past the end of 64-bit time"
        }
        return nil
    }

    /// Moves the clock to `time` (≥ the clock), running every timer due by then in
    /// deadline order, each at its own deadline, so a timer it arms runs too if due.
    func advanceClock(to time: UInt64, into outcome: inout Outcome) {
        precondition(time >= clock, "the clock does not go backwards")
        while let due = timers.popDue(by: time) {
            clock = due.deadline
            fire(due.timer, into: &outcome)
        }
        clock = time
    }

    private func advanceClock(by nanoseconds: UInt64, into outcome: inout Outcome) {
        advanceClock(to: clock + nanoseconds, into: &outcome)
    }

    /// `machine arch=… kernel=… cpus=… hz=…`: at most once, before any other topology.
    func declareMachine(_ spec: MachineSpec) -> Outcome {
        guard !machineDeclared else { return .rejected("machine is already declared") }
        guard memory.regions.isEmpty, iommus.isEmpty, devices.isEmpty, swiotlb == nil else {
            return .rejected("machine must come before every region, iommu, device and swiotlb line")
        }
        guard (1...MachineSpec.maxCPUCount).contains(spec.cpuCount) else {
            return .rejected("machine cpus must be 1…\(MachineSpec.maxCPUCount)")
        }
        guard MachineSpec.hzChoices.contains(spec.hz) else {
            return .rejected("machine hz must be one of \(MachineSpec.hzChoices.map(String.init).joined(separator: ", ")) (CONFIG_HZ)")
        }
        guard spec.tickPhase < spec.tickNanoseconds else {
            return .rejected("machine tick-phase must be below one jiffy (\(DurationText.text(of: spec.tickNanoseconds)) at HZ \(spec.hz))")
        }
        machine = spec
        machineDeclared = true
        return .ok
    }

    /// `advance DURATION`: the clock moves after the (empty) call, in `runInTime`.
    func advance(_ call: AdvanceOp) -> Outcome { .ok }
}

extension Outcome {
    /// `earlier`'s side events, findings and warnings before this outcome's own.
    mutating func prepend(_ earlier: Outcome) {
        guard !earlier.events.isEmpty || !earlier.findings.isEmpty || !earlier.warnings.isEmpty else { return }
        events = earlier.events + events
        findings = earlier.findings + findings
        warnings = earlier.warnings + warnings
    }
}
