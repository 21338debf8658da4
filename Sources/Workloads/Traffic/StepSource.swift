import DMASim

/// Hands out a stream's steps: the topology, then traffic from every device's requests
/// in flight (a random one advances each step, as CPUs and queues interleave), then,
/// once `opCount` steps are out, the drain — no new requests, the ones in flight finish —
/// and a `detach` of every device, which reports anything leaked.
final class StepSource {
    private let topology: WorkloadTopology
    private let opCount: Int
    private let context: TrafficContext
    @exclusivity(unchecked) private var timer: FlushTimer
    @exclusivity(unchecked) private var programs: [any RequestProgram] = []
    /// The device (index into `topology.devices`) of each program.
    @exclusivity(unchecked) private var programDevices: [Int] = []
    @exclusivity(unchecked) private var phase = Phase.topology(0)

    private enum Phase {
        case topology(Int)
        case traffic
        case detach(Int)
        case finished
    }

    init(topology: WorkloadTopology, options: WorkloadOptions, pools: MemoryPools) {
        self.topology = topology
        opCount = options.opCount
        context = TrafficContext(options: options, pools: pools, sharedBase: topology.shared.base)
        timer = FlushTimer(iommus: topology.lazyIOMMUs)
    }

    func next() -> WorkloadStep? {
        guard let step = nextInPhase() else { return nil }
        context.emitted += 1
        return step
    }

    private func nextInPhase() -> WorkloadStep? {
        while true {
            switch phase {
            case .topology(let index) where index < topology.ops.count:
                phase = .topology(index + 1)
                return WorkloadStep(op: topology.ops[index], claims: StepClaims.ok)
            case .topology:
                if context.emitted < opCount { startAllDevices() }
                phase = .traffic
            case .traffic:
                if let step = trafficStep() { return step }
                phase = .detach(0)
            case .detach(let index) where index < topology.devices.count:
                phase = .detach(index + 1)
                return WorkloadStep(op: .detach(DetachOp(device: topology.devices[index].name)), claims: StepClaims.ok)
            case .detach, .finished:
                phase = .finished
                return nil
            }
        }
    }

    private func startAllDevices() {
        for (index, device) in topology.devices.enumerated() {
            for _ in 0..<device.inFlight { start(on: index) }
        }
    }

    private func start(on device: Int) {
        programs.append(RequestFactory.start(on: topology.devices[device], context))
        programDevices.append(device)
    }

    /// A step of a random request in flight; a finished request is replaced by a new one
    /// on the same device until the budget is spent.
    private func trafficStep() -> WorkloadStep? {
        if context.emitted >= opCount { context.draining = true }
        if !context.draining, let flush = timer.fire(at: context.emitted) { return flush }
        while !programs.isEmpty {
            let pick = context.random.below(programs.count)
            if let step = programs[pick].nextStep(context) { return step }
            let device = programDevices[pick]
            programs.swapAt(pick, programs.count - 1)
            programDevices.swapAt(pick, programDevices.count - 1)
            programs.removeLast()
            programDevices.removeLast()
            if !context.draining { start(on: device) }
        }
        return nil
    }
}
