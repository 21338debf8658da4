import DMASim

/// Reads the op part of one line: the verb, the name its grammar wants, then its fields.
/// One small function per verb builds the `Op` (in the `OpReader+…` files); the value
/// helpers below are shared by all of them.
struct OpReader {
    let kind: OpKind
    /// Where the verb stands, for complaints about the line as a whole.
    let verbColumn: Int
    /// The name after the verb (state, mapping, device, …); empty for verbs that take none.
    let name: String
    /// The duration after `advance`, when given.
    let durationToken: Token?
    let fields: Fields
    /// Handles declared by earlier lines, to resolve bare names in `addr=`.
    let handles: HandleKinds
    /// The architecture of the script's `machine` line (x86-64 without one): an `iommu`
    /// line without `mode=` gets its default domain type.
    let architecture: Architecture

    static let verbs = OpKind.allCases.map(\.rawValue)

    init(_ run: TokenRun, handles: HandleKinds, architecture: Architecture = MachineSpec().arch) throws(TokenError) {
        let verb = run.tokens.first ?? run.end
        guard !verb.isEndOfLine, let kind = OpKind(rawValue: verb.text) else {
            throw .expected(WordSyntax.listing(Self.verbs, as: "a verb"), found: verb)
        }
        let grammar = VerbGrammar.of(kind)
        var rest = run.tokens.dropFirst()
        if let role = grammar.nameRole {
            name = try NameSyntax.read(rest.first ?? run.end, as: role)
            rest = rest.dropFirst()
        } else {
            name = ""
        }
        if grammar.takesDuration, let first = rest.first, first.keyValue == nil {
            durationToken = first
            rest = rest.dropFirst()
        } else {
            durationToken = nil
        }
        self.kind = kind
        verbColumn = verb.column
        self.handles = handles
        self.architecture = architecture
        fields = try Fields(Array(rest), verb: verb, grammar: grammar)
    }

    /// Builds the op: one dispatcher, one function per verb, then where and when it ran.
    func op() throws(TokenError) -> Op {
        var op = try callOp()
        op.cpu = try fields.optional("cpu", as: Self.cpuNumber) ?? 0
        op.time = try fields.optional("time", as: Self.time)
        return op
    }

    private func callOp() throws(TokenError) -> Op {
        switch kind {
        case .machine, .region, .iommu, .device, .swiotlb: return try topologyOp()
        case .alloc, .link, .sync, .unlink, .destroy, .free: return try twoStepOp()
        case .map, .unmap, .syncForCPU, .syncForDevice, .mappingError: return try streamingOp()
        case .cpuWrite, .cpuRead, .deviceWrite, .deviceRead: return try accessOp()
        case .flush, .detach, .checkpoint, .verify: return try policyOp()
        case .advance: return try advanceOp()
        }
    }
}

// Values every verb reads the same way.
extension OpReader {
    func number(_ key: String) throws(TokenError) -> UInt64 {
        try fields.required(key, as: ScriptNumber.read(_:))
    }

    /// `off=`, which defaults to 0.
    func offset() throws(TokenError) -> UInt64 {
        try fields.optional("off", as: ScriptNumber.read(_:)) ?? 0
    }

    /// `dir=`, required wherever it is accepted: the kernel call has no default direction.
    func direction() throws(TokenError) -> DMADirection {
        try fields.required("dir", as: WordSyntax.direction)
    }

    /// `attrs=`, empty when left out.
    func attributes() throws(TokenError) -> DMAAttributes {
        try fields.optional("attrs", as: WordSyntax.attributes) ?? []
    }

    func fill() throws(TokenError) -> Fill {
        try fields.required("fill", as: FillSyntax.read)
    }

    func address() throws(TokenError) -> DeviceAddress {
        let handles = handles
        return try fields.required("addr") { (token) throws(TokenError) in
            try AddressSyntax.read(token, handles: handles)
        }
    }

    /// `cpu=`: a CPU number the machine could have; the engine checks it against `cpus=`.
    static func cpuNumber(_ token: Token) throws(TokenError) -> Int {
        try ScriptNumber.read(token, in: 0...UInt64(MachineSpec.maxCPUCount - 1),
                              as: "a CPU number from 0 to \(MachineSpec.maxCPUCount - 1)")
    }

    /// `time=` and `advance`'s duration: `12.094264s`, `10ms`, `250us`, `5000ns`.
    static func time(_ token: Token) throws(TokenError) -> UInt64 {
        do {
            return try DurationText.value(of: token.text)
        } catch {
            switch error {
            case .malformed: throw .expected(DurationText.form, found: token)
            case .finerThanNanoseconds: throw .expected("a time in whole nanoseconds", found: token)
            case .overflow: throw .expected("a time that fits in 64 bits of nanoseconds", found: token)
            }
        }
    }

    /// A key whose value is a name: `dev=`, `group=`.
    func nameValue(_ key: String, as role: NameRole) throws(TokenError) -> String? {
        try fields.optional(key) { (token) throws(TokenError) in try NameSyntax.read(token, as: role) }
    }
}
