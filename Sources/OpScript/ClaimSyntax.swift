import DMASim

/// Reads the claims after `=>`. Claims are separated by commas or white space; `error`,
/// `fault` and `violation` take the next word as their argument unless that word starts
/// a claim itself, so `error EIO iova=0x1000` and `error, fault` both read as meant.
enum ClaimSyntax {
    static let keywords = ["ok", "completed", "fallback", "error", "fault", "violation", "rejected", "oops"]
    static let keys = ["iova", "digest", "bytes"]
    static let expectedClaim = WordSyntax.listing(
        ["ok", "completed", "fallback", "iova=", "error", "fault", "digest=", "violation", "bytes=", "rejected", "oops"], as: "a claim")

    static func read(_ run: TokenRun) throws(TokenError) -> [Claim] {
        var cursor = TokenCursor(run)
        var claims = [try claim(&cursor)]
        while let next = cursor.peek {
            if next.text == "," { _ = cursor.next() }
            claims.append(try claim(&cursor))
        }
        return claims
    }

    private static func claim(_ cursor: inout TokenCursor) throws(TokenError) -> Claim {
        let token = cursor.next()
        if let (key, value) = token.keyValue, keys.contains(key.text) {
            return try keyed(key.text, value)
        }
        switch token.text {
        case "ok": return .ok
        case "completed": return .completed
        case "fallback": return .fallback
        case "rejected": return .rejected
        case "oops": return .oops
        case "error": return try argument(&cursor).map(errorClaim) ?? .error(nil)
        case "fault": return .fault(try argument(&cursor).map(faultKind))
        case "violation": return .violation(try argument(&cursor).map(misuseClass))
        default: throw .expected(expectedClaim, found: token)
        }
    }

    /// The next token when it is an argument rather than a separator or another claim.
    private static func argument(_ cursor: inout TokenCursor) -> Token? {
        guard let next = cursor.peek, next.text != ",", !startsClaim(next) else { return nil }
        return cursor.next()
    }

    private static func startsClaim(_ token: Token) -> Bool {
        keywords.contains(token.text) || token.keyValue != nil
    }

    private static func keyed(_ key: String, _ value: Token) throws(TokenError) -> Claim {
        switch key {
        case "iova": return .iova(try ScriptNumber.read(value))
        case "digest": return .digest(try ScriptNumber.read(value))
        default: return .bytes(try FillSyntax.read(value))
        }
    }

    private static func errorClaim(_ token: Token) throws(TokenError) -> Claim {
        if token.text == "mapping" { return .mappingError }
        guard let errno = Errno(rawValue: token.text) else {
            let names = Errno.allCases.map(\.rawValue) + ["mapping"]
            throw .expected(WordSyntax.listing(names, as: "an errno"), found: token)
        }
        return .error(errno)
    }

    private static func faultKind(_ token: Token) throws(TokenError) -> FaultKind {
        try WordSyntax.choice(token, among: FaultKind.allCases, as: "a fault kind")
    }

    private static func misuseClass(_ token: Token) throws(TokenError) -> MisuseClass {
        try WordSyntax.choice(token, among: MisuseClass.allCases, as: "a misuse class")
    }
}
