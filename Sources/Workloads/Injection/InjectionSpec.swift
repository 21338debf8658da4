/// One `--inject CLASS[@RATE|@SEQ]`: which misuse, and which requests commit it.
public struct InjectionSpec: Sendable, Hashable {
    /// Which requests commit the misuse. A "request" is one block request or migration
    /// buffer, one peer transfer, or one fault, invalidation or teardown of an ODP region.
    public enum Trigger: Sendable, Hashable {
        /// Each request that can commit it does so with this probability (0 < p ≤ 1),
        /// drawn from the seeded generator.
        case rate(Double)
        /// The first request that can commit it and starts at or after this step
        /// number (0-based, topology included). Fires once.
        case atStep(Int)
    }

    public var injectionClass: InjectionClass
    public var trigger: Trigger

    public init(_ injectionClass: InjectionClass, trigger: Trigger) {
        self.injectionClass = injectionClass; self.trigger = trigger
    }

    /// Parses `CLASS`, `CLASS@RATE` or `CLASS@SEQ`. A value with a `.` (or an exponent) is a rate
    /// (`missing-sync@0.01`); digits alone are a step number (`late-access@5000`); no
    /// value means `@0`, the first request that can commit it.
    public init(parsing text: String) throws(InjectionSpecError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let injection = InjectionClass(name: String(parts[0])) else {
            throw InjectionSpecError(text: text, message: "expected a class ("
                + InjectionClass.allCases.map(\.rawValue).joined(separator: ", ") + "), found '\(parts[0])'")
        }
        self.injectionClass = injection
        self.trigger = parts.count == 1 ? .atStep(0) : try Self.trigger(String(parts[1]), in: text)
    }

    private static func trigger(_ value: String, in text: String) throws(InjectionSpecError) -> Trigger {
        if value.contains(".") || value.contains("e") {
            guard let rate = Double(value), rate > 0, rate <= 1 else {
                throw InjectionSpecError(text: text, message: "expected a rate above 0 and at most 1, found '\(value)'")
            }
            return .rate(rate)
        }
        guard !value.isEmpty, value.allSatisfy(\.isASCIIDigit), let step = Int(value) else {
            throw InjectionSpecError(text: text, message: "expected a rate (0.01) or a step number (5000), found '\(value)'")
        }
        return .atStep(step)
    }
}

extension InjectionSpec: CustomStringConvertible {
    /// The canonical spelling, which parses back to the same value.
    public var description: String {
        switch trigger {
        case .rate(let rate): return "\(injectionClass.rawValue)@\(rate)"
        case .atStep(let step): return "\(injectionClass.rawValue)@\(step)"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
