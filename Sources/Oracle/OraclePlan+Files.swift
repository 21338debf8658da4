import Foundation

/// The plan as the files oracle/run.sh reads: guest.env (shell variables), commands (the
/// module's command text) and data.bin (the bytes writes put in memory).
extension OraclePlan {
    /// guest.env: IOMMU, AW_BITS, EDU, GROUP_TYPES, KARGS, MODULES, MEM.
    public var guestEnvironment: String {
        let groupTypes = devices.compactMap { device in device.domainType.map { "\(device.bdf)=\($0)" } }
        return """
            IOMMU=\(guest.iommu.rawValue)
            AW_BITS=\(guest.addressWidthBits)
            EDU="\(devices.map(\.pciAddress).joined(separator: " "))"
            GROUP_TYPES="\(groupTypes.joined(separator: " "))"
            KARGS="\(guest.kernelArguments.joined(separator: " "))"
            MODULES="\(guest.modules.joined(separator: " "))"
            MEM=\(guest.memory)

            """
    }

    public var commandText: String { commands.map { $0 + "\n" }.joined() }

    /// Writes guest.env, commands and data.bin into `directory` (created if needed).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(guestEnvironment.utf8).write(to: directory.appendingPathComponent("guest.env"))
        try Data(commandText.utf8).write(to: directory.appendingPathComponent("commands"))
        try Data(data).write(to: directory.appendingPathComponent("data.bin"))
    }
}
