import DMASim

/// Values spelled as one word out of a fixed list (directions, region kinds, IOMMU modes,
/// buses), plus the comma list of DMA attributes. A wrong word gets a message listing the
/// right ones.
enum WordSyntax {
    /// The case whose spelling is `token`'s text; `wanted` is e.g. "a direction".
    static func choice<Value: RawRepresentable>(
        _ token: Token, among cases: [Value], as wanted: String
    ) throws(TokenError) -> Value where Value.RawValue == String {
        guard let value = cases.first(where: { $0.rawValue == token.text }) else {
            throw .expected(listing(cases.map(\.rawValue), as: wanted), found: token)
        }
        return value
    }

    /// "a direction (to-device, from-device, bidirectional, none)".
    static func listing(_ words: [String], as wanted: String) -> String {
        "\(wanted) (\(words.joined(separator: ", ")))"
    }

    /// Directions in the order people think of them, not the kernel's enum order.
    static let directionsInOrder: [DMADirection] = [.toDevice, .fromDevice, .bidirectional, .none]

    static func direction(_ token: Token) throws(TokenError) -> DMADirection {
        try choice(token, among: directionsInOrder, as: "a direction")
    }

    static func regionKind(_ token: Token) throws(TokenError) -> RegionKind {
        try choice(token, among: RegionKind.allCases, as: "a region kind")
    }

    static func iommuMode(_ token: Token) throws(TokenError) -> IOMMUMode {
        try choice(token, among: IOMMUMode.allCases, as: "an IOMMU mode")
    }

    static func architecture(_ token: Token) throws(TokenError) -> Architecture {
        try choice(token, among: Architecture.allCases, as: "an architecture")
    }

    /// A release the model knows, `7.3`, or one of its stable updates, `7.3.4` (what
    /// `uname -r` starts with): the stable updates of a release keep its DMA semantics
    /// in the model. The printer writes the release.
    static func kernelVersion(_ token: Token) throws(TokenError) -> KernelVersion {
        let parts = token.text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, !parts[2].isEmpty, parts[2].allSatisfy({ $0.isASCII && $0.isNumber }),
           let release = KernelVersion(rawValue: parts[0] + "." + parts[1]) {
            return release
        }
        return try choice(token, among: KernelVersion.allCases, as: "a kernel version")
    }

    /// `on` or `off`.
    static func onOff(_ token: Token) throws(TokenError) -> Bool {
        switch token.text {
        case "on": return true
        case "off": return false
        default: throw .expected(listing(["on", "off"], as: "a switch"), found: token)
        }
    }

    static func bus(_ token: Token) throws(TokenError) -> DeviceBus {
        try choice(token, among: DeviceBus.allCases, as: "a bus")
    }

    /// `skip-cpu-sync,mmio`: each piece must be a flag name; a bad one is reported at
    /// its own column. `attrs=` with nothing after it is no flags, as the kernel's trace
    /// prints attrs 0 and as the canonical form's default means.
    static func attributes(_ token: Token) throws(TokenError) -> DMAAttributes {
        var attributes: DMAAttributes = []
        if token.text.isEmpty { return attributes }
        for piece in token.pieces(separatedBy: ",") {
            guard let flag = DMAAttributes(flagName: piece.text) else {
                let names = DMAAttributes.namedFlags.map(\.name)
                throw .expected(listing(names, as: "a DMA attribute"), found: piece)
            }
            attributes.insert(flag)
        }
        return attributes
    }
}
