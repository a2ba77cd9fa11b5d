import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// The four roles against real Redis and PostgreSQL. Arithmetic needs no model (the calculator
/// answers), so these run without one; the model's own end-to-end test is in ModelEndToEndTests.
@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct FleetPipelineTests {
    @Test func aMultiPartArithmeticQueryIsAnsweredThroughAllFourRoles() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        defer { Task { await fleet.stop() } }
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Add 250 and 175; then subtract 99 from 500.", user: "alice-\(config.namespace)")
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { answers.add($0) }
        #expect(missing.isEmpty)
        let a = try #require(answers.all.first)
        #expect(a.status == "answered")
        let text = try #require(a.answer)
        #expect(text.contains("425"))
        #expect(Answers.numbers(in: text).last == 401)
        #expect(text.range(of: "425")!.lowerBound < text.range(of: "401")!.lowerBound, "parts keep the query's order")
        // Recorded: two verified subtasks with verdicts, one charge, and `result` reads it back.
        let db = PostgresConnection(url: config.databaseURL)
        #expect(try await db.query("SELECT count(*) FROM subtasks WHERE query_id = $1 AND status = 'verified'", [id]).first?[0] == "2")
        #expect(try await db.query("SELECT count(*) FROM verdicts WHERE subtask_id LIKE $1 AND passed", [id + ".%"]).first?[0] == "2")
        #expect(try await db.query("SELECT count(*) FROM credit_ledger WHERE query_id = $1 AND kind = 'charge'", [id]).first?[0] == "1")
        #expect(try await db.query("SELECT count(*) FROM credit_ledger WHERE query_id = $1 AND kind = 'earn'", [id]).first?[0] == "0",
                "calculator answers earn nothing: the verifier recomputes them")
        #expect(try await client.inspector.status(queryID: id)?.answer == text)
        await fleet.stop()
    }

    @Test func aResubmittedQueryIsTheSameQueryChargedOnce() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let user = "bob-\(config.namespace)"
        let cursor = try await client.answersCursor()
        let id = UUID().uuidString.lowercased()
        try await client.submit("What is 37 times 41?", user: user, id: id)
        try await client.submit("What is 37 times 41?", user: user, id: id)
        let answers = Collector<AnswerEvent>()
        _ = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { answers.add($0) }
        #expect(answers.all.first?.answer.map { Answers.numbers(in: $0).last } == 1517)
        // Both entries are consumed before we count: the queries stream's group has nothing pending.
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        try await waitUntil { try await redis.command("XINFO", "GROUPS", config.keys.queries).array?.first?.pairs["pending"]?.int == 0 }
        #expect(abs(try await client.store.ledger.balance(user: user) - (Economy.startingCredits - Economy.price([.math], runsNodes: false))) < 1e-9)
        await fleet.stop()
    }

    @Test func badEntriesAreDeadLetteredWithAReasonAndTheWorkerGoesOn() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let cursor = try await client.answersCursor()
        try await redis.xadd(config.keys.queries, [("v", "1"), ("job", "{not json")])
        try await redis.xadd(config.keys.queries, [("v", "99"), ("job", #"{"id":"x","query":"hi"}"#)])
        try await redis.xadd(config.keys.queries, [("job", #"{"id":"y","query":"hi"}"#)])
        let emptyID = UUID().uuidString.lowercased()
        try await redis.xadd(config.keys.queries, [("v", "1"), ("job", #"{"id":"\#(emptyID)","query":"   "}"#)])
        let bigID = UUID().uuidString.lowercased()
        let big = String(repeating: "x", count: Wire.maxQueryBytes + 1)
        try await redis.xadd(config.keys.queries, [("v", "1"), ("job", #"{"id":"\#(bigID)","query":"\#(big)"}"#)])
        // After the poison, a good query still goes through.
        let goodID = try await client.submit("Compute 99 * 101.", user: "carol-\(config.namespace)")
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([goodID, emptyID, bigID], after: cursor, timeout: .seconds(60)) { answers.add($0) }
        #expect(missing.isEmpty)
        let byID = Dictionary(uniqueKeysWithValues: answers.all.map { ($0.queryID, $0) })
        #expect(byID[goodID]?.answer.map { Answers.numbers(in: $0).last } == 9999)
        #expect(byID[emptyID]?.status == "failed")
        #expect(byID[emptyID]?.error == "the query is empty")
        #expect(byID[bigID]?.status == "failed")
        #expect(byID[bigID]?.error?.contains("64 KiB") == true)

        let dead = try await redis.command("XRANGE", config.keys.dead, "-", "+").array ?? []
        let reasons = dead.compactMap { $0.array?[1].pairs["reason"]?.string }
        #expect(reasons.count == 5)
        #expect(reasons.contains("malformed JSON in 'job'"))
        #expect(reasons.contains("unknown schema version v=99 (this worker reads v=1)"))
        #expect(reasons.contains("missing field 'v' (schema version)"))
        #expect(reasons.contains("the query is empty"))
        // Every entry, poison or not, was acknowledged.
        #expect(try await redis.command("XINFO", "GROUPS", config.keys.queries).array?.first?.pairs["pending"]?.int == 0)
        await fleet.stop()
    }

    @Test func anEntryLeftPendingByADeadConsumerIsReclaimed() async throws {
        let config = try TestEnv.config(extra: ["DELLM_CLAIM_MIN_IDLE_MS": "0"])
        let client = try FleetClient(config: config)
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let cursor = try await client.answersCursor()
        // A consumer reads the query and dies before acknowledging it.
        try await redis.ensureGroup(stream: config.keys.queries, group: "ingest")
        let id = try await client.submit("What is 2048 minus 512?", user: "dave-\(config.namespace)")
        let taken = try await redis.xreadgroup(group: "ingest", consumer: "crashed-consumer", streams: [config.keys.queries],
                                               id: ">", count: 10, blockMilliseconds: 100)
        #expect(taken.count == 1)
        let fleet = try await InProcessFleet.start(config)
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { answers.add($0) }
        #expect(missing.isEmpty)
        #expect(answers.all.first?.answer.map { Answers.numbers(in: $0).last } == 1536)
        await fleet.stop()
    }

    /// A verify job delivered again after its query was answered (a worker died before its XACK, say)
    /// is judged from the verdict already recorded: no second verdict, trust move, earning or answer.
    /// The verdict of an instant check is decided inside the settling transaction, so this is what
    /// shows that its "first verdict" is known from the read under the query's lock. Only this query's rows and its node are
    /// compared: the database is shared with the tests running beside it.
    @Test func aVerifyJobDeliveredAgainChangesNothing() async throws {
        let config = try TestEnv.config()
        let fleet = try await InProcessFleet.start(config)
        defer { Task { await fleet.stop() } }
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is 37 times 41?", user: "carol-\(config.namespace)")
        _ = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }
        let db = PostgresConnection(url: config.databaseURL)
        func state() async throws -> [String?] {
            try await db.query("""
                SELECT (SELECT count(*) FROM verdicts WHERE subtask_id = $1 || '.0'),
                       (SELECT count(*) FROM credit_ledger WHERE query_id = $1 AND kind = 'earn'),
                       n.verified, n.trust, (SELECT status FROM queries WHERE id = $1)
                FROM nodes n WHERE n.id = (SELECT node_id FROM attempts WHERE subtask_id = $1 || '.0' AND attempt = 1)
                """, [id]).first ?? []
        }
        let before = try await state()
        #expect(before[0] == "1" && before[4] == "answered")
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let answersBefore = try await redis.command("XLEN", config.keys.answers).int
        try await redis.xadd(config.keys.verify, Wire.fields(VerifyJob(queryID: id, subtaskID: id + ".0", attempt: 1)))
        try await waitUntil {
            let g = try await redis.command("XINFO", "GROUPS", config.keys.verify).array?.first?.pairs
            return g?["pending"]?.int == 0 && g?["lag"]?.int == 0
        }
        #expect(try await state() == before)
        #expect(try await redis.command("XLEN", config.keys.synthesize).int == 1, "no second synthesis")
        #expect(try await redis.command("XLEN", config.keys.answers).int == answersBefore)
        await fleet.stop()
    }

    /// Code is checked in the sandbox outside the settling transaction (the instant path hands it
    /// back); a function that does what the task says passes, and one that does not is asked again.
    @Test func codeIsCheckedInTheSandboxOutsideTheTransaction() async throws {
        let fake = try FakeModelServer(.answer("```python\ndef add(a, b):\n    return a + b\n```"))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        defer { Task { await fleet.stop() } }
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Write a Python function add(a, b) that returns the sum; add(2, 3) returns 5.", user: "dan-\(config.namespace)")
        let answers = Collector<AnswerEvent>()
        _ = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { answers.add($0) }
        #expect(answers.all.first?.status == "answered")
        let db = PostgresConnection(url: config.databaseURL)
        let v = try await db.query("SELECT passed, reason FROM verdicts WHERE subtask_id = $1", [id + ".0"]).first
        #expect(v?[0] == "t")
        #expect(v?[1] == "passes 1 example from the task in the sandbox")
        await fleet.stop()
    }

    /// Code the task's words describe exactly is compiled (`CodeSpec`), checked in the sandbox and
    /// answered without a model call; with no example in the task the verdict says it is unproven. A
    /// task whose words are not all read still goes to the model.
    @Test func codeReadFromTheTasksWordsNeedsNoModel() async throws {
        let fake = try FakeModelServer(.answer("```python\ndef rotate_left(nums):\n    return nums[1:] + nums[:1]\n```"))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        defer { Task { await fleet.stop() } }
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let user = "eve-\(config.namespace)"
        let compiled = try await client.submit("Write a Python function total_even(nums) that returns the sum of the even numbers in nums.", user: user)
        let events = Collector<AnswerEvent>()
        _ = try await client.waitForAnswers([compiled], after: cursor, timeout: .seconds(60)) { events.add($0) }
        let first = events.all.first { $0.queryID == compiled }
        #expect(first?.status == "answered")
        #expect(first?.answer?.contains("return sum([_e for _e in nums if _e % 2 == 0])") == true)
        #expect(fake.answerRequests == 0, "the model was asked")
        let db = PostgresConnection(url: config.databaseURL)
        let a = try await db.query("SELECT tool, model_calls FROM attempts WHERE subtask_id = $1", [compiled + ".0"]).first
        #expect(a?[0] == "task-words")
        #expect(a?[1] == "0")
        let v = try await db.query("SELECT passed, reason FROM verdicts WHERE subtask_id = $1", [compiled + ".0"]).first
        #expect(v?[0] == "t")
        #expect(v?[1]?.hasPrefix("unproven: read from the task's words") == true, "\(v?[1] ?? "")")
        // Not every word read: the model writes it.
        let cursor2 = try await client.answersCursor()
        let modelled = try await client.submit("Write a Python function rotate_left(nums) that moves the first element of nums to the end.", user: user)
        _ = try await client.waitForAnswers([modelled], after: cursor2, timeout: .seconds(60)) { events.add($0) }
        #expect(events.all.first { $0.queryID == modelled }?.answer?.contains("nums[1:] + nums[:1]") == true)
        #expect(fake.answerRequests > 0)
        await fleet.stop()
    }
}

/// Polls a condition that has no event to await (a server-side counter), bounded in time.
func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within \(timeout)")
}

@Suite(.enabled(if: TestEnv.hasServers, "needs the test servers (run ./ops/test)"))
struct BacklogTests {
    @Test func agreesWithXLENAndXINFO() async throws {
        let config = try TestEnv.config()
        let client = try FleetClient(config: config)
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        try await redis.ensureGroup(stream: config.keys.queries, group: "ingest")
        for i in 0..<5 { try await redis.xadd(config.keys.queries, [("v", "1"), ("job", "{\"n\":\(i)}")]) }
        _ = try await redis.xreadgroup(group: "ingest", consumer: "c1", streams: [config.keys.queries], id: ">", count: 2, blockMilliseconds: nil)
        let info = try await client.backlog()
        let q = try #require(info.first { $0.stream == config.keys.queries })
        #expect(q.length == (try await redis.command("XLEN", config.keys.queries).int))
        let raw = try #require(try await redis.command("XINFO", "GROUPS", config.keys.queries).array?.first?.pairs)
        let g = try #require(q.groups.first)
        #expect(g.pending == raw["pending"]?.int)
        #expect(g.pending == 2)
        #expect(g.lag == raw["lag"]?.int)
        #expect(g.lag == 3)
        #expect(g.lastDeliveredID == raw["last-delivered-id"]?.string)
        #expect(g.consumerDetails.map(\.name) == ["c1"])
        #expect(g.oldestPendingMilliseconds != nil)
    }
}
