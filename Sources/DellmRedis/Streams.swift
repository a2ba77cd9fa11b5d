/// One entry of a Redis stream: its id and its field/value pairs in order.
public struct StreamEntry: Sendable, Equatable {
    public var stream: String
    public var id: String
    public var fields: [(String, String)]
    /// Whether this consumer group may have seen the entry before: read back from the pending list,
    /// claimed from another consumer, or retried after a failure. Set by the consumer loop; a first
    /// delivery can skip the checks that only a redelivery needs.
    public var redelivered = false

    public init(stream: String, id: String, fields: [(String, String)]) {
        self.stream = stream
        self.id = id
        self.fields = fields
    }

    public subscript(field: String) -> String? {
        fields.first(where: { $0.0 == field })?.1
    }

    public static func == (a: StreamEntry, b: StreamEntry) -> Bool {
        a.stream == b.stream && a.id == b.id && a.fields.elementsEqual(b.fields, by: { $0 == $1 })
    }
}

extension RedisConnection {
    /// Creates a consumer group (and the stream) unless it exists. Starts at `0` so entries added
    /// before the first worker started are not skipped.
    public func ensureGroup(stream: String, group: String) async throws {
        do {
            try await command("XGROUP", "CREATE", stream, group, "0", "MKSTREAM")
        } catch let e as RedisError where e.kind == .server && e.message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    /// XADD with an automatic id; returns the new id.
    @discardableResult
    public func xadd(_ stream: String, _ fields: [(String, String)], maxLengthApprox: Int? = nil) async throws -> String {
        let reply = try await command(Self.xaddArgs(stream, fields, maxLengthApprox: maxLengthApprox))
        guard let id = reply.string else { throw RedisError(.protocolShape, "XADD returned \(reply)") }
        return id
    }

    public static func xaddArgs(_ stream: String, _ fields: [(String, String)], maxLengthApprox: Int? = nil) -> [String] {
        var args = ["XADD", stream]
        if let maxLengthApprox { args += ["MAXLEN", "~", String(maxLengthApprox)] }
        args.append("*")
        for (k, v) in fields { args += [k, v] }
        return args
    }

    /// XREADGROUP over one or more streams. `id` is `>` for new entries or `0` for this consumer's
    /// own pending entries. Returns an empty array when the block times out.
    public func xreadgroup(group: String, consumer: String, streams: [String], id: String,
                           count: Int, blockMilliseconds: Int?) async throws -> [StreamEntry] {
        try await xreadgroup(group: group, consumer: consumer, streams: streams, ids: Array(repeating: id, count: streams.count),
                             count: count, blockMilliseconds: blockMilliseconds)
    }

    /// XREADGROUP with an id per stream (this consumer's pending entries after each id).
    public func xreadgroup(group: String, consumer: String, streams: [String], ids: [String],
                           count: Int, blockMilliseconds: Int?) async throws -> [StreamEntry] {
        var args = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        if let blockMilliseconds { args += ["BLOCK", String(blockMilliseconds)] }
        args.append("STREAMS")
        args += streams
        args += ids
        let reply = try await command(args, timeoutMilliseconds: (blockMilliseconds ?? 0) + 10_000)
        return try Self.parseStreams(reply)
    }

    /// XREAD (no group) from `afterID`, for followers of a stream such as the answers stream.
    public func xread(streams: [String], afterIDs: [String], count: Int, blockMilliseconds: Int?) async throws -> [StreamEntry] {
        var args = ["XREAD", "COUNT", String(count)]
        if let blockMilliseconds { args += ["BLOCK", String(blockMilliseconds)] }
        args.append("STREAMS")
        args += streams
        args += afterIDs
        let reply = try await command(args, timeoutMilliseconds: (blockMilliseconds ?? 0) + 10_000)
        return try Self.parseStreams(reply)
    }

    /// XAUTOCLAIM: takes over entries of `group` idle for at least `minIdleMilliseconds`.
    /// Returns the claimed entries and the cursor for the next call (`0-0` when the scan is done).
    public func xautoclaim(stream: String, group: String, consumer: String, minIdleMilliseconds: Int,
                           start: String = "0-0", count: Int = 100) async throws -> (next: String, entries: [StreamEntry]) {
        let reply = try await command(["XAUTOCLAIM", stream, group, consumer, String(minIdleMilliseconds), start,
                                       "COUNT", String(count)])
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let list = parts[1].array else {
            throw RedisError(.protocolShape, "XAUTOCLAIM returned \(reply)")
        }
        return (next, try list.compactMap { try Self.parseEntry(stream: stream, $0) })
    }

    /// XCLAIM of `ids` for `consumer`, those idle at least `minIdleMilliseconds` (so two claimers never
    /// both take one); returns the entries claimed (deleted ones come back without fields).
    public func xclaim(stream: String, group: String, consumer: String, minIdleMilliseconds: Int, ids: [String]) async throws -> [StreamEntry] {
        guard !ids.isEmpty else { return [] }
        let reply = try await command(["XCLAIM", stream, group, consumer, String(minIdleMilliseconds)] + ids)
        guard let list = reply.array else { throw RedisError(.protocolShape, "XCLAIM returned \(reply)") }
        return try list.filter { !$0.isNull }.compactMap { try Self.parseEntry(stream: stream, $0) }
    }

    public static func parseStreams(_ reply: RedisValue) throws -> [StreamEntry] {
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw RedisError(.protocolShape, "stream read returned \(reply)") }
        var out: [StreamEntry] = []
        for s in streams {
            guard let pair = s.array, pair.count == 2, let name = pair[0].string, let entries = pair[1].array else {
                throw RedisError(.protocolShape, "stream read returned \(s)")
            }
            for e in entries {
                if let entry = try parseEntry(stream: name, e) { out.append(entry) }
            }
        }
        return out
    }

    /// A pending entry whose data was deleted (trimmed) comes back as `[id, nil]`: returned with no fields.
    public static func parseEntry(stream: String, _ value: RedisValue) throws -> StreamEntry? {
        guard let pair = value.array, pair.count == 2, let id = pair[0].string else {
            throw RedisError(.protocolShape, "stream entry \(value)")
        }
        var fields: [(String, String)] = []
        if let flat = pair[1].array {
            var i = 0
            while i + 1 < flat.count {
                fields.append((flat[i].string ?? "", flat[i + 1].string ?? ""))
                i += 2
            }
        }
        return StreamEntry(stream: stream, id: id, fields: fields)
    }
}
