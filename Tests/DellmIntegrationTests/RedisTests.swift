import DellmFleet
import DellmRedis
import Foundation
import Testing

@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL (run ./ops/test)"))
struct RedisConnectionTests {
    let redis: RedisConnection

    init() throws {
        redis = RedisConnection(configuration: try RedisConfiguration(url: TestEnv.redisURL!))
    }

    @Test func commandsAndPipelines() async throws {
        let key = "t:\(UUID().uuidString)"
        #expect(try await redis.command("SET", key, "héllo wörld").string == "OK")
        #expect(try await redis.command("GET", key) == .bulk("héllo wörld"))
        let replies = try await redis.pipeline([["INCR", key + ":n"], ["INCR", key + ":n"], ["GET", "missing:\(key)"], ["LPUSH", key, "x"]])
        #expect(replies[0] == .integer(1))
        #expect(replies[1] == .integer(2))
        #expect(replies[2] == .null)
        guard case .error(let e) = replies[3] else { Issue.record("expected WRONGTYPE"); return }
        #expect(e.hasPrefix("WRONGTYPE"))
        await #expect(throws: RedisError.self) { try await redis.command("LPUSH", key, "x") }
        // Binary-safe arguments: an empty string and one with a NUL byte.
        try await redis.command("SET", key, "a\u{0}b")
        #expect(try await redis.command("STRLEN", key).int == 3)
    }

    @Test func consumerGroupsDeliverAndAcknowledge() async throws {
        let stream = "t:s:\(UUID().uuidString)"
        try await redis.ensureGroup(stream: stream, group: "g")
        try await redis.ensureGroup(stream: stream, group: "g") // idempotent
        let id = try await redis.xadd(stream, [("v", "1"), ("job", "{}")])
        let got = try await redis.xreadgroup(group: "g", consumer: "c1", streams: [stream], id: ">", count: 10, blockMilliseconds: 100)
        #expect(got.map(\.id) == [id])
        #expect(got.first?["job"] == "{}")
        // Not acknowledged: it is this consumer's pending entry, re-read with id 0.
        let pending = try await redis.xreadgroup(group: "g", consumer: "c1", streams: [stream], id: "0", count: 10, blockMilliseconds: nil)
        #expect(pending.map(\.id) == [id])
        // Another consumer takes it over once it has been idle long enough.
        let claimed = try await redis.xautoclaim(stream: stream, group: "g", consumer: "c2", minIdleMilliseconds: 0)
        #expect(claimed.entries.map(\.id) == [id])
        #expect(try await redis.command("XACK", stream, "g", id).int == 1)
        let after = try await redis.xreadgroup(group: "g", consumer: "c2", streams: [stream], id: "0", count: 10, blockMilliseconds: nil)
        #expect(after.isEmpty)
    }

    /// The inspection commands come back typed, as redis-cli shows them; a reply of another shape is a
    /// protocol error naming the command.
    @Test func streamInspectionRepliesAreTyped() async throws {
        let stream = "t:i:\(UUID().uuidString)"
        try await redis.ensureGroup(stream: stream, group: "g")
        let ids = [try await redis.xadd(stream, [("n", "1")]), try await redis.xadd(stream, [("n", "2")]), try await redis.xadd(stream, [("n", "3")])]
        _ = try await redis.xreadgroup(group: "g", consumer: "c1", streams: [stream], id: ">", count: 2, blockMilliseconds: nil)
        let groups = try await redis.xinfoGroups(stream: stream)
        #expect(groups.map(\.name) == ["g"])
        #expect(groups[0].pending == 2 && groups[0].consumers == 1 && groups[0].lastDeliveredID == ids[1] && groups[0].lag == 1)
        let consumers = try await redis.xinfoConsumers(stream: stream, group: "g")
        #expect(consumers.map(\.name) == ["c1"] && consumers[0].pending == 2)
        let pending = try await redis.xpending(stream: stream, group: "g", count: 10)
        #expect(pending.map(\.id) == Array(ids.prefix(2)) && pending.allSatisfy { $0.consumer == "c1" && $0.deliveries == 1 })
        #expect(try await redis.xpending(stream: stream, group: "g", count: 10, minIdleMilliseconds: 600_000).isEmpty)
        #expect(try await redis.xpending(stream: stream, group: "g", count: 10, consumer: "nobody").isEmpty)
        let summary = try await redis.xpendingSummary(stream: stream, group: "g")
        #expect(summary.count == 2 && summary.smallestID == ids[0] && summary.largestID == ids[1])
        #expect(try await redis.xtrim(stream: stream, approximateMinID: ids[0]) == 0, "approximate trimming keeps a partial node")
        #expect(throws: RedisError.self) { try RedisConnection.groups(.bulk("not a list")) }
        #expect(throws: RedisError.self) { try RedisConnection.pendingEntries(.array([.array([.bulk("1-0")])])) }
        #expect(throws: RedisError.self) { try RedisConnection.consumers(.array([.array([.bulk("name"), .bulk("c")])])) }
    }

    /// The trimmer drops what every group has acknowledged and keeps what one still needs: pending
    /// entries and those not yet delivered to a second group.
    @Test func theTrimmerKeepsWhatAGroupStillNeeds() async throws {
        let stream = "t:trim:\(UUID().uuidString)"
        try await redis.ensureGroup(stream: stream, group: "fast")
        try await redis.ensureGroup(stream: stream, group: "slow")
        var ids: [String] = []
        for n in 0..<300 { ids.append(try await redis.xadd(stream, [("n", String(n))])) }
        // "fast" reads and acknowledges all; "slow" reads 250 and acknowledges the first 200.
        let fast = try await redis.xreadgroup(group: "fast", consumer: "c", streams: [stream], id: ">", count: 300, blockMilliseconds: nil)
        try await redis.command(["XACK", stream, "fast"] + fast.map(\.id))
        let slow = try await redis.xreadgroup(group: "slow", consumer: "c", streams: [stream], id: ">", count: 250, blockMilliseconds: nil)
        try await redis.command(["XACK", stream, "slow"] + slow.prefix(200).map(\.id))
        try await StreamTrimmer(streams: [stream, "t:trim:absent"]).trimOnce(redis: redis)
        let left = try await redis.command("XLEN", stream).int ?? 0
        #expect(left < 300, "nothing trimmed")
        #expect(left >= 100, "trimmed past the oldest pending entry: \(left) left")
        let first = try #require(try await redis.command("XRANGE", stream, "-", "+", "COUNT", "1").array?.first?.array?.first?.string)
        #expect(StreamIDOrder.lessOrEqual(first, ids[200]), "the oldest pending entry \(ids[200]) is gone; first left is \(first)")
        // Every entry "slow" holds pending is still there to be re-read.
        let pending = try await redis.xreadgroup(group: "slow", consumer: "c", streams: [stream], id: "0", count: 100, blockMilliseconds: nil)
        #expect(pending.count == 50 && pending.allSatisfy { !$0.fields.isEmpty })
    }

    @Test func anUnreachableServerIsAConnectionError() async throws {
        let dead = RedisConnection(configuration: RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeoutMilliseconds: 500))
        await #expect { try await dead.command("PING") } throws: { ($0 as? RedisError)?.kind == .connection }
    }

    @Test func aWrongPasswordIsRefusedWithoutEchoingIt() async throws {
        var c = try RedisConfiguration(url: TestEnv.redisURL!)
        c.password = "s3cret-pw"
        let r = RedisConnection(configuration: c)
        do {
            try await r.command("PING")
            Issue.record("AUTH should fail on a server without a password")
        } catch {
            #expect(!"\(error)".contains("s3cret-pw"))
        }
    }
}

/// Stream ids compared as `ms-seq` numbers.
enum StreamIDOrder {
    static func lessOrEqual(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "-").compactMap { UInt64($0) }, y = b.split(separator: "-").compactMap { UInt64($0) }
        return x.lexicographicallyPrecedes(y) || x == y
    }
}
