/// A RESP2 reply, copied out of hiredis' reply tree.
public enum RedisValue: Sendable, Equatable, CustomStringConvertible {
    case status(String)
    case error(String)
    case integer(Int)
    case bulk(String)
    case null
    case array([RedisValue])

    public var string: String? {
        switch self {
        case .bulk(let s), .status(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let i): return i
        case .bulk(let s), .status(let s): return Int(s)
        default: return nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// A flat `[k1, v1, k2, v2, …]` array as a dictionary (XINFO, HGETALL and stream fields).
    public var pairs: [String: RedisValue] {
        guard let a = array else { return [:] }
        var out: [String: RedisValue] = [:]
        var i = 0
        while i + 1 < a.count {
            if let k = a[i].string { out[k] = a[i + 1] }
            i += 2
        }
        return out
    }

    public var description: String {
        switch self {
        case .status(let s): return s
        case .error(let e): return "(error) \(e)"
        case .integer(let i): return "(integer) \(i)"
        case .bulk(let s): return "\"\(s)\""
        case .null: return "(nil)"
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// An error from Redis or from the connection to it.
public struct RedisError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or the connection broke; the command may be retried.
        case connection
        /// The server answered with an error reply (wrong type, unknown group, NOAUTH, …).
        case server
        /// The reply did not have the shape the caller expected.
        case protocolShape
    }
    public var kind: Kind
    public var message: String

    /// Worth retrying after a pause: a broken connection, or a server that is loading its data,
    /// failing over, or busy; or a blocked read whose stream moved to another cluster node (UNBLOCKED).
    public var isTransient: Bool {
        kind == .connection || ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "UNBLOCKED"].contains { message.hasPrefix($0) }
    }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String {
        switch kind {
        case .connection: return "Redis connection: \(message)"
        case .server: return "Redis error: \(message)"
        case .protocolShape: return "unexpected Redis reply: \(message)"
        }
    }
}
