import Testing
@testable import OpScript

@Suite struct ScriptNumberTests {
    @Test(arguments: [
        ("0", 0), ("42", 42), ("4096", 4096), ("0x1000", 0x1000), ("0X1f", 0x1F), ("0xDEADbeef", 0xDEAD_BEEF),
        ("64K", 64 << 10), ("4k", 4 << 10), ("2M", 2 << 20), ("2m", 2 << 20), ("4G", 4 << 30), ("1T", 1 << 40),
        ("1t", 1 << 40), ("0x10K", 16 << 10), ("0x1g", 1 << 30), ("0K", 0), ("16777215T", 16_777_215 << 40),
        ("18446744073709551615", UInt64.max), ("0xffffffffffffffff", UInt64.max),
    ] as [(String, UInt64)])
    func readsValidNumbers(text: String, value: UInt64) throws {
        #expect(try ScriptNumber.value(of: text) == value)
    }

    @Test(arguments: ["", "abc", "0x", "0xK", "K", "12Q", "1KK", "-1", "+1", "1.5", "0x1z", "0xg", "1 K", "1_000", "٣"])
    func rejectsMalformedNumbers(text: String) {
        #expect(throws: ScriptNumber.Failure.malformed) { try ScriptNumber.value(of: text) }
    }

    @Test(arguments: [
        "18446744073709551616", "0x10000000000000000", "99999999999999999999999", "16777216T", "17179869184G",
        "0x1000000000000T",
    ])
    func rejectsNumbersThatOverflow(text: String) {
        #expect(throws: ScriptNumber.Failure.overflow) { try ScriptNumber.value(of: text) }
    }

    @Test(arguments: [
        (0, "0"), (1, "1"), (1000, "1000"), (1024, "1K"), (1536, "1536"), (3072, "3K"), (65536, "64K"),
        (2 << 20, "2M"), (1 << 30 + 1 << 10, "1048577K"), (1 << 40, "1T"), (1 << 50, "1024T"),
        (UInt64.max, "18446744073709551615"), (UInt64.max - 1023, "18014398509481983K"),
    ] as [(UInt64, String)])
    func writesSizesWithTheLargestExactSuffix(value: UInt64, text: String) throws {
        #expect(ScriptNumber.size(value) == text)
        #expect(try ScriptNumber.value(of: text) == value)
    }

    @Test(arguments: [(0, "0x0"), (0xFFFF_F000, "0xfffff000"), (UInt64.max, "0xffffffffffffffff")] as [(UInt64, String)])
    func writesAddressesAsLowerCaseHex(value: UInt64, text: String) throws {
        #expect(ScriptNumber.hex(value) == text)
        #expect(try ScriptNumber.value(of: text) == value)
    }
}
