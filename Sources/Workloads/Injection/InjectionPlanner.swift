/// Decides which requests commit which injected misuse. Draws come from their own
/// generator, so a run with injections makes the same traffic as one without up to the
/// first injected request.
struct InjectionPlanner {
    private let specs: [InjectionSpec]
    /// `@SEQ` specs that have fired (each fires once).
    private var fired: [Bool]
    private var random: WorkloadRandom

    init(specs: [InjectionSpec], seed: UInt64) {
        self.specs = specs
        fired = specs.map { _ in false }
        random = WorkloadRandom(seed: seed, stream: RandomStream.injection)
    }

    /// The misuse the request starting at step `step` on `device` commits, if any.
    /// `possible` says which classes this request could commit at all (partial-link needs
    /// a second link, free-with-linked-ranges needs a linked page …). At most one per
    /// request: the first spec, in `--inject` order, that fires.
    mutating func decide(at step: Int, on device: DeviceProfile, possible: (InjectionClass) -> Bool) -> InjectionClass? {
        if specs.isEmpty { return nil }
        for (index, spec) in specs.enumerated() {
            let injection = spec.injectionClass
            guard device.canCommit(injection), possible(injection) else { continue }
            switch spec.trigger {
            case .rate(let rate):
                if random.chance(rate) { return injection }
            case .atStep(let first):
                if !fired[index] && step >= first {
                    fired[index] = true
                    return injection
                }
            }
        }
        return nil
    }

    /// Where in the request to commit it (which link …): drawn here too, so the
    /// traffic generator does not move.
    mutating func choose(below bound: Int) -> Int { random.below(bound) }
}
