import DellmCore
@testable import DellmFleet
import DellmPostgres
import Foundation
import Testing

@Suite(.enabled(if: TestEnv.hasServers, "needs the test servers (run ./ops/test)"))
struct EconomyIntegrationTests {
    /// A user who runs a node, last seen at `lastSeen` (SQL).
    static func member(_ user: String, db: PostgresConnection, lastSeen: String = "now()") async throws {
        try await db.query("INSERT INTO users (id, runs_nodes) VALUES ($1, true)", [user])
        try await db.query("INSERT INTO nodes (id, role, owner_user, last_seen) VALUES ($1, 'specialist', $2, \(lastSeen))", ["node-" + user, user])
    }

    func parts(_ n: Int) -> [Splitter.Part] {
        (0..<n).map { Splitter.Part(index: $0, text: "What is \($0) plus 1?", type: .math, rule: "test") }
    }

    /// Trust is 0.6 × the share passed of the node's last 100 verdicts + 0.3 × its accuracy + 0.1 ×
    /// its uptime, from the window kept on the node's row: 130 verdicts, the first 40 failed.
    @Test func trustWeighsTheLast100Verdicts() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        _ = try await Store(db: db).migrate()
        let node = "trust-\(UUID().uuidString.prefix(8))"
        try await db.query("INSERT INTO nodes (id, role, uptime) VALUES ($1, 'specialist', 0.5)", [node])
        let attempt = VerdictStore.AttemptToVerify(type: .math, text: "1+1", index: 0, answer: "2", error: nil, node: node, tool: nil)
        for i in 0..<130 {
            let (sql, params) = VerdictStore.trustUpdate(attempt, Verdict(passed: i >= 40, reason: "test"))
            try await db.query(sql, params)
        }
        let row = try #require(try await db.query("SELECT trust, verified, correct, recent_verdicts FROM nodes WHERE id = $1", [node]).first)
        #expect(row[1] == "130" && row[2] == "90")
        #expect(row[3] == String(repeating: "0", count: 10) + String(repeating: "1", count: 90), "the last 100, oldest first")
        let expected = Economy.trust(recentAccuracy: 0.9, lifetimeAccuracy: 90.0 / 130, uptime: 0.5)
        #expect(abs((Double(row[0] ?? "") ?? 0) - expected) < 1e-9)
    }

    /// A node owner's ledger grows by an entry per verified attempt; their balance is read from the sum
    /// folded so far plus the entries not folded yet, and an ingest folds them once more than 64 wait.
    /// The balance is the ledger's sum before and after, and earnings arriving later still count.
    @Test func ledgerEntriesAreFoldedIntoTheBalance() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let store = Store(db: db)
        _ = try await store.migrate()
        let owner = "owner-\(UUID().uuidString.prefix(8))"
        try await Self.member(owner, db: db)
        try await db.query("""
            INSERT INTO credit_ledger (user_id, amount, kind, idempotency_key)
            SELECT $1, 0.0125, 'earn', 'test-earn:' || $1 || ':' || g FROM generate_series(1, 200) g
            """, [owner])
        func ledgerSum() async throws -> Double {
            Double(try await db.query("SELECT sum(amount) FROM credit_ledger WHERE user_id = $1", [owner]).first?[0] ?? "0") ?? 0
        }
        #expect(abs(try await store.ledger.balance(user: owner) - 2.5) < 1e-9)
        guard case .enqueue = try await store.ingest(QueryJob(id: UUID().uuidString.lowercased(), query: "two sums", user: owner), parts: parts(2)) else {
            Issue.record("not enqueued")
            return
        }
        let waiting = try await db.query("SELECT count(*) FROM credit_ledger WHERE user_id = $1 AND NOT folded", [owner]).first?[0]
        #expect(waiting == "0", "the grant, 200 earnings and the charge are folded")
        let price = Economy.price([.math, .math], runsNodes: true)
        #expect(abs(try await store.ledger.balance(user: owner) - (Economy.startingCredits + 2.5 - price)) < 1e-9)
        #expect(abs(try await store.ledger.balance(user: owner) - (try await ledgerSum())) < 1e-9)
        try await db.query("INSERT INTO credit_ledger (user_id, amount, kind, idempotency_key) VALUES ($1, 1, 'earn', 'test-late:' || $1)", [owner])
        #expect(abs(try await store.ledger.balance(user: owner) - (try await ledgerSum())) < 1e-9, "an entry after the fold counts")
    }

    /// A user who runs a node that contributed in the last week pays the member price; anyone else
    /// 1.5× (the one-round-trip ingest picks the price in SQL, by the user's row read under its lock).
    @Test func membersPayTheMemberPrice() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let store = Store(db: db)
        _ = try await store.migrate()
        let member = "member-\(UUID().uuidString.prefix(8))", guest = "guest-\(UUID().uuidString.prefix(8))"
        let lapsed = "lapsed-\(UUID().uuidString.prefix(8))", revoked = "revoked-\(UUID().uuidString.prefix(8))"
        try await Self.member(member, db: db)
        // Membership lapses a week after the user's node last contributed, and with the node's revocation.
        try await Self.member(lapsed, db: db, lastSeen: "now() - interval '8 days'")
        try await Self.member(revoked, db: db)
        try await db.query("UPDATE nodes SET revoked_at = now() WHERE owner_user = $1", [revoked])
        for (user, runsNodes) in [(member, true), (guest, false), (lapsed, false), (revoked, false)] {
            let job = QueryJob(id: UUID().uuidString.lowercased(), query: "two sums", user: user)
            guard case .enqueue(let tasks, _) = try await store.ingest(job, parts: parts(2)) else { Issue.record("not enqueued"); continue }
            #expect(tasks.count == 2)
            let price = Economy.price([.math, .math], runsNodes: runsNodes)
            #expect(abs(try await store.ledger.balance(user: user) - (Economy.startingCredits - price)) < 1e-9, "\(user)")
        }
    }

    /// An offline node's uptime, and with it its trust, decays: the sweeper's round recomputes nodes
    /// not seen for two minutes from their heartbeats of the last hour (none: uptime 0).
    @Test func anOfflineNodesTrustDecays() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let store = Store(db: db)
        _ = try await store.migrate()
        let (away, here) = ("away-\(UUID().uuidString.prefix(8))", "here-\(UUID().uuidString.prefix(8))")
        for node in [away, here] {
            try await db.query("""
                INSERT INTO nodes (id, role, uptime, trust, verified, correct, recent_verdicts, first_seen, last_seen)
                VALUES ($1, 'specialist', 1, 1, 10, 10, '1111111111', now() - interval '3 hours', now() - interval '10 minutes')
                """, [node])
        }
        try await store.nodes.heartbeat(node: here, role: "specialist", owner: "o", species: "s")
        try await store.nodes.decayOffline()
        let rows = try await db.query("SELECT id, uptime, trust FROM nodes WHERE id = ANY($1::text[])", ["{\(away),\(here)}"]).records
        let byID = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("id", as: String.self), (try $0.decode("uptime", as: Double.self), try $0.decode("trust", as: Double.self))) })
        #expect(byID[away]?.0 == 0 && abs((byID[away]?.1 ?? 0) - 0.9) < 1e-9, "\(byID)")
        // The one that beat this minute: 1 minute of the last 60, and its trust recomputed with it.
        #expect(abs((byID[here]?.0 ?? 0) - 1.0 / 60) < 1e-9 && abs((byID[here]?.1 ?? 0) - (0.9 + 0.1 / 60)) < 1e-9, "\(byID)")
    }

    @Test func eightConcurrentSubmittersCannotOverdrawAnAccount() async throws {
        let db0 = PostgresConnection(url: TestEnv.databaseURL!)
        _ = try await Store(db: db0).migrate()
        let user = "overdraw-\(UUID().uuidString.prefix(8))"
        let price = Economy.price(Array(repeating: .math, count: 6), runsNodes: false) // 0.9
        let perSubmitter = 20 // 160 queries × 0.9 > 100 credits
        let outcomes = try await withThrowingTaskGroup(of: [Store.IngestOutcome].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let store = Store(db: PostgresConnection(url: TestEnv.databaseURL!))
                    var out: [Store.IngestOutcome] = []
                    for _ in 0..<perSubmitter {
                        let job = QueryJob(id: UUID().uuidString.lowercased(), query: "six sums", user: user)
                        out.append(try await store.ingest(job, parts: parts(6)))
                        // A redelivery of the same entry: never a second charge.
                        _ = try await store.ingest(job, parts: parts(6))
                    }
                    return out
                }
            }
            var all: [Store.IngestOutcome] = []
            for try await o in group { all += o }
            return all
        }
        let charged = outcomes.filter { if case .enqueue = $0 { return true } else { return false } }.count
        let refused = outcomes.filter { if case .finished(let e) = $0 { return e.error?.hasPrefix("insufficient credits") == true } else { return false } }.count
        #expect(charged + refused == 8 * perSubmitter)
        #expect(charged == Int((Economy.startingCredits / price).rounded(.down)))
        let balance = try await Store(db: db0).ledger.balance(user: user)
        #expect(balance >= 0)
        #expect(abs(balance - (Economy.startingCredits - Double(charged) * price)) < 1e-6)
        let doubled = try await db0.query("""
            SELECT count(*) FROM (SELECT query_id FROM credit_ledger WHERE user_id = $1 AND kind = 'charge'
                                  GROUP BY query_id HAVING count(*) > 1) d
            """, [user]).first?[0]
        #expect(doubled == "0")
    }

    @Test func verifiedAttemptsMoveTrustTheMatrixAndEarnings() async throws {
        let fake = try FakeModelServer(.answer("```python\ndef add_up(a, b):\n    return a + b\n```"))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        var ids: [String] = []
        for i in 0..<5 { ids.append(try await client.submit("What is \(i) plus 10?", user: "payer-\(config.namespace)")) }
        _ = try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(60)) { _ in }
        func codeAttempts() async throws -> Int { try await client.inspector.matrix().filter { $0.type == "code" }.map(\.attempts).reduce(0, +) }
        let before = try await codeAttempts()
        // Code the task's example tests: a proven pass.
        var tasks: [String] = []
        for _ in 0..<3 {
            tasks.append(try await client.submit("Write a Python function add_up(a, b) that returns the sum of a and b. Example: add_up(2, 3) returns 5",
                                                 user: "payer-\(config.namespace)"))
        }
        _ = try await client.waitForAnswers(tasks, after: cursor, timeout: .seconds(60)) { _ in }
        await fleet.stop()
        let owner = "owner-\(config.namespace)"
        let node = try #require(try await client.inspector.nodes().first { $0.id == "test-node-\(config.namespace)" })
        #expect(node.verified == 8)
        #expect(node.correct == 8)
        #expect(node.trust > 0.89 && node.trust <= 1.0, "0.6 + 0.3 from accuracy, plus uptime")
        #expect(node.owner == owner)
        let earnings = try await client.inspector.ledger(user: owner, limit: 100).filter { $0.kind == "earn" }
        #expect(earnings.count == 3, "one earning per verified model-made attempt; the calculator's sums earn nothing")
        #expect(earnings.allSatisfy { $0.amount > 0 })
        // No part earns more than its user paid for it (the node's bonus is capped).
        #expect(earnings.allSatisfy { $0.amount <= Economy.price([.code], runsNodes: false) + 1e-9 })
        // The owner runs a node, so it pays the member price.
        #expect(try await client.db.query("SELECT runs_nodes FROM users WHERE id = $1", [owner]).first?[0] == "t")
        // The matrix rates genomes on model-made answers: the three programs count, the calculator's sums do not.
        #expect(try await codeAttempts() >= before + 3)
        #expect(try await client.inspector.matrix().first { $0.type == "math" && $0.species == "default" } == nil)
    }

    /// A pass no check can prove (a fact) moves no trust and earns nothing; the matrix counts it apart.
    @Test func unprovenPassesMoveNothing() async throws {
        let fake = try FakeModelServer(.answer("Paris is the capital of France."))
        defer { fake.stop() }
        // A database of its own: the matrix is fleet-wide, and other suites' facts would count in it.
        let url = try await TestEnv.freshDatabase()
        let config = try TestEnv.config(extra: ["DELLM_DATABASE_URL": url, "DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        var facts: [String] = []
        for _ in 0..<3 { facts.append(try await client.submit("What is the capital of France?", user: "payer-\(config.namespace)")) }
        #expect(try await client.waitForAnswers(facts, after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        await fleet.stop()
        let node = try #require(try await client.inspector.nodes().first { $0.id == "test-node-\(config.namespace)" })
        #expect(node.verified == 0 && node.correct == 0)
        #expect(try await client.inspector.ledger(user: "owner-\(config.namespace)", limit: 100).filter { $0.kind == "earn" }.isEmpty)
        let checks = try await client.inspector.partChecks(queryIDs: facts)
        #expect(facts.allSatisfy { checks[$0] == ["unproven"] }, "\(checks)")
        let cells = try await client.inspector.matrix().filter { $0.type == "factual" }
        #expect(cells.map(\.unproven).reduce(0, +) >= 3 && cells.map(\.attempts).reduce(0, +) == 0)
        let trace = try #require(try await client.inspector.trace(queryID: facts[0]))
        #expect(trace.parts[0].attempts.first?.verdict == "unproven")
    }

    /// An operator's top-up counts once per key, and a bad amount or user name is refused.
    @Test func aTopUpCountsOncePerKey() async throws {
        let config = try TestEnv.config()
        let store = try FleetClient(config: config).store
        try await store.prepare(species: config.species)
        let user = "topup-\(config.namespace)"
        let first = try await store.ledger.topUp(user: user, amount: 25, key: "k1-\(config.namespace)")
        let again = try await store.ledger.topUp(user: user, amount: 25, key: "k1-\(config.namespace)")
        #expect(first == 25 && again == 25)
        #expect(try await store.ledger.topUp(user: user, amount: 5, key: "k2-\(config.namespace)") == 30)
        await #expect(throws: Wire.DecodeError.self) { try await store.ledger.topUp(user: user, amount: -5, key: "k3") }
        await #expect(throws: Wire.DecodeError.self) { try await store.ledger.topUp(user: "bad user", amount: 5, key: "k4") }
    }
}
