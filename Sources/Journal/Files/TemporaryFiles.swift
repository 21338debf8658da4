import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a writer creates beside its output before renaming them into place
/// (`OUT.partial-PID`, a journal's `.importing` copy), and the scratch scripts `bisect
/// --run` and `minimize --run` hand to the user's command, so that a signal handler can
/// remove them: Ctrl-C or SIGTERM must leave no half-written file behind.
///
/// The handler may run at any instruction, so what it reads is kept where it needs no
/// allocation and no lock: a fixed table of atomic slots, each holding a C string made
/// when the file was registered. `removeAll()` only loads slots and calls `unlink(2)`,
/// which POSIX lists as async-signal-safe.
package enum TemporaryFiles {
    /// More files than this at once (the CSV export writes one at a time) are still
    /// written, only not removed by a signal.
    static let capacity = 64

    // The pointer never changes after it is made, and every slot is atomic.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Atomic<Int>> = {
        let slots = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: capacity)
        for index in 0..<capacity { (slots + index).initialize(to: Atomic(0)) }
        return slots
    }()

    /// A registered file; `release()` forgets it (after it was renamed or removed).
    package struct Registration: Sendable {
        let slot: Int?

        /// Forgets the file: a later signal leaves it alone. The path's C string is not
        /// freed: a handler running at this moment may still be reading it, and freed
        /// memory reused for another path could make it unlink that one. A process
        /// registers a handful of files, so the bytes left are a handful of paths.
        package func release() {
            guard let slot else { return }
            TemporaryFiles.slots[slot].store(0, ordering: .sequentiallyConsistent)
        }
    }

    /// Registers `path` for removal if a signal ends the process before `release()`.
    package static func register(_ path: String) -> Registration {
        guard let copy = strdup(path) else { return Registration(slot: nil) }
        let address = Int(bitPattern: copy)
        for slot in 0..<capacity where slots[slot].compareExchange(expected: 0, desired: address, ordering: .sequentiallyConsistent).exchanged {
            return Registration(slot: slot)
        }
        free(copy)
        return Registration(slot: nil)
    }

    /// Removes every registered file, then every registered directory (a scratch folder
    /// registered beside the files in it is empty by then). Async-signal-safe: call it
    /// from a signal handler (`unlink(2)` and `rmdir(2)` are both on POSIX's list).
    package static func removeAll() {
        for slot in 0..<capacity {
            let address = slots[slot].load(ordering: .sequentiallyConsistent)
            if let path = UnsafePointer<CChar>(bitPattern: address) { unlink(path) }
        }
        for slot in 0..<capacity {
            let address = slots[slot].load(ordering: .sequentiallyConsistent)
            if let path = UnsafePointer<CChar>(bitPattern: address) { rmdir(path) }
        }
    }
}
