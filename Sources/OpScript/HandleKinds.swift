import DMASim

/// Which handles a script has declared so far, and as what: `alloc NAME` declares an IOVA
/// state, `map NAME` a streaming mapping (the latest declaration wins).
///
/// A bare `addr=NAME` is resolved against this table at the point the line appears, and
/// a name not declared yet follows the naming habit: `m…` is a mapping, anything else a
/// state. The parser and the printer walk the same table, so the printer knows when the
/// bare form would be misread and writes `state(NAME)` or `mapping(NAME)` instead.
struct HandleKinds: Sendable {
    enum Kind: Hashable {
        case state, mapping
    }

    private var declared: [String: Kind] = [:]

    /// Notes the handle an `alloc` or `map` declares; other ops declare none.
    mutating func record(_ op: Op) {
        switch op.call {
        case .alloc(let alloc): declared[alloc.state] = .state
        case .map(let map): declared[map.mapping] = .mapping
        default: break
        }
    }

    /// What a bare `NAME` in an address means here.
    func kind(of name: String) -> Kind {
        declared[name] ?? (name.hasPrefix("m") ? .mapping : .state)
    }
}
