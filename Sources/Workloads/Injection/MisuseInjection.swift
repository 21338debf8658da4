/// The mark on the step where the simulated driver committed an injected misuse. The
/// journal stores it so tests can check that bisect finds the step; replay, bisect and
/// minimise must never read it.
public struct MisuseInjection: Sendable, Hashable {
    public var injectionClass: InjectionClass
    /// The IOVA state (or streaming mapping) the misuse concerns.
    public var handle: String

    public init(_ injectionClass: InjectionClass, handle: String) {
        self.injectionClass = injectionClass; self.handle = handle
    }
}
