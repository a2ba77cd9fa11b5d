/// PostgreSQL array literals, to send a list as one parameter (`$1::text[]`) instead of one statement
/// per element.
public enum PostgresArray {
    /// Every item quoted, its backslashes and quotes escaped with a backslash.
    public static func literal(_ items: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for b in item.utf8 {
                if b == UInt8(ascii: "\\") || b == UInt8(ascii: "\"") { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
