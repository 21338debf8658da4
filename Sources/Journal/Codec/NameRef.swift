/// What a name in the `names` table names. The kind keeps an IOVA state and a streaming
/// mapping that share a handle apart, as the engine does.
enum NameKind: String, Sendable, CaseIterable {
    case device, iommu, region, state, mapping, checkpoint
}

/// A name an op mentions, before it is interned to an id.
struct NameRef: Hashable, Sendable {
    var kind: NameKind
    var name: String

    init(_ kind: NameKind, _ name: String) {
        self.kind = kind
        self.name = name
    }
}
