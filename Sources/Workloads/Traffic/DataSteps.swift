import DMASim

/// The data moves every request makes, with the claims that check them: whatever is
/// written carries a fresh `seed:N` fill, and every read claims the fill it should see.
enum DataSteps {
    /// The CPU writes data a device will read.
    static func cpuFill(phys: UInt64, length: UInt64, seed: UInt64) -> WorkloadStep {
        WorkloadStep(op: .cpuWrite(CPUWriteOp(phys: phys, length: length, fill: .seed(seed))), claims: StepClaims.ok)
    }

    /// The CPU reads back what a device wrote (or what it wrote itself).
    static func cpuVerify(phys: UInt64, length: UInt64, seed: UInt64) -> WorkloadStep {
        WorkloadStep(op: .cpuRead(CPUReadOp(phys: phys, length: length)), claims: StepClaims.read(seed))
    }

    static func deviceRead(_ device: String, _ address: DeviceAddress, length: UInt64, seed: UInt64) -> WorkloadStep {
        WorkloadStep(op: .deviceRead(DeviceReadOp(device: device, address: address, length: length)), claims: StepClaims.read(seed))
    }

    static func deviceWrite(_ device: String, _ address: DeviceAddress, length: UInt64, seed: UInt64) -> WorkloadStep {
        WorkloadStep(op: .deviceWrite(DeviceWriteOp(device: device, address: address, length: length, fill: .seed(seed))),
                     claims: StepClaims.ok)
    }
}
