import CHiredis
import Glibc

/// Where a split read's part blocks: a connection of its own per node and slot, so the parts of one
/// read block on their masters at the same time.
struct BlockingKey: Hashable {
    var node: ClusterSlots.Node
    var slot: Int
}

/// A blocking read of streams in several slots (a lane whose partitions or types lie on several
/// masters), without polling: every part is sent with its BLOCK at once, each on a connection of its
/// own; the lane thread waits with poll(2) for the first reply; the parts still blocked are then woken
/// with `CLIENT UNBLOCK` (sent on the node's ordinary connection) and their replies — empty, or entries
/// that arrived meanwhile, which are this consumer's now — are read and merged. Nothing is left in
/// flight when it returns. Everything here runs on the connection's lane, like the rest.
extension RedisConnection {
    func blockingSplitRead(_ parts: [[String]], block: Int, in map: ClusterSlots.Map, timeoutMilliseconds: Int) throws -> RedisValue {
        let keys = parts.map { BlockingKey(node: target(of: $0, in: map), slot: ClusterSlots.key(of: $0).map(ClusterSlots.slot(of:)) ?? -1) }
        // Connections of parts this lane no longer reads (a type paused, a slot moved) are closed.
        for (key, stale) in blockingContexts where !keys.contains(key) {
            redisFree(stale.context)
            blockingContexts[key] = nil
        }
        var replies = [RedisValue?](repeating: nil, count: parts.count)
        do {
            let contexts = try keys.map(blockingContext)
            for (i, part) in parts.enumerated() { try append(ClusterSlots.withBlock(part, milliseconds: block), to: contexts[i].context) }
            try waitForFirst(contexts.map(\.context), into: &replies, milliseconds: block + timeoutMilliseconds)
            // Wake the parts still blocked (one round trip per master), then read what they answer.
            for (node, blocked) in ClusterSlots.grouped(parts.indices.filter { replies[$0] == nil }, by: { keys[$0].node }) {
                _ = try send(blocked.map { ["CLIENT", "UNBLOCK", contexts[$0].clientID] }, to: node, timeoutMilliseconds: timeoutMilliseconds)
            }
            for i in parts.indices where replies[i] == nil {
                replies[i] = try readReply(contexts[i].context, timeoutMilliseconds: timeoutMilliseconds)
            }
        } catch {
            // A part's connection is in an unknown state (a reply may still be on its way): all are closed.
            dropBlockingContexts()
            slotMap = nil
            throw error
        }
        var merged: [RedisValue] = []
        for (i, reply) in replies.enumerated() {
            var reply = reply ?? .null
            if case .error(let e) = reply {
                // A slot that moved (MOVED, ASK): that part is read again where it is now, without blocking.
                guard ClusterSlots.Redirect(error: e) != nil else { return reply }
                reply = try followingRedirects(ClusterSlots.withoutBlock(parts[i]), reply, timeoutMilliseconds: timeoutMilliseconds)
                if case .error = reply { return reply }
            }
            merged += reply.array ?? []
        }
        return merged.isEmpty ? .null : .array(merged)
    }

    /// The part's connection, opened (with its client id, for CLIENT UNBLOCK) the first time.
    private func blockingContext(_ key: BlockingKey) throws -> (context: UnsafeMutablePointer<redisContext>, clientID: String) {
        if let known = blockingContexts[key] { return known }
        let c = try open(host: key.node.host, port: key.node.port)
        let reply: RedisValue
        do { reply = try exchange(c, [["CLIENT", "ID"]], timeoutMilliseconds: configuration.connectTimeoutMilliseconds)[0] } catch {
            redisFree(c)
            throw error
        }
        guard case .integer(let id) = reply else {
            redisFree(c)
            // (A user made before blocking reads spanned masters lacks +client|id: `dellm ops nodes add`
            // or `dellm ops roles` again gives it.)
            throw RedisError(.server, "CLIENT ID at \(key.node) (a read of streams on several masters needs +client|id and +client|unblock; register the node or the roles again): \(reply)")
        }
        blockingContexts[key] = (c, String(id))
        return (c, String(id))
    }

    func dropBlockingContexts() {
        for b in blockingContexts.values { redisFree(b.context) }
        blockingContexts = [:]
    }

    /// Writes a command out (hiredis buffers it until then).
    private func append(_ args: [String], to c: UnsafeMutablePointer<redisContext>) throws {
        let status = Self.withArgv(args) { argc, argv, lens in redisAppendCommandArgv(c, argc, argv, lens) }
        if status != REDIS_OK { throw RedisError(.connection, Self.errorString(c)) }
        var done: Int32 = 0
        while done == 0 {
            if redisBufferWrite(c, &done) != REDIS_OK { throw RedisError(.connection, Self.errorString(c)) }
        }
    }

    /// Waits until one of the contexts has a whole reply (or all time out after `milliseconds`), and
    /// stores every whole reply there is.
    private func waitForFirst(_ contexts: [UnsafeMutablePointer<redisContext>], into replies: inout [RedisValue?], milliseconds: Int) throws {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        while replies.allSatisfy({ $0 == nil }) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw RedisError(.connection, "no reply to a blocking read within \(milliseconds) ms") }
            var fds = contexts.map { pollfd(fd: $0.pointee.fd, events: Int16(POLLIN), revents: 0) }
            let n = poll(&fds, nfds_t(fds.count), Int32(max(1, left.milliseconds)))
            if n < 0 && errno != EINTR { throw RedisError(.connection, "poll: \(String(cString: strerror(errno)))") }
            for (i, fd) in fds.enumerated() where replies[i] == nil && fd.revents != 0 {
                if redisBufferRead(contexts[i]) != REDIS_OK { throw RedisError(.connection, Self.errorString(contexts[i])) }
                replies[i] = try takeReply(contexts[i])
            }
        }
    }

    /// A whole reply hiredis has read, if it has one.
    private func takeReply(_ c: UnsafeMutablePointer<redisContext>) throws -> RedisValue? {
        var raw: UnsafeMutableRawPointer?
        if redisGetReplyFromReader(c, &raw) != REDIS_OK { throw RedisError(.connection, Self.errorString(c)) }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// The next reply, waiting for it (bounded by the socket's timeout).
    private func readReply(_ c: UnsafeMutablePointer<redisContext>, timeoutMilliseconds: Int) throws -> RedisValue {
        dellm_redis_set_timeout_ms(c, timeoutMilliseconds)
        var raw: UnsafeMutableRawPointer?
        if redisGetReply(c, &raw) != REDIS_OK || raw == nil { throw RedisError(.connection, Self.errorString(c)) }
        defer { freeReplyObject(raw) }
        return Self.convert(raw!.assumingMemoryBound(to: redisReply.self))
    }
}
