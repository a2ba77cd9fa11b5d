import Foundation

/// Text primitives for the hot path of every query, in Swift rather than through NSString.
///
/// A pass of NSRegularExpression bridges the string to UTF-16 and runs ICU, tens of microseconds each,
/// and the splitter and the math extractor try dozens of them on every query: a literal test first
/// decides whether a pattern can match at all. `trimmed` does what `trimmingCharacters(in:)` does
/// without the bridging.
enum TextScan {
    /// Whether `needle`'s UTF-8 bytes occur in `haystack`'s (an exact, case-sensitive test).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                guard !nb.isEmpty else { return true }
                guard nb.count <= hb.count else { return false }
                let first = nb[0]
                var i = 0
                let last = hb.count - nb.count
                while i <= last {
                    if hb[i] == first {
                        var j = 1
                        while j < nb.count && hb[i + j] == nb[j] { j += 1 }
                        if j == nb.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Whether any of `needles` occurs in `haystack`.
    static func containsAny(_ haystack: String, _ needles: [String]) -> Bool {
        needles.contains { contains(haystack, $0) }
    }

    /// `text` without the leading and trailing scalars in `set`, as `trimmingCharacters(in:)` returns it.
    static func trimmed(_ text: some StringProtocol, _ set: ScalarSet) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(text[first...last])
    }

    // Character's properties, with ASCII answered without the Unicode tables (the same answers).
    static func isLetter(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A }
        return c.isLetter
    }

    static func isNumber(_ c: Character) -> Bool {
        if let a = c.asciiValue { return a >= 0x30 && a <= 0x39 }
        return c.isNumber
    }

    static func isWhitespace(_ c: Character) -> Bool {
        if let a = c.asciiValue { return a == 0x20 || (a >= 0x09 && a <= 0x0D) }
        return c.isWhitespace
    }

    /// A CharacterSet with its ASCII part as a bitmap (most text is ASCII).
    struct ScalarSet: Sendable {
        let low: UInt64, high: UInt64
        let set: CharacterSet

        init(_ set: CharacterSet) {
            var low: UInt64 = 0, high: UInt64 = 0
            for v in UInt8(0)..<128 where set.contains(Unicode.Scalar(v)) {
                if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
            }
            self.low = low
            self.high = high
            self.set = set
        }

        func contains(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            if v < 64 { return low & (1 << UInt64(v)) != 0 }
            if v < 128 { return high & (1 << UInt64(v - 64)) != 0 }
            return set.contains(u)
        }
    }
    static let whitespaces = ScalarSet(.whitespaces)
    static let whitespacesAndNewlines = ScalarSet(.whitespacesAndNewlines)
    static let punctuation = ScalarSet(.punctuationCharacters)
}
