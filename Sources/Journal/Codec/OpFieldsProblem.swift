/// Why stored columns do not make an op; the reader wraps it in `JournalError.invalidRecord`.
struct OpFieldsProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
