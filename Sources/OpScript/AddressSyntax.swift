import DMASim

/// Device-side addresses (`addr=`): a number, or a handle plus an optional offset.
///
///     0x7ffff000           absolute
///     s1  s1+0x200         IOVA state s1 (bare names resolve through `HandleKinds`)
///     m3  m3+16            streaming mapping m3
///     state(x)+0x10        explicit kind, for a name the bare form would misread
///     mapping(x)
enum AddressSyntax {
    static let expectedAddress = "an address (a number, NAME, NAME+OFFSET, state(NAME)+OFFSET or mapping(NAME)+OFFSET)"

    static func read(_ token: Token, handles: HandleKinds) throws(TokenError) -> DeviceAddress {
        if let first = token.text.first, first.isASCII, first.isNumber {
            return .absolute(try ScriptNumber.read(token))
        }
        let parts = token.pieces(separatedBy: "+")
        guard parts.count <= 2 else { throw .expected(expectedAddress, found: token) }
        let offset = parts.count == 2 ? try ScriptNumber.read(parts[1]) : 0
        return try handle(parts[0], offset: offset, handles: handles, whole: token)
    }

    /// Canonical text: hex numbers, the offset left out when zero, and the explicit kind
    /// only where the bare name would resolve to the other kind.
    static func text(of address: DeviceAddress, handles: HandleKinds) -> String {
        switch address {
        case .absolute(let value):
            return ScriptNumber.hex(value)
        case .state(let name, let offset):
            return handleText(name, .state, offset: offset, handles: handles)
        case .mapping(let name, let offset):
            return handleText(name, .mapping, offset: offset, handles: handles)
        }
    }

    private static func handle(
        _ head: Token, offset: UInt64, handles: HandleKinds, whole: Token
    ) throws(TokenError) -> DeviceAddress {
        let (kind, name) = explicitKind(of: head.text) ?? (handles.kind(of: head.text), head.text)
        guard NameSyntax.isValid(name) else { throw .expected(expectedAddress, found: whole) }
        return kind == .state ? .state(name, offset: offset) : .mapping(name, offset: offset)
    }

    /// `state(NAME)` or `mapping(NAME)`; nil for anything else.
    private static func explicitKind(of text: String) -> (HandleKinds.Kind, String)? {
        for (word, kind) in [("state(", HandleKinds.Kind.state), ("mapping(", .mapping)]
        where text.hasPrefix(word) && text.hasSuffix(")") {
            return (kind, String(text.dropFirst(word.count).dropLast()))
        }
        return nil
    }

    private static func handleText(_ name: String, _ kind: HandleKinds.Kind, offset: UInt64, handles: HandleKinds) -> String {
        let base = handles.kind(of: name) == kind ? name : "\(kind == .state ? "state" : "mapping")(\(name))"
        return offset == 0 ? base : base + "+" + ScriptNumber.hex(offset)
    }
}
