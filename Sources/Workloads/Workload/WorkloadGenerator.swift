/// A seeded generator of driver traffic: the calls one of docs/workloads.md "Workloads"'s in-tree users makes,
/// over a topology built from the options, with the claims a correct driver expects.
///
///     let stream = try WorkloadKind.nvme.generator.steps(options)
///     for step in stream { let outcome = engine.apply(step.op) … }
///
/// The stream is lazy: steps are made one at a time as it is iterated, and iterating
/// it again gives the same steps, bit for bit.
public protocol WorkloadGenerator: Sendable {
    var kind: WorkloadKind { get }
    /// The misuse classes this workload's drivers can commit (`--inject`).
    var supportedInjections: Set<InjectionClass> { get }
    /// The steps for `options`: topology declarations, then traffic, then a `detach` of
    /// every device. Throws for options out of range and for injections no device of the
    /// topology can commit.
    func steps(_ options: WorkloadOptions) throws(WorkloadError) -> WorkloadStream
}
