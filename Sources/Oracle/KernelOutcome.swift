import DMASim

/// A kernel result in the model's terms, so the two can be compared aspect by aspect.
public struct KernelOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case ok, fallback, mappingError
        case errno(Int)
        /// The device access faulted: the IOMMU's first fault record.
        case fault(address: UInt64, isWrite: Bool)
        /// The call never returned: the kernel oopsed inside it.
        case oops(String)
        /// The module could not run the command (a harness failure, not a kernel result).
        case harness(String)
        /// The module declined it at run time: the guest cannot do it as the script means.
        case inexpressible(String)
    }
    public var status: Status
    /// The IOVA (`alloc`) or DMA address (`map`), in the script's address space.
    public var address: UInt64?
    public var digest: UInt64?
    /// XXH64 of each extent after the op.
    public var memory: [Int: UInt64]
    /// Whether faults could be read at all (VT-d); without, a fault is invisible.
    public var faultsObservable: Bool
}

extension KernelOutcome {
    /// Reads a result; `directAddress` turns a guest physical address (dma-direct, identity
    /// domains, swiotlb slots) into the script's.
    init(_ result: KernelResult, directAddress: (UInt64) -> UInt64) {
        memory = Self.memory(result.fields["mem"])
        faultsObservable = result.fields["faults"] != "unknown"
        address = nil
        digest = result.unsigned("digest")
        guard result.returned else {
            let first = result.messages.first { if case .oops = $0 { return true } else { return false } }
            let trace = result.oopsTrace.prefix(6).joined(separator: " <- ")
            status = .oops((first?.text ?? "the call did not return") + (trace.isEmpty ? "" : " in " + trace))
            return
        }
        if let error = result.fields["error"] {
            status = .harness("the module refused the command (error \(error))")
            return
        }
        switch result.verb {
        case "alloc":
            status = result.number("ret") == 1 ? .ok : .fallback
            if status == .ok { address = result.unsigned("addr") }
        case "link", "sync", "maperr":
            let ret = result.number("ret") ?? 0
            status = ret == 0 ? .ok : .errno(Int(-ret))
        case "map":
            if result.number("err") ?? 0 != 0 {
                status = .mappingError
            } else {
                status = .ok
                address = result.unsigned("addr").map(directAddress)
            }
        case "devw", "devr":
            if result.number("xfer") == -75 {   // -EOVERFLOW
                status = .inexpressible("the access runs past 2^64: QEMU's DMA would go on at physical address 0")
            } else if let xfer = result.number("xfer"), xfer != 0 {
                status = .harness("edu's transfer failed (\(xfer))")
            } else if let first = Self.faults(result.fields["faults"]).first {
                status = .fault(address: first.address, isWrite: first.isWrite)
                digest = nil
            } else {
                status = .ok
            }
        default:
            status = .ok
        }
    }

    /// "w@0xffffa000:0x5,r@..." -> the records in order.
    static func faults(_ text: String?) -> [(address: UInt64, isWrite: Bool)] {
        guard let text, text != "none", text != "unknown" else { return [] }
        return text.split(separator: ",").compactMap { record in
            let parts = record.split(separator: "@")
            guard parts.count == 2, let kind = parts[0].first,
                  let addressText = parts[1].split(separator: ":").first,
                  let address = UInt64(addressText.dropFirst(2), radix: 16) else { return nil }
            return (address, kind == "w")
        }
    }

    /// "0:0x1234,1:0x5678" -> [0: 0x1234, 1: 0x5678].
    static func memory(_ text: String?) -> [Int: UInt64] {
        guard let text else { return [:] }
        var out: [Int: UInt64] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let index = Int(parts[0]), let value = UInt64(parts[1].dropFirst(2), radix: 16) else { continue }
            out[index] = value
        }
        return out
    }
}
