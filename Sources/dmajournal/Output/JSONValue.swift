import Foundation

import Journal

/// A JSON value for the one-object reports of `--format json` (bisect, minimize, replay,
/// verify, diff, import, record): keys keep the order given, so output diffs cleanly.
/// Addresses go in as hex strings (`.hex`): JSON numbers lose 64-bit precision.
indirect enum JSONValue {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case hex(UInt64)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    var text: String {
        switch self {
        case .string(let text): return JSONString.literal(text)
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? String(format: "%.3f", value) : "null"
        case .bool(let value): return String(value)
        case .hex(let value): return JSONString.literal("0x" + String(value, radix: 16))
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.map { JSONString.literal($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .null: return "null"
        }
    }
}

/// A report object: `print(JSONObject([...]).text)`.
struct JSONObject {
    let fields: [(String, JSONValue)]
    init(_ fields: [(String, JSONValue)]) { self.fields = fields }
    var text: String { JSONValue.object(fields).text }
}
