import DMASim

/// Both sides' results in the words op-script claims use (`ok iova=…`, `error EIO`,
/// `fault write at …`), so a reader compares like with like.
extension OracleComparer {
    func describe(_ kernel: KernelOutcome) -> String {
        var words: [String]
        switch kernel.status {
        case .ok: words = ["ok"]
        case .fallback: words = ["fallback"]
        case .mappingError: words = ["error mapping"]
        case .errno(let number): words = ["error " + KernelErrno.name(number)]
        case .fault(let address, let isWrite): words = ["fault \(isWrite ? "write" : "read") at \(hex(address))"]
        case .oops(let text): words = ["oops (\(text))"]
        case .harness(let why): words = ["harness failure: " + why]
        case .inexpressible(let why): words = ["not done: " + why]
        }
        if let address = kernel.address { words.append("iova=" + hex(address)) }
        if let digest = kernel.digest { words.append("digest=" + hex(digest)) }
        return words.joined(separator: " ")
    }

    func describe(_ outcome: Outcome) -> String {
        var words: [String]
        switch outcome.status {
        case .ok: words = ["ok"]
        case .fallback: words = ["fallback"]
        case .mappingError: words = ["error mapping"]
        case .errno(let errno): words = ["error " + errno.rawValue]
        case .fault(let fault): words = ["fault \(fault.isWrite ? "write" : "read") at \(hex(fault.address)) (\(fault.kind.rawValue))"]
        case .rejected(let why): words = ["rejected (\(why))"]
        case .oops: words = ["oops"]
        }
        if let address = outcome.address { words.append("iova=" + hex(address)) }
        if let digest = outcome.digest { words.append("digest=" + hex(digest)) }
        return words.joined(separator: " ")
    }
}
