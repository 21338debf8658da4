/// Why an `--inject` value does not parse: the text and what was expected.
public struct InjectionSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var message: String

    public init(text: String, message: String) { self.text = text; self.message = message }

    public var description: String { "--inject \(text): \(message)" }
}
