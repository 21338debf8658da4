// Lists the public declarations of the products for outside use that have no doc comment,
// from their symbol graphs (scripts/public-docs.sh extracts them with swift-symbolgraph-extract
// and runs this). Run by the interpreter: swift scripts/undocumented-public.swift DIR MODULE...
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let directory = arguments.first, arguments.count > 1 else {
    FileHandle.standardError.write(Data("usage: undocumented-public.swift SYMBOLGRAPH-DIR MODULE...\n".utf8))
    exit(2)
}
let modules = Set(arguments.dropFirst())
var undocumented: [String] = []
let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
for file in files.sorted() where file.hasSuffix(".symbols.json") {
    // MODULE.symbols.json, and MODULE@OTHER.symbols.json for its extensions of OTHER's types.
    let module = String(file.prefix { $0 != "." && $0 != "@" })
    guard modules.contains(module),
          let data = FileManager.default.contents(atPath: directory + "/" + file),
          let graph = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let symbols = graph["symbols"] as? [[String: Any]] else { continue }
    for symbol in symbols where symbol["docComment"] == nil {
        let kind = ((symbol["kind"] as? [String: Any])?["identifier"] as? String ?? "?").replacingOccurrences(of: "swift.", with: "")
        let path = (symbol["pathComponents"] as? [String] ?? []).joined(separator: ".")
        undocumented.append("\(module) \(kind) \(path)")
    }
}
print(Set(undocumented).sorted().joined(separator: "\n"))
