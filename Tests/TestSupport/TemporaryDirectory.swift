import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String = "dmajournal-tests") {
        var template = Array((NSTemporaryDirectory() + prefix + "-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }
}
