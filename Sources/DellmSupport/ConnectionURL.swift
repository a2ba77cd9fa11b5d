import Foundation

/// A parsed `scheme://user:password@host:port/path?query` URL, without Foundation's URL quirks.
/// The password is kept out of `description`, so a URL can be logged.
public struct ConnectionURL: Sendable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var password: String?
    public var host: String
    public var port: Int?
    public var path: String
    public var query: [String: String]

    public init(parsing text: String) throws(ConfigurationError) {
        guard let schemeEnd = text.range(of: "://") else {
            throw ConfigurationError("'\(ConnectionURL.redact(text))' is not a URL (expected scheme://host:port)")
        }
        scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        var rest = Substring(text[schemeEnd.upperBound...])
        var queryPart = Substring("")
        if let q = rest.firstIndex(of: "?") {
            queryPart = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var pathPart = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            pathPart = rest[slash...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let auth = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = auth.firstIndex(of: ":") {
                user = ConnectionURL.percentDecoded(String(auth[..<colon]))
                password = ConnectionURL.percentDecoded(String(auth[auth.index(after: colon)...]))
            } else {
                user = ConnectionURL.percentDecoded(String(auth))
                password = nil
            }
            if user == "" { user = nil }
        } else {
            user = nil
            password = nil
        }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                throw ConfigurationError("'\(ConnectionURL.redact(text))' has an invalid port")
            }
            port = p
        } else {
            host = String(rest)
            port = nil
        }
        if host.isEmpty { host = "127.0.0.1" }
        path = String(pathPart)
        var q: [String: String] = [:]
        for pair in queryPart.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            q[String(kv[0])] = kv.count > 1 ? ConnectionURL.percentDecoded(String(kv[1])) : ""
        }
        query = q
    }

    public var description: String {
        var s = "\(scheme)://"
        if let user { s += user + (password != nil ? ":***" : "") + "@" }
        s += host.contains(":") ? "[\(host)]" : host
        if let port { s += ":\(port)" }
        return s + path
    }

    /// Keys whose values are secrets, in a URL's query or a libpq key=value string.
    static let secretKeys: Set<String> = ["password", "pass", "passwd", "pwd", "sslpassword", "secret", "token", "auth"]

    /// The text of a connection URL or a libpq key=value string with every secret replaced by `***`,
    /// for error messages and logs. Read the way libpq and the Redis URL parser read them:
    /// - a URL's user-info: the password is everything from the first colon to the last `@` before the
    ///   query, so `u:p@ss@host` hides `p@ss`;
    /// - `password=` (and the other `secretKeys`) among a URL's query parameters;
    /// - `password=…` in a key=value string, quoted (`'a b\'c'`) or not.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return redactConninfo(text) }
        let head = text[..<schemeEnd.upperBound]
        let rest = text[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        var authorityAndPath = String(rest[..<queryStart])
        if let at = authorityAndPath.lastIndex(of: "@") {
            let info = authorityAndPath[..<at]
            let after = authorityAndPath[at...]
            // Without a colon the user-info is a user name to both parsers, and stays.
            if let colon = info.firstIndex(of: ":") {
                authorityAndPath = String(info[..<colon]) + ":***" + after
            }
        }
        var out = String(head) + authorityAndPath
        if queryStart < rest.endIndex {
            let pairs = rest[rest.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, secretKeys.contains(percentDecoded(String(kv[0])).lowercased()) else { return String(pair) }
                return kv[0] + "=***"
            }
            out += "?" + pairs.joined(separator: "&")
        }
        return out
    }

    /// A libpq key=value string with the values of secret keys replaced.
    static func redactConninfo(_ text: String) -> String {
        let c = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isSpace(_ k: Int) -> Bool { k < c.count && (c[k] == " " || c[k] == "\t" || c[k] == "\n" || c[k] == "\r") }
        while i < c.count {
            while isSpace(i) { out.append(c[i]); i += 1 }
            let keyStart = i
            while i < c.count, c[i] != "=", !isSpace(i) { i += 1 }
            let key = String(String.UnicodeScalarView(c[keyStart..<i])).lowercased()
            out.append(contentsOf: c[keyStart..<i])
            while isSpace(i) { out.append(c[i]); i += 1 }
            guard i < c.count, c[i] == "=" else { continue }
            out.append(c[i]); i += 1
            while isSpace(i) { out.append(c[i]); i += 1 }
            let valueStart = i
            if i < c.count, c[i] == "'" {
                i += 1
                while i < c.count, c[i] != "'" { i += c[i] == "\\" ? 2 : 1 }
                i = min(i + 1, c.count)
            } else {
                while i < c.count, !isSpace(i) { i += c[i] == "\\" ? 2 : 1 }
                i = min(i, c.count)
            }
            if secretKeys.contains(key) { out.append(contentsOf: "***".unicodeScalars) } else { out.append(contentsOf: c[valueStart..<i]) }
        }
        return String(out)
    }

    static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A configuration value that cannot be used, with the key or value at fault.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
