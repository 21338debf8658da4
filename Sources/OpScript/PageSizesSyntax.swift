import DMASim

/// `page-sizes=4K,2M,1G`: an IOMMU's `pgsize_bitmap` as the sizes it holds. Each item is
/// a number whose bits join the bitmap, so a size (`2M`) and a bitmap as the kernel
/// prints it (`0x40201000`, virtio-iommu's "page mask") read alike. Printed as sizes.
enum PageSizesSyntax {
    static func read(_ token: Token) throws(TokenError) -> UInt64 {
        var bitmap: UInt64 = 0
        for piece in token.pieces(separatedBy: ",") { bitmap |= try ScriptNumber.read(piece) }
        guard bitmap != 0 else { throw .expected("page sizes such as 4K,2M,1G", found: token) }
        return bitmap
    }

    static func text(of bitmap: UInt64) -> String {
        PageSizes.sizes(in: bitmap).map(ScriptNumber.size).joined(separator: ",")
    }
}
