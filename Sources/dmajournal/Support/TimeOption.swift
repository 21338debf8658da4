import Export

/// `--time auto|kernel|ops` of `export --format perfetto` and `report`.
enum TimeOption {
    static func parse(_ text: String) throws -> TimeBaseChoice {
        guard let choice = TimeBaseChoice(rawValue: text) else {
            throw CLIFailure.badInput("--time '\(text)': expected \(TimeBaseChoice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }
}
