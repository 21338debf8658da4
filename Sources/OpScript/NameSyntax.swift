/// What a name on a line stands for, so a complaint can say which name it wanted.
enum NameRole: String, Hashable {
    case state, mapping, device, iommu = "IOMMU", region, group, checkpoint

    /// "a state name", "an IOMMU name".
    var phrase: String {
        let article = self == .iommu ? "an" : "a"
        return "\(article) \(rawValue) name"
    }
}

/// Names of regions, IOMMUs, devices, states, mappings and checkpoints:
/// `[A-Za-z_][A-Za-z0-9_.:-]*`. They exclude `+`, `=`, `,`, `(` and `)`, which is what
/// lets `s1+0x200`, `key=value`, comma lists and `state(NAME)` be read without quoting.
enum NameSyntax {
    static let pattern = "[A-Za-z_][A-Za-z0-9_.:-]*"

    static func isValid(_ text: String) -> Bool {
        guard let first = text.first, isLeading(first) else { return false }
        return text.dropFirst().allSatisfy { isLeading($0) || ($0.isASCII && $0.isNumber) || ".:-".contains($0) }
    }

    /// The token's text if it is a valid name; otherwise says which name was wanted.
    static func read(_ token: Token, as role: NameRole) throws(TokenError) -> String {
        guard !token.isEndOfLine, isValid(token.text) else {
            throw .expected("\(role.phrase) (\(pattern))", found: token)
        }
        return token.text
    }

    private static func isLeading(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character == "_")
    }
}
