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
