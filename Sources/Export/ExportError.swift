import Journal

/// Why an export or a report could not be written, as one line naming the place: the
/// journal file, the output path, the table. The command-line tool prints `description`
/// and exits with status 2 (bad input), or 3 (a tool failure) for `writeFailed` and a
/// journal's I/O error or full disk.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The journal could not be read (missing, not a journal, corrupt, a bad record).
    case journal(JournalError)
    /// The output could not be created (a missing folder, a directory, no permission).
    case cannotWrite(path: String, reason: String)
    /// The output was opened but a write, flush, close or the rename into place failed
    /// (ENOSPC, EIO): the machine's failure, not the path's.
    case writeFailed(path: String, reason: String)
    /// `--table NAME` named no table the CSV export knows.
    case unknownTable(name: String, known: [String])
    /// The table exists in the CSV export but not in this journal (an older schema).
    case tableNotInJournal(path: String, table: String, schemaVersion: Int)
    /// A name the op-script format cannot spell, so the exported script would not parse.
    case unscriptableName(path: String, kind: String, name: String)
    /// A sequence window with nothing in it (`--from-seq` after `--to-seq`).
    case emptyWindow(from: Int, to: Int)
    /// `--time kernel` on a journal whose ops carry no time (no `time_ns`, no `advance`).
    case noKernelTime(path: String)
    /// An imported trace's simulation could not be made (its description).
    case importedTrace(String)

    public var description: String {
        switch self {
        case .journal(let error):
            return error.description
        case .cannotWrite(let path, let reason), .writeFailed(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .unknownTable(let name, let known):
            return "no CSV table '\(name)'; known: \(known.joined(separator: ", "))"
        case .tableNotInJournal(let path, let table, let version):
            return "\(path): the journal (schema version \(version)) has no '\(table)' table"
        case .unscriptableName(let path, let kind, let name):
            return "\(path): \(kind) name '\(name)' cannot be written in an op script ([A-Za-z_][A-Za-z0-9_.:-]*)"
        case .emptyWindow(let from, let to):
            return "--from-seq \(from) is after --to-seq \(to): the window is empty"
        case .noKernelTime(let path):
            return "\(path): no op carries a kernel time (time=, advance, an imported timestamp): --time kernel has nothing to show; use --time ops"
        case .importedTrace(let description):
            return description
        }
    }
}
