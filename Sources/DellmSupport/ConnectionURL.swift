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

    /// The URL text with any password replaced, for error messages and logs.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"),
              let at = text[schemeEnd.upperBound...].firstIndex(of: "@") else { return text }
        let auth = text[schemeEnd.upperBound..<at]
        guard let colon = auth.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
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
