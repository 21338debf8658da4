import DMASim

/// arm-smmu (SMMUv1/v2) context faults (drivers/iommu/arm/arm-smmu/arm-smmu.c), printed
/// for the SMMU, not for the device that faulted. Over the kernel's history:
///
///     arm-smmu 2b400000.smmu: Unhandled context fault: iova=0x00001000, fsynr=0x11, cb=0               (3.x)
///     arm-smmu 2b400000.smmu: Unhandled context fault: fsr=0x402, iova=0x…, fsynr=0x11, cb=0           (4.x)
///     arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0xd65504710, fsynr=0x100011, cbfrsynra=0x0, cb=6   (5.x+)
///     arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF], SID=0x0                            (6.10+ decode lines)
///     arm-smmu 15000000.iommu: FSYNR0 = 00100011 [S1CBNDX=16 WNR PLVL=1]
///     arm-smmu 15000000.apps-smmu: Unhandled context fault: iova=0x00001000, cb=0, fsr=0x40000402, fsynr0=0x200001, fsynr1=0x0   (Qualcomm trees)
///
/// A context bank is one domain, so the faulting "device" is journaled as the SMMU and
/// its context bank (`15000000.iommu/cb6`). FSYNR0.WNR (bit 4) says write; FSR.TF (bit 1)
/// a translation fault, FSR.PF (bit 3) a permission fault. The register dump Qualcomm's
/// trees (and 6.10+) print after a fault belongs to it.
enum ARMSMMUMessages {
    static let faultMarkers: [[UInt8]] = ["Unhandled context fault:", "Context fault handled by client:"].map { Array($0.utf8) }
    static let fsr = utf8("fsr"), iova = utf8("iova"), fsynr = utf8("fsynr"), fsynr0 = utf8("fsynr0"), cb = utf8("cb")
    static let decodeLines: [[UInt8]] = [
        "FSR ", "FSR=", "FSYNR0 ", "FSYNR1 ", "CBFRSYNRA ", "FAR ", "FAR=", "PAR ", "PAR=", "TTBR0 ", "TTBR1 ", "SCTLR ",
        "ACTLR ", "CBAR ", "MAIR0 ", "MAIR1 ", "Client info:", "soft iova-to-phys", "hard iova-to-phys",
        "SOFTWARE TABLE WALK FAILED", "SID=", "SSD=", "TLBSYNC", "ATOS", "Stack trace:",
    ].map { Array($0.utf8) }
    static let globalFaults: [[UInt8]] = ["Unexpected global fault", "Unexpected context fault", "Blocked unknown Stream ID",
                                          "GFSR "].map { Array($0.utf8) }

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
            if globalFaults.contains(where: { bytes.hasPrefix($0, at: body.lowerBound) }) { return .skipped(.faultWithoutAddress) }
        }
        guard let (marker, markerEnd) = findMarker(bytes, range) else { return nil }
        let values = KeyValueFields(bytes, markerEnd..<range.upperBound)
        var event = record.event(.fault, "arm_smmu_context_fault")
        guard let address = values.hex(iova) else { return .skipped(.malformed(event.naming, missing: "iova")) }
        event.address = address
        let smmu = smmuName(bytes, range.lowerBound..<marker)
        event.device = values.decimal(cb).map { "\(smmu)/cb\($0)" } ?? smmu
        event.isWrite = (values.hex(fsynr) ?? values.hex(fsynr0)).map { $0 & fsynrWrite != 0 }
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

    private static func findMarker(_ bytes: [UInt8], _ range: Range<Int>) -> (Int, Int)? {
        for marker in faultMarkers {
            if let at = TextScanner.find(marker, in: bytes, from: range.lowerBound, to: range.upperBound) { return (at, at + marker.count) }
        }
        return nil
    }

    /// A context fault report cut after one of its comma-separated fields.
    static func isCutShort(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let trimmed = bytes.trimmed(range)
        guard !trimmed.isEmpty, bytes[trimmed.upperBound - 1] == .comma || bytes[trimmed.upperBound - 1] == .colon else { return false }
        return findMarker(bytes, range) != nil
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
