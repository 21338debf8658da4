/// The prefix QEMU's `log` trace backend writes before each event:
/// `PID@SECONDS.MICROS:` (host wall-clock seconds since the epoch), then the event
/// name and its arguments: `236498@1676271757.075075:vtd_dmar_fault sid 0xb00 …`.
enum QemuPrefix {
    static func parse(_ bytes: [UInt8], from start: Int) -> LinePrefix? {
        var scanner = TextScanner(bytes, from: start)
        scanner.skipSpaces()
        guard let pid = scanner.decimal(), scanner.skip(byte: .at) else { return nil }
        let secondsStart = scanner.position
        guard let seconds = scanner.decimal(), scanner.skip(byte: .dot) else { return nil }
        let fractionStart = scanner.position
        guard scanner.decimal() != nil else { return nil }
        let fraction = fractionStart..<scanner.position
        guard scanner.skip(byte: .colon), secondsStart < fractionStart else { return nil }
        var prefix = LinePrefix(format: .qemu, messageStart: scanner.position)
        prefix.pid = pid.asInt
        prefix.wallClock = CalendarText.iso8601UTC(epochSeconds: seconds, fraction: bytes.text(fraction))
        return prefix
    }
}
