import DellmCore
@testable import DellmFleet
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

/// A handler that fails on entries whose job is "bad" and records the others, with the dead-letter
/// count at the moment it handled them.
struct PartlyFailingRole: Role {
    let stream: String
    let dead: String
    let handled: Collector<(String, Int)>
    var name: String { "partly" }
    var streams: [String] { [stream] }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        if entry["job"] == "bad" { throw AlwaysFailingRole.Boom() }
        let redis = RedisConnection(configuration: try TestEnv.config().redisConfiguration())
        handled.add((entry["job"] ?? "", try await redis.command("XLEN", dead).int ?? -1))
        return []
    }
}

/// A handler that takes longer than the claim idle time, as a model call does, and counts its runs.
struct SlowRole: Role {
    let stream: String
    let runs: Collector<String>
    var name: String { "slow" }
    var streams: [String] { [stream] }
    var jobsMayRunLong: Bool { true }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        runs.add(context.consumer)
        try await Task.sleep(for: .seconds(5))
        return []
    }
}

@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct PoisonTests {
    @Test func anEntryWhoseHandlerAlwaysFailsIsDeadLetteredAndItsQueryFails() async throws {
        let config = try TestEnv.config(extra: ["DELLM_MAX_DELIVERIES": "3"])
        let db = PostgresConnection(url: config.databaseURL)
        _ = try await Store(db: db).migrate()
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        // A query entry: the dead letter may fail its own query (a new id is recorded failed).
        let stream = config.keys.queries
        let queryID = UUID().uuidString.lowercased()
        try await redis.xadd(stream, Wire.fields(QueryJob(id: queryID, query: "1+1", user: "poison-\(config.namespace)")))
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
        let status = try await Store(db: db).inspector.status(queryID: queryID)
        #expect(status?.status == "failed")
        #expect(status?.error == "failed 3 times; last error: boom in the handler")
    }

    /// Failing entries wait aside with their own backoff: the lane goes on with the entries behind them,
    /// which are handled before any failing one has used up its deliveries.
    @Test func aFailingEntryDoesNotHoldUpTheEntriesBehindIt() async throws {
        let config = try TestEnv.config(extra: ["DELLM_MAX_DELIVERIES": "3"])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let stream = "\(config.namespace):partly"
        try await redis.ensureGroup(stream: stream, group: "partly")
        for _ in 0..<10 { try await redis.xadd(stream, [("job", "bad")]) }
        try await redis.xadd(stream, [("job", "good")])
        let handled = Collector<(String, Int)>()
        var logger = Logger(label: "partly")
        logger.logLevel = .critical
        let loop = ConsumerLoop(role: PartlyFailingRole(stream: stream, dead: config.keys.dead, handled: handled), config: config,
                                consumer: "c", logger: logger)
        let task = Task { await loop.run(redis: RedisConnection(configuration: try! config.redisConfiguration()), db: PostgresConnection(url: config.databaseURL)) }
        try await waitUntil(timeout: .seconds(60)) { (try await redis.command("XLEN", config.keys.dead).int ?? 0) == 10 }
        task.cancel()
        await task.value
        #expect(handled.all.count == 1)
        #expect(handled.all.first?.1 == 0, "the good entry waited until \(handled.all.first?.1 ?? -1) bad ones were dead-lettered")
        #expect(try await redis.command("XINFO", "GROUPS", stream).array?.first?.pairs["pending"]?.int == 0)
    }

    /// A task no ingest worker made is refused before any model call, whatever its attempt.
    @Test func aTaskForASubtaskNoIngestMadeIsDeadLettered() async throws {
        let config = try TestEnv.config()
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        for attempt in [1, 2] {
            let q = UUID().uuidString.lowercased()
            try await redis.xadd(config.keys.tasks(.math),
                                 Wire.fields(TaskJob(queryID: q, subtaskID: "\(q).0", index: 0, type: .math, text: "What is 2 + 2?", attempt: attempt)))
        }
        let fleet = try await InProcessFleet.start(config, specialistTypes: [.math])
        try await waitUntil(timeout: .seconds(30)) { (try await redis.command("XLEN", config.keys.dead).int ?? 0) == 2 }
        await fleet.stop()
        let reasons = (try await redis.command("XRANGE", config.keys.dead, "-", "+").array ?? []).compactMap { $0.array?[1].pairs["reason"]?.string }
        #expect(reasons.count == 2)
        #expect(reasons.allSatisfy { $0.hasPrefix("no subtask ") && $0.hasSuffix("the task was not issued by the coordinator") }, "\(reasons)")
    }

    /// A row that breaks what the code expects of it (a subtask whose type no worker knows, planted by
    /// hand) fails the one job that reads it: dead-lettered with the column named, its query failed with
    /// the same reason; the verifier's lane goes on and answers the next query.
    @Test func aBadRowFailsItsJobNotTheProcess() async throws {
        let config = try TestEnv.config()
        let db = PostgresConnection(url: config.databaseURL)
        let store = Store(db: db)
        try await store.prepare(species: config.species)
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let q = UUID().uuidString.lowercased()
        let parts = [Splitter.Part(index: 0, text: "What is 2 + 2?", type: .math, rule: "planted")]
        guard case .enqueue(let jobs, _) = try await store.ingest(QueryJob(id: q, query: "What is 2 + 2?", user: "bad-row-\(config.namespace)"),
                                                                   parts: parts) else { Issue.record("not ingested"); return }
        let job = try #require(jobs.first)
        let vote = Vote(source: "calculator", answer: "4", milliseconds: 0)
        try await store.attempts.record(job, node: "planted-node", record: .init(answer: "4", votes: [vote], confidence: 1, tool: "calculator", error: nil,
                                                         latencyMilliseconds: 0))
        try await db.query("UPDATE subtasks SET type = 'poetry' WHERE id = $1", [job.subtaskID])
        try await redis.xadd(config.keys.verify, Wire.fields(VerifyJob(queryID: q, subtaskID: job.subtaskID, attempt: 1)))
        let fleet = try await InProcessFleet.start(config, specialistTypes: [.math])
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        try await waitUntil(timeout: .seconds(30)) { (try await redis.command("XLEN", config.keys.dead).int ?? 0) == 1 }
        let next = try await client.submit("What is 3 + 4?", user: "bad-row-\(config.namespace)")
        #expect(try await client.waitForAnswers([next], after: cursor, timeout: .seconds(30)) { _ in }.isEmpty)
        await fleet.stop()
        let reason = try #require(try await redis.command("XRANGE", config.keys.dead, "-", "+").array?.first?.array?[1].pairs["reason"]?.string)
        #expect(reason == "a stored row could not be read: column 'type' holds 'poetry', not TaskType", "\(reason)")
        let status = try await store.inspector.status(queryID: q)
        #expect(status?.status == "failed")
        #expect(status?.error == reason)
        #expect(try await store.inspector.status(queryID: next)?.answer?.contains("7") == true)
    }

    /// A job running past the claim idle time keeps its entry: another consumer of the group, taking over
    /// idle entries, does not run it a second time.
    @Test func aLongJobIsNotTakenOverByAnotherConsumer() async throws {
        // Claims go idle after 3 s (the keeper re-claims every second, so a loaded machine has two seconds
        // of slack); a lane looks for idle entries every second (its blocking read returns every 100 ms
        // to let it), so without the keeper the second takes the entry 3–4 s into the 5 s job.
        let config = try TestEnv.config(extra: ["DELLM_CLAIM_MIN_IDLE_MS": "3000", "DELLM_BLOCK_MS": "100"])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let stream = "\(config.namespace):slow"
        let runs = Collector<String>()
        var logger = Logger(label: "slow")
        logger.logLevel = .critical
        let db = PostgresConnection(url: config.databaseURL)
        let first = ConsumerLoop(role: SlowRole(stream: stream, runs: runs), config: config, consumer: "first", logger: logger)
        let task1 = Task { await first.run(redis: RedisConnection(configuration: try! config.redisConfiguration()), db: db) }
        try await redis.ensureGroup(stream: stream, group: "slow")
        try await redis.xadd(stream, [("job", "{}")])
        try await waitUntil(timeout: .seconds(10)) { runs.all.count == 1 }
        // The second consumer starts while the first is still on the entry and looks for idle entries
        // at once, and again a second later: past the claim idle time, before the first is done.
        let second = ConsumerLoop(role: SlowRole(stream: stream, runs: runs), config: config, consumer: "second", logger: logger)
        let task2 = Task { await second.run(redis: RedisConnection(configuration: try! config.redisConfiguration()), db: db) }
        try await waitUntil(timeout: .seconds(30)) {
            try await redis.command("XINFO", "GROUPS", stream).array?.first?.pairs["pending"]?.int == 0
        }
        task1.cancel()
        task2.cancel()
        await task1.value
        await task2.value
        #expect(runs.all == ["first"])
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
