import DMASim

/// What may follow one verb on a line: the name it takes (if any), then the keys and bare
/// flags it accepts, in the order the printer writes them. The parser checks every line
/// against this table; a test checks the printer follows its order.
struct VerbGrammar: Hashable {
    enum Field: Hashable {
        /// `key=value`.
        case key(String)
        /// A bare word such as `untrusted`.
        case flag(String)

        /// The field as a message lists it: `len=` or `untrusted`.
        var spelling: String {
            switch self {
            case .key(let key): return key + "="
            case .flag(let flag): return flag
            }
        }
    }

    let nameRole: NameRole?
    /// The verb takes a duration before its keys (`advance 10ms`), optional when `time=`
    /// is given.
    let takesDuration: Bool
    /// The verb's own keys and flags; every verb also takes `placementFields`.
    let fields: [Field]

    /// Keys any line may end with, after the verb's own: where and when the op ran.
    static let placementFields: [Field] = [.key("cpu"), .key("time")]

    /// `fields` as written in the format: `"len= dir= untrusted"`, where a trailing `=`
    /// marks a key and a bare word a flag.
    init(_ nameRole: NameRole?, _ fields: String = "", takesDuration: Bool = false) {
        self.nameRole = nameRole
        self.takesDuration = takesDuration
        self.fields = fields.split(separator: " ").map { word in
            word.hasSuffix("=") ? .key(String(word.dropLast())) : .flag(String(word))
        }
    }

    static func of(_ kind: OpKind) -> VerbGrammar {
        switch kind {
        case .machine: return VerbGrammar(nil, "arch= kernel= cpus= hz= dma-debug= tick-phase=")
        case .region: return VerbGrammar(.region, "base= size= kind=")
        case .iommu:
            return VerbGrammar(.iommu, "mode= granule= page-sizes= aperture-bits= needs-sync-map fq-size= fq-timer= forcedac reserve=")
        case .device: return VerbGrammar(.device, "iommu= dma-bits= coherent noncoherent untrusted bus= group= min-align-mask=")
        case .swiotlb: return VerbGrammar(nil, "size= base= force noforce")
        default: return callGrammar(kind)
        }
    }

    /// Grammars of the calls, accesses and policy events (everything but topology).
    private static func callGrammar(_ kind: OpKind) -> VerbGrammar {
        switch kind {
        case .alloc: return VerbGrammar(.state, "dev= phys= size=")
        case .link: return VerbGrammar(.state, "off= phys= len= dir= attrs=")
        case .sync: return VerbGrammar(.state, "off= len=")
        case .unlink: return VerbGrammar(.state, "off= len= dir= attrs=")
        case .destroy: return VerbGrammar(.state, "mapped= dir= attrs=")
        case .free: return VerbGrammar(.state)
        case .map: return VerbGrammar(.mapping, "dev= phys= len= dir= attrs=")
        case .unmap: return VerbGrammar(.mapping, "len= dir= attrs=")
        case .syncForCPU, .syncForDevice: return VerbGrammar(.mapping, "off= len= dir=")
        case .mappingError: return VerbGrammar(.mapping)
        case .cpuWrite: return VerbGrammar(nil, "phys= len= fill=")
        case .cpuRead: return VerbGrammar(nil, "phys= len=")
        case .deviceWrite: return VerbGrammar(.device, "addr= len= fill=")
        case .deviceRead: return VerbGrammar(.device, "addr= len=")
        case .flush: return VerbGrammar(.iommu, "dev= at=")
        case .detach: return VerbGrammar(.device)
        case .advance: return VerbGrammar(nil, takesDuration: true)
        default: return VerbGrammar(.checkpoint)
        }
    }

    /// The field a word names, whether or not it was written with the right shape.
    func field(named name: String) -> Field? {
        (fields + Self.placementFields).first { $0 == .key(name) || $0 == .flag(name) }
    }
}
