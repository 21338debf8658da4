/// Mail quoting: `> ` (or `>`) once per level, before the quoted line.
enum MailQuote {
    /// The quote depth of `line` and where its text starts. `> > [  12.3] …` is depth 2;
    /// the one space after each `>` belongs to the quote, any further indentation to the text.
    static func strip(_ line: [UInt8]) -> (depth: Int, textStart: Int) {
        var index = 0
        var depth = 0
        while index < line.count, line[index] == .greaterThan {
            depth += 1
            index += 1
            if index < line.count, line[index] == .space, index + 1 < line.count, line[index + 1] == .greaterThan {
                index += 1
            } else if index < line.count, line[index] == .space {
                index += 1
                break
            }
        }
        return (depth, index)
    }
}
