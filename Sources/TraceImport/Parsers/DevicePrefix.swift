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

    /// The `driver device: ` that ends `range` (after trimming), wherever it starts: what
    /// precedes a report when something else came first (`=> nvme 0000:00:01.0: swiotlb …`,
    /// `… ahci 0000:28:00.0: AMD-Vi: Event logged [`).
    static func ending(_ bytes: [UInt8], at range: Range<Int>) -> DevicePrefix? {
        var trimmed = bytes.trimmed(range)
        // `driver device: AMD-Vi: `: a pr_fmt name between the prefix and the report.
        for _ in 0..<2 {
            guard trimmed.count > 3, bytes[trimmed.upperBound - 1] == .colon else { return nil }
            let deviceStart = bytes[trimmed.lowerBound..<(trimmed.upperBound - 1)].lastIndex(of: .space).map { $0 + 1 }
            guard let deviceStart else { return nil }
            let driverEnd = deviceStart - 1
            let driverStart = bytes[trimmed.lowerBound..<driverEnd].lastIndex(of: .space).map { $0 + 1 } ?? trimmed.lowerBound
            if driverStart < driverEnd, let prefix = parse(bytes, driverStart..<range.upperBound), prefix.device.upperBound == trimmed.upperBound - 1 {
                return prefix
            }
            trimmed = bytes.trimmed(trimmed.lowerBound..<deviceStart)
        }
        return nil
    }
}
