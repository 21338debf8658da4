import DMASim

/// `OutcomeStatus` without its payload: what `ops.status` stores.
enum StatusKind: String, CaseIterable {
    case ok, fallback, errno
    case mappingError = "mapping-error"
    case fault, rejected, oops

    init(_ status: OutcomeStatus) {
        switch status {
        case .ok: self = .ok
        case .fallback: self = .fallback
        case .errno: self = .errno
        case .mappingError: self = .mappingError
        case .fault: self = .fault
        case .rejected: self = .rejected
        case .oops: self = .oops
        }
    }
}
