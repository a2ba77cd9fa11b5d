import DellmCore
@testable import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// The operator's queue controls against a real fleet (a fake model that answers at once): pause and
/// resume a type, cancel a running query with a refund, retry it, and list what is in flight — from
/// the library and from the CLI, with the same effect.
@Suite(.enabled(if: TestEnv.hasServers, "needs the test servers (run ./ops/test)"))
struct QueueControlsTests {
    struct Fleet {
        let config: FleetConfig
        let client: FleetClient
        let controls: QueueControls
        let fleet: InProcessFleet
    }

    static func fleet(model: String) async throws -> Fleet {
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": model, "DELLM_SPOT_RATE": "0"])
        let client = try FleetClient(config: config)
        let fleet = try await InProcessFleet.start(config)
        return Fleet(config: config, client: client, controls: QueueControls(config: config, redis: client.redis, store: client.store), fleet: fleet)
    }

    /// The specialists' group on a stream: entries not yet delivered, and delivered but not acknowledged
    /// (no group yet — no lane has read the stream — leaves every entry undelivered).
    static func lagAndPending(_ f: Fleet, _ stream: String) async throws -> (lag: Int, pending: Int) {
        let length = try await f.client.redis.command("XLEN", stream).int ?? 0
        guard length > 0, let g = try await f.client.redis.xinfoGroups(stream: stream).first(where: { $0.name == "specialist" }) else { return (length, 0) }
        return (g.lag ?? -1, g.pending)
    }

    @Test func aPausedTypeWaitsACancelledQueryIsRefundedAndRetried() async throws {
        let fake = try FakeModelServer(.answer("Paris is the capital of France."))
        defer { fake.stop() }
        let f = try await Self.fleet(model: fake.url)
        let user = "qc-\(f.config.namespace)"
        try await f.controls.pause("factual")
        #expect(try await f.controls.paused() == ["factual"])
        // Once the lanes have read the pause, a factual part waits while another type's query is answered.
        let cursor = try await f.client.answersCursor()
        let both = try await f.client.submit("What is 12 times 12? What is the capital of France?", user: user)
        try await waitUntil { try await f.client.inspector.status(queryID: both)?.settled == 1 }
        let later = try await f.client.submit("What is 7 times 8?", user: user)
        _ = try await f.client.waitForAnswers([later], after: cursor, timeout: .seconds(20)) { _ in }
        let waiting = try await Self.lagAndPending(f, f.config.keys.tasks(.factual))
        #expect(waiting.lag == 1 && waiting.pending == 0, "\(waiting)")
        #expect(try await f.client.inspector.status(queryID: both)?.status == "running")
        // Cancel: the factual part is not started; its share of the charge comes back.
        let charged = try await f.client.db.query("SELECT -amount::float8 FROM credit_ledger WHERE query_id = $1 AND kind = 'charge'", [both]).first?[0]
            .flatMap { Double($0) } ?? 0
        let outcome = try await f.controls.cancel(queryID: both)
        let share = charged * Economy.price([.factual], runsNodes: true) / Economy.price([.math, .factual], runsNodes: true)
        guard case .cancelled(let who, let refund, let open) = outcome else { Issue.record("\(outcome)"); return }
        #expect(who == user && open == 1 && abs(refund - share) < 1e-3, "refund \(refund), share \(share)")
        #expect(try await f.controls.cancel(queryID: both) == .finished(.cancelled))
        // Its waiting task is gone from the stream: no node spends model time on it.
        #expect(try await f.client.redis.command("XLEN", f.config.keys.tasks(.factual)).int == 0)
        #expect(try await f.client.inspector.status(queryID: both)?.status == "cancelled")
        // Resumed: nothing of the cancelled part is left to take, and nothing of it is recorded.
        #expect(try await f.controls.resume("factual"))
        try await waitUntil { try await Self.lagAndPending(f, f.config.keys.tasks(.factual)) == (0, 0) }
        let attempts = try await f.client.db.query("SELECT count(*) FROM attempts WHERE subtask_id = $1", [both + ".1"]).first?[0] ?? nil
        #expect(attempts == "0")
        // Retry: a new query with the same text and user, answered, charged once.
        let again = try #require(try await f.controls.retry(queryID: both))
        #expect(again == both + "-retry-1")
        let got = Collector<AnswerEvent>()
        _ = try await f.client.waitForAnswers([again], after: cursor, timeout: .seconds(20)) { got.add($0) }
        #expect(got.all.first?.answer?.contains("Paris") == true && got.all.first?.answer?.contains("144") == true, "\(got.all)")
        let charges = try await f.client.db.query("SELECT count(*) FROM credit_ledger WHERE query_id = $1 AND kind = 'charge'", [again]).first?[0] ?? nil
        #expect(charges == "1")
        await #expect(throws: Wire.DecodeError.self) { try await f.controls.retry(queryID: again) } // answered: nothing to retry
        await f.fleet.stop()
    }

    /// A task entry lost from its stream (as a write is in a Redis failover: replication is asynchronous)
    /// leaves its part `queued` with nothing to answer it. The sweeper issues such a task again from
    /// PostgreSQL once it is past the task deadline and no stream holds it.
    @Test func aTaskLostFromItsStreamIsIssuedAgain() async throws {
        let config = try TestEnv.config(extra: ["DELLM_SPOT_RATE": "0", "DELLM_TASK_DEADLINE_MS": "1000"])
        let client = try FleetClient(config: config)
        // A fleet without the calculator's lanes (no math specialist): the task waits in its stream.
        let fleet = try await InProcessFleet.start(config, specialistTypes: [.factual])
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is 6 times 7?", user: "lost-\(config.namespace)")
        try await waitUntil { try await client.redis.command("XLEN", config.keys.instant).int == 1 }
        let entry = try #require(try await client.redis.command("XRANGE", config.keys.instant, "-", "+").array?.first?.array?.first?.string)
        #expect(try await client.redis.command("XDEL", config.keys.instant, entry).int == 1) // lost
        // Now a node with the calculator's lanes joins: only a task issued again can reach it.
        let calculator = SpecialistRole(config: config, types: [.math], node: "calc-node", owner: "owner-\(config.namespace)").instantLane
        let node = try await InProcessFleet.start(config, roles: [calculator])
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers([id], after: cursor, timeout: .seconds(30)) { answers.add($0) }
        await node.stop()
        await fleet.stop()
        #expect(missing.isEmpty && answers.all.first?.answer?.contains("42") == true, "\(answers.all)")
    }

    /// The same controls from the CLI: exit codes and JSON.
    @Test(.enabled(if: ProcessFleet.binary != nil, "needs DELLM_TEST_BIN"))
    func theCLIControlsDoTheSame() async throws {
        let config = try TestEnv.config()
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        func cli(_ args: String...) throws -> (status: Int32, out: String) { try ProcessFleet.cli(config, args) }
        #expect(try cli("ops", "pause", "code", "--json") == (0, "{\"paused\":[\"code\"]}\n"))
        let client = try FleetClient(config: config)
        #expect(try await QueueControls(config: config, redis: client.redis, store: client.store).paused() == ["code"])
        #expect(try cli("ops", "backlog", "--json").out.contains("\"paused\" : true"))
        #expect(try cli("ops", "resume", "code").status == 0)
        #expect(try cli("ops", "resume", "code").status == 3)   // not paused
        #expect(try cli("ops", "pause", "poetry").status == 64) // not a type
        #expect(try cli("ops", "cancel", "no-such-query").status == 3)
        #expect(try cli("ops", "retry", "no-such-query").status == 3)
        // What is in flight: an entry read and not acknowledged.
        let stream = config.keys.tasks(.code)
        try await client.redis.ensureGroup(stream: stream, group: "specialist")
        try await client.redis.xadd(stream, [("v", "1"), ("job", "{}")])
        _ = try await client.redis.xreadgroup(group: "specialist", consumer: "somebody", streams: [stream], id: ">", count: 1, blockMilliseconds: nil)
        let pending = try cli("ops", "pending", "tasks:code", "--json")
        #expect(pending.status == 0 && pending.out.contains("\"consumer\":\"somebody\"") && pending.out.contains("\"deliveries\":1"), "\(pending)")
    }
}
