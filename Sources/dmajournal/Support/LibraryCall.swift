/// Runs a call into one of the libraries (Journal, Replay, …), whose typed errors have
/// already been worded for the user and, by the time they reach the CLI, mean bad input:
/// a missing or corrupt journal, an override that fits no declaration — except an I/O
/// error or a full disk, a tool failure (`ToolFailureKind`). The closure's
/// throws clause must be spelled out (`() throws(JournalError) -> T in`) for Swift to
/// infer the error type.
func libraryCall<T, Failure: Error & CustomStringConvertible>(_ body: () throws(Failure) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure.from(error, message: error.description) }
}
