/// The command line before argument-parser sees it.
enum CommandLineWords {
    /// Moves a word that begins with `-` but holds whitespace (SQL such as
    /// `"-- faults\nSELECT …"`, which no option name can be) behind a `--`, so it is read
    /// as the positional argument it is. Left alone when a `--` is already there.
    static func protectingDashedText(_ words: [String]) -> [String] {
        guard !words.contains("--") else { return words }
        let isText = { (word: String) in
            word.hasPrefix("-") && word.contains(where: \.isWhitespace) && !isOptionWithValue(word)
        }
        let texts = words.filter(isText)
        guard !texts.isEmpty else { return words }
        return words.filter { !isText($0) } + ["--"] + texts
    }

    /// `--name=value`: an option whose value may hold spaces.
    private static func isOptionWithValue(_ word: String) -> Bool {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return false }
        return word[word.index(word.startIndex, offsetBy: 2)..<equals].allSatisfy { $0.isLetter || $0 == "-" }
    }
}
