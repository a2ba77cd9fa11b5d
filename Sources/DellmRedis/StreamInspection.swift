/// Typed replies of the stream inspection commands (valkey-swift's response types are the model):
/// XINFO GROUPS, XINFO CONSUMERS, XPENDING (summary and extended form), and XTRIM. A reply of another
/// shape throws `RedisError(.protocolShape)` naming the command, never a crash or a silent zero.

/// One consumer group of a stream (XINFO GROUPS).
public struct StreamGroupInfo: Sendable, Equatable {
    public var name: String
    public var consumers: Int
    public var pending: Int
    public var lastDeliveredID: String
    /// Entries not yet delivered to the group (Redis 7+; nil when the server cannot tell).
    public var lag: Int?
    /// Entries delivered to the group so far (Redis 7+).
    public var entriesRead: Int?
}

/// One consumer of a group (XINFO CONSUMERS).
public struct StreamConsumerInfo: Sendable, Equatable {
    public var name: String
    public var pending: Int
    /// Since its last attempted interaction (read or claim).
    public var idleMilliseconds: Int
}

/// A pending entry (XPENDING's extended form).
public struct PendingEntry: Sendable, Equatable {
    public var id: String
    public var consumer: String
    public var idleMilliseconds: Int
    public var deliveries: Int
}

/// XPENDING's summary form: how many entries are pending, and the smallest and largest of their ids.
public struct PendingSummary: Sendable, Equatable {
    public var count: Int
    public var smallestID: String?
    public var largestID: String?
}

extension RedisConnection {
    public func xinfoGroups(stream: String) async throws -> [StreamGroupInfo] {
        try Self.groups(try await command("XINFO", "GROUPS", stream))
    }

    public func xinfoConsumers(stream: String, group: String) async throws -> [StreamConsumerInfo] {
        try Self.consumers(try await command("XINFO", "CONSUMERS", stream, group))
    }

    /// Pending entries of `group` from `start` to `end`, at most `count`, optionally only those idle at
    /// least `minIdleMilliseconds` and only those of `consumer`.
    public func xpending(stream: String, group: String, start: String = "-", end: String = "+", count: Int,
                         minIdleMilliseconds: Int? = nil, consumer: String? = nil) async throws -> [PendingEntry] {
        var args = ["XPENDING", stream, group]
        if let minIdleMilliseconds { args += ["IDLE", String(minIdleMilliseconds)] }
        args += [start, end, String(count)]
        if let consumer { args.append(consumer) }
        return try Self.pendingEntries(try await command(args))
    }

    public func xpendingSummary(stream: String, group: String) async throws -> PendingSummary {
        try Self.pendingSummary(try await command("XPENDING", stream, group))
    }

    /// XTRIM MINID ~ `minID`: entries older than it may go (whole macro nodes only). Returns how many went.
    @discardableResult
    public func xtrim(stream: String, approximateMinID minID: String) async throws -> Int {
        let reply = try await command("XTRIM", stream, "MINID", "~", minID)
        guard let n = reply.int else { throw RedisError(.protocolShape, "XTRIM returned \(reply)") }
        return n
    }

    // MARK: parsing (static, so tests can feed replies)

    public static func groups(_ reply: RedisValue) throws -> [StreamGroupInfo] {
        guard let list = reply.array else { throw RedisError(.protocolShape, "XINFO GROUPS returned \(reply)") }
        return try list.map { g in
            let p = g.pairs
            guard let name = p["name"]?.string, let consumers = p["consumers"]?.int, let pending = p["pending"]?.int,
                  let last = p["last-delivered-id"]?.string else { throw RedisError(.protocolShape, "XINFO GROUPS returned a group \(g)") }
            return StreamGroupInfo(name: name, consumers: consumers, pending: pending, lastDeliveredID: last, lag: p["lag"]?.int,
                                   entriesRead: p["entries-read"]?.int)
        }
    }

    public static func consumers(_ reply: RedisValue) throws -> [StreamConsumerInfo] {
        guard let list = reply.array else { throw RedisError(.protocolShape, "XINFO CONSUMERS returned \(reply)") }
        return try list.map { c in
            let p = c.pairs
            guard let name = p["name"]?.string, let pending = p["pending"]?.int, let idle = p["idle"]?.int else {
                throw RedisError(.protocolShape, "XINFO CONSUMERS returned a consumer \(c)")
            }
            return StreamConsumerInfo(name: name, pending: pending, idleMilliseconds: idle)
        }
    }

    public static func pendingEntries(_ reply: RedisValue) throws -> [PendingEntry] {
        guard let list = reply.array else { throw RedisError(.protocolShape, "XPENDING returned \(reply)") }
        return try list.map { row in
            guard let r = row.array, r.count >= 4, let id = r[0].string, let consumer = r[1].string, let idle = r[2].int,
                  let deliveries = r[3].int else { throw RedisError(.protocolShape, "XPENDING returned an entry \(row)") }
            return PendingEntry(id: id, consumer: consumer, idleMilliseconds: idle, deliveries: deliveries)
        }
    }

    public static func pendingSummary(_ reply: RedisValue) throws -> PendingSummary {
        guard let r = reply.array, r.count >= 3, let count = r[0].int else { throw RedisError(.protocolShape, "XPENDING returned \(reply)") }
        return PendingSummary(count: count, smallestID: r[1].string, largestID: r[2].string)
    }
}
