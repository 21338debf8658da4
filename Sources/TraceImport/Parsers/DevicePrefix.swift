/// `dev_printk`'s prefix, `driver device: ` (`xhci_hcd 0000:00:14.0: `,
/// `arm-smmu 15000000.iommu: `), at the start of a kernel log message.
struct DevicePrefix {
    let driver: Range<Int>
    let device: Range<Int>
    /// Where the message after the prefix starts.
    let rest: Int

    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> DevicePrefix? {
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        let driver = scanner.word()
        guard !driver.isEmpty, bytes[driver.upperBound - 1] != .colon, scanner.skip(byte: .space) else { return nil }
        let device = scanner.word()
        guard device.count > 1, bytes[device.upperBound - 1] == .colon else { return nil }
        let name = device.lowerBound..<(device.upperBound - 1)
        guard !bytes[name].contains(.equals), !bytes[name].contains(.openBracket) else { return nil }
        scanner.skipSpaces()
        return DevicePrefix(driver: driver, device: name, rest: scanner.position)
    }
}
