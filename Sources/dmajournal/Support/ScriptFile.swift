import Foundation
import OpScript

/// An op script read from disk and parsed.
struct ScriptFile {
    let fileName: String
    let script: Script

    /// Reads and parses `path`; a missing file or a syntax error is bad input.
    static func load(_ path: String) throws -> ScriptFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.badInput("\(path): cannot read the file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure.badInput("\(path): not UTF-8 text")
        }
        do {
            return ScriptFile(fileName: path, script: try ScriptParser().parse(text, fileName: path))
        } catch {
            throw CLIFailure.badInput(error.description)
        }
    }
}
