import Journal

/// `report` and `export` show a journal's rows as they are, damaged or not: that is how
/// one looks at the damage. A damaged journal (`JournalStructure`) gets one warning line
/// on stderr first, so the output is not taken for a sound recording. Other failures are
/// left to the command, which reports them as its own.
enum DamageWarning {
    static func check(_ journal: String) {
        do {
            _ = try JournalReader(path: journal)
        } catch {
            guard case .damaged = error else { return }
            StandardError.write("dmajournal: warning: \(error.description); the output shows its rows as they are")
        }
    }
}
