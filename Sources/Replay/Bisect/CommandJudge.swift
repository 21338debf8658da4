import Foundation

/// `bisect --run CMD`: runs `/bin/sh -c CMD` with the reproducer script of a prefix as
/// `$1` (also in `DMAJOURNAL_SCRIPT`, its last seq in `DMAJOURNAL_SEQ`) and reads the exit
/// status the way `git bisect run` does: 0 good, 125 skip, 1–127 bad, anything else (a
/// signal, 128 and above) aborts the bisection.
struct CommandJudge {
    let command: String
    let scripts: PrefixScripts

    func judge(through seq: Int) throws(ReplayError) -> PrefixVerdict {
        let script: String
        do { script = try scripts.writePrefix(through: seq) } catch {
            throw .commandAborted("cannot write the prefix script: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: script) }
        return try Self.judge(script: script, seq: seq, command: command)
    }

    /// Runs `command` on the script at `script` (the prefix through `seq`, or a candidate
    /// reproducer whose last op is `seq`).
    static func judge(script: String, seq: Int, command: String) throws(ReplayError) -> PrefixVerdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command, "sh", script]
        var environment = ProcessInfo.processInfo.environment
        environment["DMAJOURNAL_SCRIPT"] = script
        environment["DMAJOURNAL_SEQ"] = String(seq)
        process.environment = environment
        do { try process.run() } catch { throw .commandAborted("cannot start /bin/sh: \(error.localizedDescription)") }
        process.waitUntilExit()
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status < 128 else {
            throw .commandAborted("'\(command)' ended with status \(status) on the script through seq \(seq); aborted")
        }
        switch status {
        case 0: return .good
        case 125: return .skip
        default: return .bad
        }
    }
}
