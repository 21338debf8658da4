import DMASim

/// arm-smmu (SMMUv1/v2) context faults (drivers/iommu/arm/arm-smmu/arm-smmu.c), printed
/// for the SMMU, not for the device that faulted:
///
///     arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0xd65504710, fsynr=0x100011, cbfrsynra=0x0, cb=6
///     arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF], SID=0x0           (6.10+ decode)
///     arm-smmu 15000000.iommu: FSYNR0 = 00100011 [S1CBNDX=16 WNR PLVL=1]
///
/// A context bank is one domain, so the faulting "device" is journaled as the SMMU and
/// its context bank (`15000000.iommu/cb6`). FSYNR0.WNR (bit 4) says write; FSR.TF (bit 1)
/// a translation fault, FSR.PF (bit 3) a permission fault.
enum ARMSMMUMessages {
    static let contextFault = utf8("Unhandled context fault:")
    static let fsr = utf8("fsr"), iova = utf8("iova"), fsynr = utf8("fsynr"), cb = utf8("cb")
    static let decodeLines: [[UInt8]] = ["FSR ", "FSR=", "FSYNR0 ", "FSYNR1 ", "CBFRSYNRA ", "FAR "].map { Array($0.utf8) }
    static let globalFault = utf8("Unexpected global fault")

    static let fsrTranslation: UInt64 = 1 << 1, fsrAccessFlag: UInt64 = 1 << 2, fsrPermission: UInt64 = 1 << 3
    static let fsynrWrite: UInt64 = 1 << 4

    /// Nil when the message is not an arm-smmu report. The SMMU is the `dev_err` prefix's
    /// device, or whatever `name:` comes right before the report (Xen prints
    /// `(XEN) smmu: /smmu@fd800000: Unhandled context fault: …`).
    static func parse(_ record: TraceRecord, _ range: Range<Int>, devices: DeviceDirectory) -> LineResult? {
        let bytes = record.text
        if let prefix = DevicePrefix.parse(bytes, range), bytes.hasPrefix(utf8("arm-smmu"), at: prefix.driver.lowerBound),
           !bytes.hasPrefix(SMMUv3Report.driver, at: prefix.driver.lowerBound) {
            let body = prefix.rest..<range.upperBound
            if decodeLines.contains(where: { bytes.hasPrefix($0, at: body.lowerBound) }) { return .context }
            if bytes.hasPrefix(globalFault, at: body.lowerBound) { return .skipped(.faultWithoutAddress) }
        }
        guard let marker = TextScanner.find(contextFault, in: bytes, from: range.lowerBound, to: range.upperBound) else { return nil }
        let values = KeyValueFields(bytes, (marker + contextFault.count)..<range.upperBound)
        var event = record.event(.fault, "arm_smmu_context_fault")
        guard let address = values.hex(iova) else { return .skipped(.malformed(event.naming, missing: "iova")) }
        event.address = address
        let smmu = smmuName(bytes, range.lowerBound..<marker)
        event.device = values.decimal(cb).map { "\(smmu)/cb\($0)" } ?? smmu
        event.isWrite = values.hex(fsynr).map { $0 & fsynrWrite != 0 }
        if let status = values.hex(fsr) {
            if status & fsrPermission != 0 {
                event.faultKind = .permission
            } else if status & (fsrTranslation | fsrAccessFlag) != 0 {
                event.faultKind = .notPresent
            }
            event.reason = "fsr \(String(format2: status))"
        }
        return .event(event)
    }

    /// The last `name:` before the report: the SMMU's device name.
    private static func smmuName(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let trimmed = bytes.trimmed(range)
        guard trimmed.count > 1, bytes[trimmed.upperBound - 1] == .colon else { return "smmu" }
        let end = trimmed.upperBound - 1
        let start = bytes[trimmed.lowerBound..<end].lastIndex(of: .space).map { $0 + 1 } ?? trimmed.lowerBound
        return start < end ? bytes.text(start..<end) : "smmu"
    }
}
