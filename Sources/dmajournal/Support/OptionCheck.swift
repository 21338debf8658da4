import ArgumentParser

/// Range checks for numeric options, failing as usage errors (one line, like the argument
/// parser's own): `--ops -5` must not reach a workload as a count.
enum OptionCheck {
    static func atLeast(_ minimum: Int, _ value: Int?, _ option: String, meaning: String? = nil) throws {
        guard let value, value < minimum else { return }
        throw ValidationError("\(option) \(value): must be \(minimum) or more" + (meaning.map { " (\($0))" } ?? ""))
    }

    static func within(_ range: ClosedRange<Int>, _ value: Int, _ option: String) throws {
        guard !range.contains(value) else { return }
        throw ValidationError("\(option) \(value): must be \(range.lowerBound)…\(range.upperBound)")
    }

    /// A name the user gives something (`snapshot --name`): not empty, no control characters.
    static func name(_ value: String?, _ option: String) throws {
        guard let value else { return }
        if value.isEmpty { throw ValidationError("\(option) must not be empty") }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("\(option) must not contain control characters")
        }
    }
}
