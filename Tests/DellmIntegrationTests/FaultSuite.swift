import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// Suites that restart the servers or load them with hostile entries run one test at a time, so a
/// restart never lands in the middle of a probe (other suites still run beside them).
@Suite(.serialized) struct Disruptive {}

extension Disruptive {
/// The fault suite: real Redis, PostgreSQL and `dellm worker` processes, a fast fake model. Each
/// scenario submits a few hundred queries, injects a fault mid-run, and checks that every query ended
/// answered or failed with a reason, exactly once. The table is printed at the end.
@Suite(.serialized, .enabled(if: TestEnv.hasServers && ProcessFleet.binary != nil, "needs the test servers and DELLM_TEST_BIN (run ./ops/test)"))
struct FaultSuite {
    static let queriesPerScenario = Int(ProcessInfo.processInfo.environment["DELLM_FAULT_QUERIES"] ?? "") ?? 200

    struct Row: Sendable {
        var scenario: String
        var queries: Int
        var answered: Int
        var failedWithReason: Int
        var lost: Int
        var duplicated: Int
        var wrong: Int
    }

    static let table = Table()

    final class Table: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var rows: [Row] = []
        func add(_ r: Row) {
            lock.withLock { rows.append(r) }
            print(render())
        }
        func render() -> String {
            lock.withLock {
                var s = "\nFAULT SUITE\nscenario                              queries  answered  failed-with-reason  lost  duplicated  wrong\n"
                for r in rows {
                    s += r.scenario.padding(toLength: 38, withPad: " ", startingAt: 0)
                        + String(r.queries).padding(toLength: 9, withPad: " ", startingAt: 0)
                        + String(r.answered).padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(r.failedWithReason).padding(toLength: 20, withPad: " ", startingAt: 0)
                        + String(r.lost).padding(toLength: 6, withPad: " ", startingAt: 0)
                        + String(r.duplicated).padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(r.wrong) + "\n"
                }
                return s
            }
        }
    }

    /// Queries with known answers: arithmetic (the calculator) and facts (the fake model answers "Paris").
    static func workload(_ n: Int) -> [(String, (String) -> Bool)] {
        (0..<n).map { i in
            if i % 2 == 0 {
                let a = 10 + i, b = 3 + i % 7
                return ("What is \(a) times \(b)?", { Answers.numbers(in: $0).last == Double(a * b) })
            }
            return ("What is the capital of France? (\(i))", { $0.contains("Paris") })
        }
    }

    /// Runs one scenario: start the fleet, submit, inject the fault once a share of the queries is
    /// done, wait (bounded), then count.
    func scenario(_ name: String, modelBehaviour: FakeModelServer.Behaviour = .answer("Paris is the capital of France."),
                  extra: [String: String] = [:], queries: Int = FaultSuite.queriesPerScenario,
                  checkModel: (@Sendable (FakeModelServer, PostgresConnection, String) async throws -> Void)? = nil,
                  fault: @escaping @Sendable (ProcessFleet, FakeModelServer, FleetConfig) async throws -> Void) async throws -> Row {
        let config = try TestEnv.config(extra: extra)
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let model = try FakeModelServer(modelBehaviour)
        defer { model.stop() }
        let fleet = try ProcessFleet(config: config, modelURL: model.url, extra: extra)
        try fleet.up()
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let work = Self.workload(queries)
        var ids: [String] = []
        let user = "fault-\(config.namespace)"
        for (q, _) in work { ids.append(try await client.submit(q, user: user)) }
        let answers = Collector<AnswerEvent>()
        let submitted = ids
        let waiter = Task { try await client.waitForAnswers(submitted, after: cursor, timeout: .seconds(150)) { answers.add($0) } }
        // Inject the fault once about a fifth of the queries are done.
        try await waitUntil(timeout: .seconds(60)) { answers.all.count >= ids.count / 5 }
        try await fault(fleet, model, config)
        _ = try await waiter.value
        await fleet.down()

        let db = PostgresConnection(url: config.databaseURL)
        let byID = Dictionary(answers.all.map { ($0.queryID, $0) }, uniquingKeysWith: { a, _ in a })
        var answered = 0, failed = 0, wrong = 0
        for (id, (_, check)) in zip(ids, work) {
            guard let e = byID[id] else { continue }
            if e.status == "answered" {
                answered += 1
                if !check(e.answer ?? "") { wrong += 1 }
            } else if e.error?.isEmpty == false {
                failed += 1
            }
        }
        let stored = Int(try await db.query("SELECT count(*) FROM queries WHERE user_id = $1", [user]).first?[0] ?? "0") ?? 0
        let charges = try await db.query("""
            SELECT count(*) FROM (SELECT query_id FROM credit_ledger WHERE user_id = $1 AND kind = 'charge'
                                  GROUP BY query_id HAVING count(*) > 1) d
            """, [user]).first?[0]
        let duplicated = (Int(charges ?? "0") ?? 0) + max(0, stored - ids.count)
        try await checkModel?(model, db, user)
        // What became of a query not answered, for the log: its state and its parts' in PostgreSQL, then
        // every entry of Redis that names it. (This is how the PostgreSQL-restart losses, 3 to 20 of 200
        // in about one run of three under load, were traced to a lane's re-read of its pending entries.)
        for id in ids where byID[id] == nil {
            let q = try await db.query("SELECT status FROM queries WHERE id = $1", [id]).first?[0] ?? "not recorded by ingest"
            let parts = try await db.query("SELECT idx, status, attempts FROM subtasks WHERE query_id = $1 ORDER BY idx", [id]).rows
                .map { "\($0[0] ?? "?"):\($0[1] ?? "?")/\($0[2] ?? "?")" }
            print("fault suite: \(name): not answered \(id): query \(q), parts \(parts)")
        }
        let unanswered = ids.filter { byID[$0] == nil }
        if !unanswered.isEmpty { try await Self.whereAreThey(unanswered, config: config, name: name) }
        let row = Row(scenario: name, queries: ids.count, answered: answered, failedWithReason: failed,
                      lost: ids.count - answered - failed, duplicated: duplicated, wrong: wrong)
        Self.table.add(row)
        return row
    }

    /// Where the Redis side holds what a query not answered left (for the log): every entry of the
    /// namespace's streams (queries, tasks, node attempts, verify, synthesize, answers, dead letters)
    /// that names it, with each group's view of it — undelivered, pending under a consumer (idle, times
    /// delivered) or acknowledged.
    static func whereAreThey(_ queries: [String], config: FleetConfig, name: String) async throws {
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        var streams: [String] = []
        var cursor = "0"
        repeat {
            let r = try await redis.command("SCAN", cursor, "MATCH", "\(config.namespace):*", "COUNT", "1000", "TYPE", "stream")
            guard let parts = r.array, parts.count == 2, let next = parts[0].string else { break }
            cursor = next
            streams += (parts[1].array ?? []).compactMap(\.string)
        } while cursor != "0"
        for stream in streams.sorted() {
            let entries = try (try await redis.command("XRANGE", stream, "-", "+").array ?? []).compactMap { try RedisConnection.parseEntry(stream: stream, $0) }
            let groups = (try? await redis.xinfoGroups(stream: stream)) ?? []
            for e in entries {
                let text = e.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                guard let q = queries.first(where: { text.contains($0) }) else { continue }
                var views: [String] = []
                for g in groups {
                    if let p = try await redis.xpending(stream: stream, group: g.name, start: e.id, end: e.id, count: 1).first {
                        views.append("\(g.name): pending under \(p.consumer), idle \(p.idleMilliseconds) ms, delivered \(p.deliveries)×")
                    } else {
                        views.append("\(g.name): \(Self.order(e.id) > Self.order(g.lastDeliveredID) ? "not delivered" : "acknowledged")")
                    }
                }
                print("fault suite: \(name): \(q.prefix(8)) in \(stream) \(e.id): \(views.joined(separator: "; ")) — \(text.prefix(300))")
            }
        }
    }

    static func order(_ id: String) -> (Int, Int) { let p = id.split(separator: "-").map { Int($0) ?? 0 }; return (p.first ?? 0, p.count > 1 ? p[1] : 0) }

    func expectClean(_ r: Row, allowFailures: Bool = false) {
        #expect(r.lost == 0, "\(r.scenario): lost \(r.lost)")
        #expect(r.duplicated == 0, "\(r.scenario): duplicated \(r.duplicated)")
        #expect(r.wrong == 0, "\(r.scenario): wrong \(r.wrong)")
        if !allowFailures { #expect(r.failedWithReason == 0, "\(r.scenario): failed \(r.failedWithReason)") }
    }

    /// Model calls longer than the claim idle time, four lanes, a queued batch: every vote is asked of
    /// the model exactly once (no lane takes over a live lane's work), counted at the fake server.
    @Test func aSlowModelAnswersEveryVoteOnce() async throws {
        let r = try await scenario("slow model (2 s calls, 1.5 s idle)", modelBehaviour: .slow(2_000, "Paris is the capital of France."),
                                   queries: 40, checkModel: { model, db, user in
            let needed = Int(try await db.query("""
                SELECT coalesce(sum(a.model_calls), 0) FROM attempts a JOIN subtasks s ON s.id = a.subtask_id
                JOIN queries q ON q.id = s.query_id WHERE q.user_id = $1
                """, [user]).first?[0] ?? "") ?? -1
            let calls = model.answerRequests
            print("slow model: \(calls) model calls at the server, \(needed) votes recorded")
            #expect(calls == needed, "\(calls) model calls for \(needed) votes: \(calls - needed) made twice")
        }) { _, _, _ in }
        expectClean(r)
    }

    @Test(arguments: ProcessFleet.roles)
    func sigkillOfARoleMidRun(_ role: String) async throws {
        let r = try await scenario("SIGKILL \(role)") { fleet, _, _ in
            fleet.kill(role)
            _ = await fleet.waitExit(role, timeout: .seconds(5))
            try fleet.up() // as ./ops/stack up does
        }
        expectClean(r)
    }

    @Test func sigkillOfTwoRolesAtOnce() async throws {
        let r = try await scenario("SIGKILL specialist + verifier") { fleet, _, _ in
            fleet.kill("specialist")
            fleet.kill("verifier")
            _ = await fleet.waitExit("specialist", timeout: .seconds(5))
            _ = await fleet.waitExit("verifier", timeout: .seconds(5))
            try fleet.up()
        }
        expectClean(r)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DELLM_TEST_REDIS_RESTART"] != nil))
    func redisRestartedMidRun() async throws {
        let r = try await scenario("Redis restarted") { _, _, _ in
            try await runShell(ProcessInfo.processInfo.environment["DELLM_TEST_REDIS_RESTART"]!)
        }
        expectClean(r)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DELLM_TEST_PG_RESTART"] != nil))
    func postgresRestartedMidRun() async throws {
        let r = try await scenario("PostgreSQL restarted") { _, _, _ in
            try await runShell(ProcessInfo.processInfo.environment["DELLM_TEST_PG_RESTART"]!)
        }
        expectClean(r)
    }

    @Test(arguments: [
        ("model returns 500s", FakeModelServer.Behaviour.status(500)),
        ("model hangs past the timeout", .hang),
        ("model closes the connection", .close),
        ("model returns malformed JSON", .malformed),
        ("model returns an empty answer", .empty),
    ])
    func modelFaultsForAWhile(_ name: String, _ behaviour: FakeModelServer.Behaviour) async throws {
        let r = try await scenario(name, extra: ["DELLM_MODEL_TIMEOUT_MS": "500"]) { _, model, _ in
            model.set(behaviour)
            try await Task.sleep(for: .seconds(2)) // the fault lasts a while: that is the scenario
            model.set(.answer("Paris is the capital of France."))
        }
        // Subtasks that ran out of attempts during the fault end failed with a reason; none is lost.
        expectClean(r, allowFailures: true)
    }

    @Test func sigtermDuringLoadLosesNothing() async throws {
        let r = try await scenario("SIGTERM all, then up", extra: ["DELLM_SHUTDOWN_GRACE_MS": "5000"]) { fleet, _, _ in
            for role in ProcessFleet.roles { fleet.kill(role, signal: SIGTERM) }
            for role in ProcessFleet.roles {
                let exit = await fleet.waitExit(role, timeout: .seconds(10))
                #expect(exit?.status == 0, "\(role) exits 0 on SIGTERM")
                #expect(exit?.reason == .exit)
                #expect((exit?.took ?? .seconds(99)) < .seconds(6), "\(role) stops within the grace period")
            }
            try fleet.up()
        }
        expectClean(r)
    }

    /// The first SIGTERM lets a worker finish the entry it holds, however long (here a model call that
    /// never returns, under a grace period of a minute); a second one exits at once, and the entry stays
    /// pending for another consumer.
    @Test func aSecondSignalStopsAWorkerAtOnce() async throws {
        let extra = ["DELLM_SHUTDOWN_GRACE_MS": "60000", "DELLM_MODEL_TIMEOUT_MS": "60000"]
        let config = try TestEnv.config(extra: extra)
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let model = try FakeModelServer(.hang)
        defer { model.stop() }
        let fleet = try ProcessFleet(config: config, modelURL: model.url, extra: extra)
        try fleet.up()
        let client = try FleetClient(config: config)
        _ = try await client.submit("What is the capital of France?", user: "signals-\(config.namespace)")
        try await waitUntil(timeout: .seconds(30)) { model.answerRequests > 0 } // the specialist holds the task
        fleet.kill("specialist", signal: SIGTERM)
        #expect(await fleet.waitExit("specialist", timeout: .seconds(2)) == nil, "it waits for the entry it holds")
        fleet.kill("specialist", signal: SIGTERM)
        let exit = await fleet.waitExit("specialist", timeout: .seconds(5))
        #expect(exit?.status == 1, "\(String(describing: exit))")
        #expect(fleet.log("specialist").contains("second signal"))
        let pending = try await RedisConnection(configuration: config.redisConfiguration())
            .xinfoGroups(stream: config.keys.tasks(.factual)).first { $0.name == "specialist" }?.pending
        #expect(pending == 1, "the task stays pending for another consumer")
        await fleet.down()
    }

    @Test func poisonEntriesAmongRealWork() async throws {
        let r = try await scenario("poison entries mid-run") { _, _, config in
            let redis = RedisConnection(configuration: try config.redisConfiguration())
            try await redis.xadd(config.keys.queries, [("v", "1"), ("job", "{broken")])
            try await redis.xadd(config.keys.queries, [("v", "7"), ("job", "{}")])
            try await redis.xadd(config.keys.tasks(.math), [("v", "1"), ("job", #"{"query_id":"nope"}"#)])
            try await redis.xadd(config.keys.verify, [("v", "1"), ("job", #"{"query_id":"nope","subtask_id":"nope.0","attempt":1}"#)])
            try await waitUntil { (try await redis.command("XLEN", config.keys.dead).int ?? 0) == 4 }
        }
        expectClean(r)
    }
}
}
