import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Logging
import Testing

/// A handler that fails on every entry, as a bug would.
struct AlwaysFailingRole: Role {
    let stream: String
    var name: String { "failing" }
    var streams: [String] { [stream] }
    struct Boom: Error, CustomStringConvertible { var description: String { "boom in the handler" } }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] { throw Boom() }
}

@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct PoisonTests {
    @Test func anEntryWhoseHandlerAlwaysFailsIsDeadLetteredAndItsQueryFails() async throws {
        let config = try TestEnv.config(extra: ["DELLM_MAX_DELIVERIES": "3"])
        let db = PostgresConnection(url: config.databaseURL)
        _ = try await Store(db: db).migrate()
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let stream = config.keys.tasks(.math)
        let queryID = UUID().uuidString.lowercased()
        try await redis.xadd(stream, Wire.fields(TaskJob(queryID: queryID, subtaskID: "\(queryID).0", index: 0, type: .math, text: "1+1", attempt: 1)))
        var logger = Logger(label: "poison")
        logger.logLevel = .critical
        let loop = ConsumerLoop(role: AlwaysFailingRole(stream: stream), config: config, consumer: "c", logger: logger)
        let task = Task { await loop.run(redis: RedisConnection(configuration: try! config.redisConfiguration()), db: db) }
        try await waitUntil(timeout: .seconds(30)) { (try await redis.command("XLEN", config.keys.dead).int ?? 0) == 1 }
        task.cancel()
        await task.value
        let dead = try #require(try await redis.command("XRANGE", config.keys.dead, "-", "+").array?.first?.array?[1].pairs)
        #expect(dead["reason"]?.string == "failed 3 times; last error: boom in the handler")
        #expect(dead["stream"]?.string == stream)
        #expect(try await redis.command("XINFO", "GROUPS", stream).array?.first?.pairs["pending"]?.int == 0)
        let status = try await Store(db: db).status(queryID: queryID)
        #expect(status?.status == "failed")
        #expect(status?.error == "failed 3 times; last error: boom in the handler")
    }

    @Test func anEntryThatKeepsKillingItsWorkerIsDeadLettered() async throws {
        let config = try TestEnv.config(extra: ["DELLM_MAX_DELIVERIES": "3", "DELLM_CLAIM_MIN_IDLE_MS": "0"])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let client = try FleetClient(config: config)
        try await redis.ensureGroup(stream: config.keys.queries, group: "ingest")
        let id = try await client.submit("What is 6 times 7?", user: "poison-\(config.namespace)")
        // Four consumers took it in turn and died without acknowledging it.
        let taken = try await redis.xreadgroup(group: "ingest", consumer: "dead-0", streams: [config.keys.queries],
                                               id: ">", count: 1, blockMilliseconds: nil)
        for i in 1..<4 { try await redis.command("XCLAIM", config.keys.queries, "ingest", "dead-\(i)", "0", taken[0].id) }
        let cursor = try await client.answersCursor()
        let fleet = try await InProcessFleet.start(config)
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(30)) { answers.add($0) }
        await fleet.stop()
        #expect(missing.isEmpty)
        #expect(answers.all.first?.status == "failed")
        #expect(answers.all.first?.error?.hasPrefix("delivered") == true)
        #expect(try await redis.command("XLEN", config.keys.dead).int == 1)
    }
}
