/// `dev_warn_once()` / `pr_warn_once()`: the kernel keeps one static flag per call site, so
/// the message is printed the first time that line runs in the boot, for whichever device
/// gets there first, and never again. The engine keeps the sites that have printed.
extension Engine {
    func warnOnce(_ site: String, _ message: String, into outcome: inout Outcome) {
        guard warnedOnce.insert(site).inserted else { return }
        outcome.warnings.append(message)
    }
}
