import Foundation

/// `bisect --run CMD`: runs `/bin/sh -c CMD` with the reproducer script of a prefix as
/// `$1` (also in `DMAJOURNAL_SCRIPT`, its last seq in `DMAJOURNAL_SEQ`) and reads the exit
/// status the way `git bisect run` does: 0 good, 125 skip, 1–127 bad, anything else (a
/// signal, 128 and above) aborts the bisection. 126 and 127 are the shell's "cannot
/// execute" and "command not found": counting them as bad made a bisect with `dmajournal`
/// missing from PATH answer "seq 0" with confidence, so they stop it with that reason.
struct CommandJudge {
    let command: String
    let scripts: PrefixScripts

    func judge(through seq: Int) throws(ReplayError) -> PrefixJudgement {
        let script: PrefixScript
        do { script = try scripts.writePrefix(through: seq) } catch {
            throw .commandAborted("cannot write the prefix script: \(error.localizedDescription)")
        }
        defer { script.remove() }
        return try Self.judge(script: script.path, seq: seq, command: command)
    }

    /// `command` with the script path as its last argument when it does not name it
    /// itself: `--run ./check.sh` runs `./check.sh SCRIPT`, as `git bisect run CMD ARGS`
    /// and creduce's interestingness tests expect, and `--run 'dmajournal run "$1"'`
    /// stays as written.
    static func passingScript(to command: String) -> String {
        let names = ["$1", "${1", "$@", "${@", "$*", "${*", "$DMAJOURNAL_SCRIPT", "${DMAJOURNAL_SCRIPT"]
        return names.contains(where: command.contains) ? command : command + " \"$1\""
    }

    /// Runs `command` on the script at `script` (the prefix through `seq`, or a candidate
    /// reproducer whose last op is `seq`).
    static func judge(script: String, seq: Int, command: String) throws(ReplayError) -> PrefixJudgement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", Self.passingScript(to: command), "sh", script]
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
        case 0: return PrefixJudgement(verdict: .good, exitStatus: status)
        case 125: return PrefixJudgement(verdict: .skip, exitStatus: status)
        case 126, 127:
            let meaning = status == 127 ? "command not found (is it on PATH?)" : "found but cannot be executed"
            throw .commandAborted("'\(command)' exited \(status) on the script through seq \(seq): \(meaning); "
                                  + "bisect stopped (git bisect run's rules would count it as bad)")
        default: return PrefixJudgement(verdict: .bad, exitStatus: status)
        }
    }
}
