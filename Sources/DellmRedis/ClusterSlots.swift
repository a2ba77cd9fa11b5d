import DellmSupport

/// Redis Cluster's key space, as pure functions: the slot of a key (CRC16 of the key or of its hash
/// tag, mod 16384), which argument of a command is its key, the slot map that `CLUSTER SLOTS`
/// returns, and the redirections (`MOVED`, `ASK`) a node answers with.
public enum ClusterSlots {
    public static let count = KeySlot.count

    /// The slot of a key (of its hash tag when it has one): `KeySlot.slot(of:)`.
    public static func slot(of key: String) -> Int { KeySlot.slot(of: key) }
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 { KeySlot.crc16(bytes) }

    /// Where a command's (first) key is, for the commands the fleet sends; nil for a command without
    /// keys (PING, INFO, TIME, ACL, SCAN, CLUSTER …), which any node answers.
    public static func key(of command: [String]) -> String? {
        guard let name = command.first?.uppercased() else { return nil }
        switch name {
        case "XREADGROUP", "XREAD":
            guard let i = command.firstIndex(where: { $0.uppercased() == "STREAMS" }), i + 1 < command.count else { return nil }
            return command[i + 1]
        case "EVAL", "EVALSHA", "FCALL":
            guard command.count > 3, let n = Int(command[2]), n > 0 else { return nil }
            return command[3]
        case "XINFO", "XGROUP", "OBJECT", "MEMORY":
            return command.count > 2 ? command[2] : nil
        case "PING", "INFO", "TIME", "ACL", "SCAN", "CLUSTER", "CONFIG", "CLIENT", "DBSIZE", "FLUSHALL", "FLUSHDB", "WAIT",
             "AUTH", "SELECT", "HELLO", "ASKING", "READONLY", "COMMAND", "SCRIPT", "FUNCTION", "KEYS", "LASTSAVE", "SAVE",
             "BGSAVE", "BGREWRITEAOF", "SHUTDOWN", "MONITOR", "DEBUG", "ECHO", "LATENCY", "SLOWLOG", "MULTI", "EXEC", "DISCARD":
            return nil
        default:
            return command.count > 1 ? command[1] : nil
        }
    }

    /// The slot a keyless command should go to when its MATCH pattern has a hash tag ("SCAN 0 MATCH
    /// {dellm}:attempts:*" lists the keys of the slot that tag names); nil otherwise.
    public static func patternSlot(of command: [String]) -> Int? {
        guard let i = command.firstIndex(where: { $0.uppercased() == "MATCH" }), i + 1 < command.count else { return nil }
        let pattern = command[i + 1]
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}"),
              pattern.index(after: open) < close else { return nil }
        let tag = pattern[pattern.index(after: open)..<close]
        guard !tag.contains(where: { "*?[\\".contains($0) }) else { return nil }
        return slot(of: String(pattern[open...close]))
    }

    /// An XREADGROUP or XREAD of streams in several slots, split into one command per slot (streams
    /// and their ids kept together, in order of first appearance); nil for any other command.
    public static func splitRead(_ command: [String]) -> [[String]]? {
        guard let name = command.first?.uppercased(), name == "XREADGROUP" || name == "XREAD",
              let s = command.firstIndex(where: { $0.uppercased() == "STREAMS" }) else { return nil }
        let rest = Array(command[(s + 1)...])
        guard rest.count >= 2, rest.count % 2 == 0 else { return nil }
        let n = rest.count / 2
        return grouped(Array(0..<n)) { slot(of: rest[$0]) }.map { Array(command[...s]) + $0.items.map { rest[$0] } + $0.items.map { rest[n + $0] } }
    }

    /// Items grouped by a key, the groups in the order of their first item and each in the items' order.
    public static func grouped<T, K: Equatable>(_ items: [T], by key: (T) -> K) -> [(key: K, items: [T])] {
        var out: [(key: K, items: [T])] = []
        for item in items {
            let k = key(item)
            if let g = out.firstIndex(where: { $0.key == k }) { out[g].items.append(item) } else { out.append((k, [item])) }
        }
        return out
    }

    /// The BLOCK argument of a read, if it has one.
    public static func blockMilliseconds(_ command: [String]) -> Int? {
        guard let b = command.firstIndex(where: { $0.uppercased() == "BLOCK" }), b + 1 < command.count else { return nil }
        return Int(command[b + 1])
    }

    public static func withoutBlock(_ command: [String]) -> [String] {
        guard let b = command.firstIndex(where: { $0.uppercased() == "BLOCK" }), b + 1 < command.count else { return command }
        return Array(command[..<b] + command[(b + 2)...])
    }

    public static func withBlock(_ command: [String], milliseconds: Int) -> [String] {
        let c = withoutBlock(command)
        guard let s = c.firstIndex(where: { $0.uppercased() == "STREAMS" }) else { return c }
        return Array(c[..<s]) + ["BLOCK", String(milliseconds)] + Array(c[s...])
    }

    /// Keys in runs of one slot each, in order ("a b c" with a and b in one slot: [[a, b], [c]]).
    public static func runs(_ keys: [String]) -> [[String]] {
        var out: [[String]] = []
        for k in keys {
            if let last = out.last?.last, slot(of: last) == slot(of: k) { out[out.count - 1].append(k) } else { out.append([k]) }
        }
        return out
    }

    /// A node's address.
    public struct Node: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { "\(host):\(port)" }
    }

    /// Every node a `CLUSTER NODES` reply names that can be reached: masters and replicas, including
    /// replicas still syncing (which `CLUSTER SLOTS` may leave out), not failed, handshaking or
    /// address-less ones. A node that announces an empty host is reached at `fallbackHost`.
    public static func reachableNodes(clusterNodes text: String, fallbackHost: String) -> [Node] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 3 else { return nil }
            let flags = f[2].split(separator: ",")
            guard !flags.contains(where: { ["fail", "fail?", "handshake", "noaddr"].contains($0) }) else { return nil }
            let address = f[1].split(separator: "@").first ?? ""
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else { return nil }
            let host = String(address[..<colon])
            return Node(host: host.isEmpty ? fallbackHost : host, port: port)
        }.sorted { $0.description < $1.description }
    }

    /// Which master serves each slot, and every node known (masters and replicas).
    public struct Map: Sendable, Equatable {
        /// The master of each slot (nil: not served).
        public var owners: [Node?]
        public var replicas: [Node: [Node]]

        public init() {
            owners = Array(repeating: nil, count: ClusterSlots.count)
            replicas = [:]
        }

        public var masters: [Node] { Array(Set(owners.compactMap { $0 })).sorted { $0.description < $1.description } }
        public var nodes: [Node] { Array(Set(masters + replicas.values.flatMap { $0 })).sorted { $0.description < $1.description } }

        /// From a `CLUSTER SLOTS` reply: [[start, end, [host, port, id…], [replica…]…]…]. A node that
        /// announces an empty host is reached at `fallbackHost` (the seed's).
        public init(slotsReply: RedisValue, fallbackHost: String) throws(RedisError) {
            self.init()
            guard let ranges = slotsReply.array else { throw RedisError(.protocolShape, "CLUSTER SLOTS: not an array") }
            for range in ranges {
                guard let r = range.array, r.count >= 3, let start = r[0].int, let end = r[1].int,
                      (0..<ClusterSlots.count).contains(start), (start..<ClusterSlots.count).contains(end),
                      let master = Self.node(r[2], fallbackHost) else {
                    throw RedisError(.protocolShape, "CLUSTER SLOTS: a range of an unexpected shape: \(range)")
                }
                for s in start...end { owners[s] = master }
                replicas[master] = r.dropFirst(3).compactMap { Self.node($0, fallbackHost) }
            }
        }

        static func node(_ v: RedisValue, _ fallbackHost: String) -> Node? {
            guard let a = v.array, a.count >= 2, let host = a[0].string, let port = a[1].int else { return nil }
            return Node(host: host.isEmpty || host == "?" ? fallbackHost : host, port: port)
        }
    }

    /// A redirection in an error reply: "MOVED 3999 127.0.0.1:6381" (the slot lives there now) or
    /// "ASK 3999 127.0.0.1:6381" (ask there once, during a migration).
    public enum Redirect: Sendable, Equatable {
        case moved(slot: Int, to: Node)
        case ask(slot: Int, to: Node)

        public init?(error: String) {
            let parts = error.split(separator: " ")
            guard parts.count == 3, let slot = Int(parts[1]), let colon = parts[2].lastIndex(of: ":"),
                  let port = Int(parts[2][parts[2].index(after: colon)...]) else { return nil }
            let node = Node(host: String(parts[2][..<colon]), port: port)
            switch parts[0] {
            case "MOVED": self = .moved(slot: slot, to: node)
            case "ASK": self = .ask(slot: slot, to: node)
            default: return nil
            }
        }
    }
}
