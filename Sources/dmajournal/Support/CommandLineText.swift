import Foundation

/// The command line this process was started with, quoted for a POSIX shell, for the
/// journal's `run.command_line`: pasted back into a shell it records the same run again.
enum CommandLineText {
    static var current: String { CommandLine.arguments.map(quoted).joined(separator: " ") }

    /// `word` as a shell reads it back: unchanged when it holds only characters no shell
    /// treats specially, else in single quotes (a single quote inside becomes `'\''`).
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || "_-./:=@%+,".unicodeScalars.contains(scalar)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
