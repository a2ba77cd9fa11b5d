import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// One line of the adversarial table, written where `./ops/test` prints it after the run.
enum AttackTable {
    static func record(_ attack: String, stoppedBy: String, lost: Int, unfairCredits: Double, trust: String) {
        guard let path = ProcessInfo.processInfo.environment["DELLM_TEST_ATTACK_LOG"] else { return }
        let line = JSONValue.members([
            ("attack", .string(attack)), ("stopped_by", .string(stoppedBy)), ("lost", .int(lost)),
            ("unfair_credits", .number(String(format: "%.4f", unfairCredits))), ("trust", .string(trust)),
        ]).serialized + "\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}

/// A node that does not run DELLM's code: what an attacker does by hand with a registered node's
/// credentials (its own Redis user), against a fleet that records only registered nodes' work.
struct Adversary {
    let config: FleetConfig
    let node: String
    let redis: RedisConnection
    var consumer: String { "\(node)~evil-specialist-0" }
    var streams: [String] { [config.keys.instant, config.keys.tasks(.math)] }

    init(config: FleetConfig, credentials: NodeCredentials) throws {
        self.config = config
        self.node = credentials.node
        self.redis = RedisConnection(configuration: try RedisConfiguration(url: credentials.redisURL), name: "adversary")
    }

    /// Tasks of its types, read as a node reads them.
    func take(count: Int = 10) async throws -> [StreamEntry] {
        for s in streams { try await redis.ensureGroup(stream: s, group: "specialist") }
        _ = try await redis.command("SET", config.keys.alive(group: "specialist", consumer: consumer), "1", "PX", "6000")
        return try await redis.xreadgroup(group: "specialist", consumer: consumer, streams: streams, id: ">", count: count, blockMilliseconds: 100)
    }

    /// Hands in `answer` for a task, claiming two agreeing model votes (model work earns; a tool's does
    /// not), and another owner; returns what was sent.
    @discardableResult
    func handIn(_ e: StreamEntry, answer: String) async throws -> [(String, String)] {
        let t = try Wire.decode(TaskJob.self, v: e["v"], job: e["job"])
        let votes = (1...2).map { Vote(source: "\(t.spec?.id ?? "g")#\($0)", answer: answer, milliseconds: 900, tokens: 40) }
        let record = AttemptRecord(answer: answer, votes: votes, confidence: 0.9, tool: nil, error: nil, latencyMilliseconds: 1_800)
        let fields = Wire.fields(AttemptJob(task: t, taskStream: e.stream, taskEntry: e.id, genome: t.spec?.id ?? "none", record: record,
                                            owner: "someone-else"))
        try await redis.xadd(config.keys.attempts(node: node), fields)
        return fields
    }

    /// Whether Redis refuses `args` for this user.
    func refused(_ args: [String]) async -> Bool {
        do { _ = try await redis.command(args); return false } catch let e as RedisError { return e.message.contains("NOPERM") } catch { return false }
    }
}

extension Disruptive {
/// The adversarial suite (issue 19): each attack made with what a registered node has — its Redis
/// user — against a fleet whose verifier records only registered nodes' work, beside an honest node
/// that holds nothing but its own credentials (and a database URL that leads nowhere).
@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct AdversarialTests {
    struct Fleet {
        let config: FleetConfig
        let client: FleetClient
        let registrar: NodeRegistrar
        let coordinator: InProcessFleet
        let honest: InProcessFleet
        let honestNode: String

        func stop() async {
            await honest.stop()
            await coordinator.stop()
        }

        /// Registers a node for `owner` and returns its credentials.
        func add(_ name: String, owner: String) async throws -> NodeCredentials {
            try await registrar.add(node: "\(name)-\(config.namespace)", owner: "\(owner)-\(config.namespace)", types: [.math]).0
        }

        /// What `owner`'s nodes earned.
        func earned(_ owner: String) async throws -> Double {
            let r = try await client.db.query("SELECT coalesce(sum(amount), 0)::float8 FROM credit_ledger WHERE user_id = $1 AND kind = 'earn'",
                                              ["\(owner)-\(config.namespace)"])
            return Double(r.first?[0] ?? "") ?? -1
        }

        func standing(_ node: String) async throws -> TrustPolicy.Standing {
            let r = try #require(try await client.db.query("SELECT trust, verified FROM nodes WHERE id = $1", [node]).firstRecord)
            return TrustPolicy.Standing(trust: try r.decode("trust"), verified: try r.decode("verified"))
        }

        /// Submits `n` products for the calculator and waits; returns (answered right, answered wrong, failed, lost).
        func ask(_ n: Int, timeout: Duration = .seconds(90)) async throws -> (right: Int, wrong: Int, failed: Int, lost: Int) {
            let cursor = try await client.answersCursor()
            var expected: [String: Int] = [:]
            for i in 0..<n {
                let (a, b) = (13 + i, 7 + (i % 11))
                expected[try await client.submit("What is \(a) times \(b)?", user: "alice-\(config.namespace)")] = a * b
            }
            let got = Collector<AnswerEvent>()
            let missing = try await client.waitForAnswers(Array(expected.keys), after: cursor, timeout: timeout) { got.add($0) }
            var right = 0, wrong = 0, failed = 0
            for e in got.all {
                if e.status != "answered" { failed += 1 } else if Answers.numbers(in: e.answer ?? "").last == Double(expected[e.queryID] ?? -1) { right += 1 } else { wrong += 1 }
            }
            return (right, wrong, failed, missing.count)
        }
    }

    static func fleet(extra: [String: String] = [:]) async throws -> Fleet {
        let config = try TestEnv.config(extra: ["DELLM_NODE_ACCESS": "registered", "DELLM_MAX_ATTEMPTS": "10", "DELLM_SPOT_RATE": "0"].merging(extra) { _, b in b })
        let client = try FleetClient(config: config)
        _ = try await Store(db: client.db).prepare(species: config.species)
        let registrar = NodeRegistrar(config: config, redis: client.redis, store: client.store)
        let coordinator = try await InProcessFleet.start(config, roles: [
            IngestRole(config: config, askModelWhenUnsure: false), VerifierRole(config: config, verifierID: "v"), SynthesizerRole(config: config),
        ])
        let honestNode = "honest-\(config.namespace)"
        let credentials = try await registrar.add(node: honestNode, owner: "honest-owner-\(config.namespace)", types: [.math]).0
        // The honest node: its own Redis user, and a database URL that leads nowhere (it never connects).
        let nodeConfig = try TestEnv.config(namespace: config.namespace, extra: ["DELLM_REDIS_URL": credentials.redisURL,
                                                                                  "DELLM_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"])
        let node = SpecialistRole(config: nodeConfig, types: [.math], node: honestNode, owner: "honest-owner-\(config.namespace)")
        let honest = try await InProcessFleet.start(nodeConfig, roles: [node, node.instantLane])
        return Fleet(config: config, client: client, registrar: registrar, coordinator: coordinator, honest: honest, honestNode: honestNode)
    }

    @Test func aNodeMayTouchOnlyItsOwnKeys() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        let evil = try Adversary(config: f.config, credentials: try await f.add("evil", owner: "evil-owner"))
        let k = f.config.keys, other = k.attempts(node: f.honestNode)
        let job = #"{"query_id":"q","subtask_id":"q.0","attempt":1}"#
        let attempts: [(String, [String])] = [
            ("XADD verify (a verdict asked for)", ["XADD", k.verify, "*", "v", "1", "job", job]),
            ("XADD answers (an answer announced)", ["XADD", k.answers, "*", "v", "1", "job", job]),
            ("XADD queries (a query on someone's account)", ["XADD", k.queries, "*", "v", "1", "job", job]),
            ("XADD tasks:math (a forged task)", ["XADD", k.tasks(.math), "*", "v", "1", "job", job]),
            ("XADD another node's stream (work in its name)", ["XADD", other, "*", "v", "1", "job", job]),
            ("XRANGE another node's stream (its attempts, to replay)", ["XRANGE", other, "-", "+"]),
            ("XACK a task (acknowledged, never answered)", ["XACK", k.tasks(.math), "specialist", "1-1"]),
            ("XCLAIM a task from another node", ["XCLAIM", k.tasks(.math), "specialist", evil.consumer, "0", "1-1"]),
            ("XAUTOCLAIM tasks", ["XAUTOCLAIM", k.tasks(.math), "specialist", evil.consumer, "0", "0"]),
            ("XGROUP SETID (skip the queue)", ["XGROUP", "SETID", k.tasks(.math), "specialist", "$"]),
            ("XDEL / DEL a task stream", ["DEL", k.tasks(.math)]),
            ("XREADGROUP a type it was not registered for", ["XREADGROUP", "GROUP", "specialist", evil.consumer, "STREAMS", k.tasks(.code), ">"]),
            ("SET another node's liveness mark", ["SET", k.alive(group: "specialist", consumer: "\(f.honestNode)~x-specialist-0"), "1"]),
            ("EVAL a script that XADDs to verify", ["EVAL", "return redis.call('XADD', KEYS[1], '*', 'a', 'b')", "1", k.verify]),
            ("FLUSHALL", ["FLUSHALL"]), ("CONFIG GET *", ["CONFIG", "GET", "*"]), ("KEYS *", ["KEYS", "*"]),
            ("ACL SETUSER (more rights)", ["ACL", "SETUSER", NodeRegistrar.redisUser(evil.node), "+@all", "~*"]),
        ]
        var allowed: [String] = []
        for (what, args) in attempts where await !evil.refused(args) { allowed.append(what) }
        #expect(allowed.isEmpty, "allowed to a node: \(allowed)")
        // What it may do: read its types' tasks and append to its own stream.
        _ = try await evil.take()
        try await evil.redis.xadd(k.attempts(node: evil.node), [("v", "1"), ("heartbeat", "{}")])
        // And it has no way to PostgreSQL: its credentials are a Redis URL; the honest node runs with a
        // database URL that leads nowhere, and answers (below).
        let r = try await f.ask(5)
        #expect(r.right == 5)
        for (what, _) in attempts {
            AttackTable.record("node's own Redis user: \(what)", stoppedBy: "ACL: NOPERM", lost: 0, unfairCredits: 0, trust: "-")
        }
        AttackTable.record("node reaches PostgreSQL", stoppedBy: "a node holds no PostgreSQL credential; the honest node ran with a database URL that leads nowhere and answered \(r.right)/5",
                           lost: r.lost, unfairCredits: 0, trust: "-")
    }

    @Test func anAlwaysWrongNodeIsQuarantinedAndEarnsNothing() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        let evil = try Adversary(config: f.config, credentials: try await f.add("wrong", owner: "wrong-owner"))
        let answering = Task {
            var handed = 0
            while !Task.isCancelled {
                for e in (try? await evil.take()) ?? [] {
                    _ = try? await evil.handIn(e, answer: "Answer: 1")
                    handed += 1
                }
                try? await Task.sleep(for: .milliseconds(20)) // a node's own work between reads, not synchronisation
            }
            return handed
        }
        // Batches of 50 until it has been judged past its probation (how many tasks it wins is timing's):
        // at most 8 batches.
        var r = (right: 0, wrong: 0, failed: 0, lost: 0)
        for _ in 0..<8 {
            let b = try await f.ask(50, timeout: .seconds(120))
            r = (r.right + b.right, r.wrong + b.wrong, r.failed + b.failed, r.lost + b.lost)
            if try await f.standing(evil.node).verified >= TrustPolicy.probation + 2 { break }
        }
        answering.cancel()
        let handed = await answering.value
        let s = try await f.standing(evil.node)
        let earned = try await f.earned("wrong-owner")
        // A second opinion comes from another node: no subtask holds two of its attempts.
        let twice = Int(try await f.client.db.query("""
            SELECT count(*) FROM (SELECT subtask_id FROM attempts WHERE node_id = $1 GROUP BY subtask_id HAVING count(*) > 1) t
            """, [evil.node]).first?[0] ?? "") ?? -1
        #expect(r.wrong == 0 && r.lost == 0, "\(r)")
        #expect(earned == 0)
        #expect(twice == 0)
        #expect(s.verified >= TrustPolicy.probation && TrustPolicy.quarantined(s), "after \(s.verified) verdicts, trust \(s.trust)")
        AttackTable.record("always answers wrong (claims two agreeing model votes), \(handed) attempts",
                           stoppedBy: "the verifier recomputes; no pass, no earning; quarantined at \(TrustPolicy.probation) verdicts (trust < \(TrustPolicy.floor)), then given only re-asked work; every re-ask answered by another node",
                           lost: r.lost, unfairCredits: earned, trust: String(format: "%.3f after %d verdicts%@; queries %d right, %d wrong, %d failed", s.trust, s.verified,
                                                                               TrustPolicy.quarantined(s) ? ", quarantined" : "", r.right, r.wrong, r.failed))
    }

    @Test func aNodeRightOnlyWhenItGuessesItIsCheckedGainsNothing() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        let evil = try Adversary(config: f.config, credentials: try await f.add("sly", owner: "sly-owner"))
        // Its guess: a first attempt is not checked, a re-asked one (attempt > 1) is.
        let answering = Task {
            while !Task.isCancelled {
                for e in (try? await evil.take()) ?? [] {
                    guard let t = try? Wire.decode(TaskJob.self, v: e["v"], job: e["job"]) else { continue }
                    let right = ArithmeticGrammar.reading(t.text)?.answer ?? "0"
                    _ = try? await evil.handIn(e, answer: t.attempt > 1 ? right : "Answer: 1")
                }
                try? await Task.sleep(for: .milliseconds(20)) // its own work between reads
            }
        }
        let r = try await f.ask(30)
        answering.cancel()
        let s = try await f.standing(evil.node)
        let earned = try await f.earned("sly-owner")
        let passed = Int(try await f.client.db.query("SELECT count(*) FROM verdicts WHERE node_id = $1 AND passed", [evil.node]).first?[0] ?? "") ?? -1
        #expect(r.wrong == 0 && r.lost == 0, "\(r)")
        AttackTable.record("right only when it guesses it is checked (re-asked attempts)",
                           stoppedBy: "every answer is checked, not a sample; its wrong first attempts fail and are re-asked",
                           lost: r.lost, unfairCredits: 0, trust: String(format: "%.3f after %d verdicts (%d passed, earning %.4f for checked right work); queries %d right, %d wrong",
                                                                          s.trust, s.verified, passed, earned, r.right, r.wrong))
    }

    @Test func aNodeThatHoldsTasksLosesThemAndTheMissesCount() async throws {
        let f = try await Self.fleet(extra: ["DELLM_TASK_DEADLINE_MS": "2000"])
        defer { Task { await f.stop() } }
        let evil = try Adversary(config: f.config, credentials: try await f.add("holder", owner: "holder-owner"))
        // It takes tasks and never hands them in (it may not acknowledge them: NOPERM), keeping itself alive.
        let holding = Task {
            var held = 0
            while !Task.isCancelled { held += ((try? await evil.take()) ?? []).count }
            return held
        }
        let started = ContinuousClock.now
        let r = try await f.ask(20, timeout: .seconds(60))
        let seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
        holding.cancel()
        let held = await holding.value
        let missed = Int(try await f.client.db.query("SELECT missed FROM nodes WHERE id = $1", [evil.node]).first?[0] ?? "") ?? -1
        let s = try await f.standing(evil.node)
        #expect(r.right == 20 && r.lost == 0, "\(r)")
        #expect(held == 0 || missed >= 1, "held \(held), missed \(missed)")
        AttackTable.record("takes tasks and never answers (\(held) taken)",
                           stoppedBy: "nodes cannot XACK; the coordinator reissues tasks held past DELLM_TASK_DEADLINE_MS (2 s here) and counts a miss",
                           lost: r.lost, unfairCredits: try await f.earned("holder-owner"),
                           trust: String(format: "%.3f, %d missed; all %d answered in %.1f s", s.trust, missed, r.right, seconds))
    }

    @Test func replayedAttemptsCountOnce() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        // The honest node stops, so the replaying node takes every task.
        await f.honest.stop()
        let evil = try Adversary(config: f.config, credentials: try await f.add("replayer", owner: "replayer-owner"))
        let cursor = try await f.client.answersCursor()
        let id = try await f.client.submit("What is 41 times 3?", user: "alice-\(f.config.namespace)")
        var entries: [StreamEntry] = []
        try await waitUntil { entries = try await evil.take(); return !entries.isEmpty }
        let fields = try await evil.handIn(entries[0], answer: "Answer: 123")
        let got = Collector<AnswerEvent>()
        _ = try await f.client.waitForAnswers([id], after: cursor, timeout: .seconds(20)) { got.add($0) }
        let before = try await f.earned("replayer-owner")
        // The same attempt, ten times more.
        var last = ""
        for _ in 0..<10 { last = try await evil.redis.xadd(f.config.keys.attempts(node: evil.node), fields) }
        let stream = f.config.keys.attempts(node: evil.node)
        // Until the recorder has read and finished every replay.
        try await waitUntil {
            guard let g = try await f.client.redis.xinfoGroups(stream: stream).first(where: { $0.name == "recorder" }) else { return false }
            return g.lastDeliveredID == last && g.pending == 0
        }
        let after = try await f.earned("replayer-owner")
        let attempts = Int(try await f.client.db.query("SELECT count(*) FROM attempts WHERE subtask_id = $1", [id + ".0"]).first?[0] ?? "") ?? -1
        #expect(got.all.first?.answer?.contains("123") == true)
        #expect(attempts == 1 && before > 0 && after == before, "attempts \(attempts), earned \(before) then \(after)")
        AttackTable.record("replays its own attempt 10 times; another node's it cannot read (NOPERM)",
                           stoppedBy: "an attempt is recorded once per subtask and attempt; the replay is a redelivery",
                           lost: 0, unfairCredits: after - before, trust: "\(attempts) attempt recorded, earned \(String(format: "%.4f", before)) once")
    }

    @Test func aSubmitterNamingAnotherUserIsChargedItself() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        let (ns, k) = (f.config.namespace, f.config.keys)
        let mallory = "mallory-\(ns)", victim = "victim-\(ns)"
        let url = try await SubmitterRegistrar(config: f.config, redis: f.client.redis).add(user: mallory).redisURL
        // The victim has used the fleet: a balance to steal from.
        _ = try await f.client.store.ledger.topUp(user: victim, amount: 50, key: "t-\(ns)")
        let victimBefore = try await f.client.store.ledger.balance(user: victim)
        let me = try FleetClient(config: try TestEnv.config(namespace: ns, extra: ["DELLM_REDIS_URL": url, "DELLM_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"]))
        #expect(me.submitter == mallory)
        // The client refuses to name someone else; by hand, a job naming the victim on its own stream.
        await #expect(throws: Wire.DecodeError.self) { try await me.submit("What is 2 times 3?", user: victim) }
        let cursor = try await me.answersCursor()
        let id = UUID().uuidString.lowercased()
        try await me.redis.xadd(k.queries(user: mallory), Wire.fields(QueryJob(id: id, query: "What is 19 times 3?", user: victim)))
        let got = Collector<AnswerEvent>()
        let missing = try await me.waitForAnswers([id], after: cursor, timeout: .seconds(30)) { got.add($0) }
        #expect(missing.isEmpty && got.all.first?.answer?.contains("57") == true, "\(got.all)")
        let owner = try await f.client.db.query("SELECT user_id FROM queries WHERE id = $1", [id]).first?[0] ?? nil
        let victimAfter = try await f.client.store.ledger.balance(user: victim)
        #expect(owner == mallory && victimAfter == victimBefore, "charged to \(owner ?? "?"); victim \(victimBefore) → \(victimAfter)")
        #expect(try await me.ownResult(queryID: id)?.status == "answered")
        // Its trace, from its own stream (it has no database): charged to itself, the part and its verdict.
        let trace = try await me.ownTrace(queryID: id)
        #expect(trace?.user == mallory && trace?.parts.first?.attempts.first?.verdict != nil, "\(String(describing: trace))")
        // What else it may not do: the shared query stream (where any user can be named), others' streams, others' answers.
        let other = "someone-\(ns)"
        var allowed: [String] = []
        for (what, args) in [
            ("XADD the shared query stream", ["XADD", k.queries, "*", "v", "1", "job", "{}"]),
            ("XADD another user's query stream", ["XADD", k.queries(user: other), "*", "v", "1", "job", "{}"]),
            ("XREAD the shared answers", ["XREAD", "STREAMS", k.answers, "0"]),
            ("XRANGE another user's answers", ["XRANGE", k.answers(user: other), "-", "+"]),
            ("XADD its own answers stream (a forged answer)", ["XADD", k.answers(user: mallory), "*", "v", "1", "job", "{}"]),
            ("XADD a task stream", ["XADD", k.tasks(.math), "*", "v", "1", "job", "{}"]),
            ("CONFIG GET *", ["CONFIG", "GET", "*"]),
        ] {
            let refused: Bool
            do { _ = try await me.redis.command(args); refused = false } catch let e as RedisError { refused = e.message.contains("NOPERM") }
            if !refused { allowed.append(what) }
        }
        #expect(allowed.isEmpty, "allowed to a submitter: \(allowed)")
        AttackTable.record("a submitter names another user (job 'user': the victim) on its own stream",
                           stoppedBy: "ops users add: its Redis user may write only its own query stream, read only its own answers; ingest charges the stream's user",
                           lost: missing.count, unfairCredits: victimBefore - victimAfter,
                           trust: "query charged to \(owner == mallory ? "the submitter" : owner ?? "?"); 7 other commands refused")
    }

    /// The whole fleet under least privilege: each coordinator role with its own Redis user, the node
    /// with its own, the operator's user only for submitting and reading. A forged query entry is
    /// dead-lettered by the ingest role's user; each role is refused the keys of the others.
    @Test func aFleetOfLeastPrivilegeUsersAnswers() async throws {
        let fake = try FakeModelServer(.answer("Paris is the capital of France."))
        defer { fake.stop() }
        let base = try TestEnv.config(extra: ["DELLM_NODE_ACCESS": "registered", "DELLM_SPOT_RATE": "0", "DELLM_MODEL_URL": fake.url])
        let ns = base.namespace
        let client = try FleetClient(config: base)
        _ = try await Store(db: client.db).prepare(species: base.species)
        let urls = Dictionary(uniqueKeysWithValues: try await RoleAccess.setUp(config: base, redis: client.redis).urls.map { ($0.role, $0.redisURL) })
        func config(_ role: String) throws -> FleetConfig {
            try TestEnv.config(namespace: ns, extra: ["DELLM_NODE_ACCESS": "registered", "DELLM_SPOT_RATE": "0", "DELLM_MODEL_URL": fake.url,
                                                     "DELLM_REDIS_URL": urls[role]!])
        }
        let (ingest, verifier, synthesizer) = (try config("ingest"), try config("verifier"), try config("synthesizer"))
        let node = "lp-\(ns)"
        let creds = try await NodeRegistrar(config: base, redis: client.redis, store: client.store).add(node: node, owner: "lp-owner-\(ns)", types: [.math, .factual]).0
        let nodeConfig = try TestEnv.config(namespace: ns, extra: ["DELLM_REDIS_URL": creds.redisURL, "DELLM_MODEL_URL": fake.url,
                                                                   "DELLM_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"])
        let specialist = SpecialistRole(config: nodeConfig, types: [.math, .factual], node: node, owner: "lp-owner-\(ns)")
        let fleets = [
            try await InProcessFleet.start(ingest, roles: [IngestRole(config: ingest, askModelWhenUnsure: false)]),
            try await InProcessFleet.start(verifier, roles: [VerifierRole(config: verifier, verifierID: "v")]),
            try await InProcessFleet.start(synthesizer, roles: [SynthesizerRole(config: synthesizer)]),
            try await InProcessFleet.start(nodeConfig, roles: [specialist, specialist.instantLane]),
        ]
        let cursor = try await client.answersCursor()
        var ids = [try await client.submit("What is the capital of France?", user: "lp-user-\(ns)")]
        for i in 0..<5 { ids.append(try await client.submit("What is \(i + 4) times 9?", user: "lp-user-\(ns)")) }
        let forged = UUID().uuidString.lowercased()
        try await client.redis.xadd(base.keys.queries, [("v", "1"), ("job", "{\"id\":\"\(forged)\",\"query\":7}")])
        let got = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers(ids + [forged], after: cursor, timeout: .seconds(60)) { got.add($0) }
        for f in fleets { await f.stop() }
        #expect(missing.isEmpty, "unanswered: \(missing)")
        let answered = got.all.filter { $0.status == "answered" }.count
        #expect(answered == ids.count && got.all.first { $0.queryID == forged }?.status == "failed", "\(got.all)")
        // Each role's user is refused what belongs to the others.
        var allowed: [String] = []
        for (role, args) in [("synthesizer", ["XADD", base.keys.tasks(.math), "*", "a", "b"]), ("synthesizer", ["XADD", base.keys.queries, "*", "a", "b"]),
                             ("ingest", ["XADD", base.keys.verify, "*", "a", "b"]), ("ingest", ["XADD", base.keys.attempts(node: node), "*", "a", "b"]),
                             ("verifier", ["XADD", base.keys.queries, "*", "a", "b"]), ("ingest", ["CONFIG", "GET", "*"]),
                             ("verifier", ["FLUSHALL"]), ("synthesizer", ["KEYS", "*"]), ("ingest", ["ACL", "LIST"])] {
            let r = RedisConnection(configuration: try RedisConfiguration(url: urls[role]!))
            do { _ = try await r.command(args); allowed.append("\(role): \(args.prefix(2).joined(separator: " "))") } catch let e as RedisError where e.message.contains("NOPERM") {}
        }
        #expect(allowed.isEmpty, "\(allowed)")
        AttackTable.record("a coordinator role's Redis user used beyond its role (9 commands)",
                           stoppedBy: "ops roles: a user per role, its keys only, no administrative or dangerous commands; the fleet of least-privilege users answered \(answered)/\(ids.count) and failed the forged query",
                           lost: missing.count, unfairCredits: 0, trust: "-")
    }

    /// A registered fleet that spot-checks every answer (the coordinator roles in one process) with
    /// `nodes` factual nodes of their own, all asking `fake`.
    struct SpotCheckedFleet {
        let config: FleetConfig
        let client: FleetClient
        let fleets: [InProcessFleet]
        let names: [String]

        static func start(nodes: Int, fake: FakeModelServer, name: String) async throws -> SpotCheckedFleet {
            let config = try TestEnv.config(extra: ["DELLM_NODE_ACCESS": "registered", "DELLM_SPOT_RATE": "1", "DELLM_MODEL_URL": fake.url])
            let client = try FleetClient(config: config)
            _ = try await Store(db: client.db).prepare(species: config.species)
            let registrar = NodeRegistrar(config: config, redis: client.redis, store: client.store)
            var fleets = [try await InProcessFleet.start(config, roles: [
                IngestRole(config: config, askModelWhenUnsure: false), VerifierRole(config: config, verifierID: "v"), SynthesizerRole(config: config),
            ])]
            var names: [String] = []
            for k in 0..<nodes {
                let node = "\(name)-\(k)-\(config.namespace)"
                let creds = try await registrar.add(node: node, owner: "o-\(config.namespace)", types: [.factual]).0
                let nodeConfig = try TestEnv.config(namespace: config.namespace, extra: ["DELLM_REDIS_URL": creds.redisURL, "DELLM_MODEL_URL": fake.url])
                fleets.append(try await InProcessFleet.start(nodeConfig, roles: [SpecialistRole(config: nodeConfig, types: [.factual], node: node)]))
                names.append(node)
            }
            return SpotCheckedFleet(config: config, client: client, fleets: fleets, names: names)
        }

        func stop() async { for f in fleets { await f.stop() } }
    }

    /// A re-asked attempt (here every spot check) comes from another node, and the node that answered
    /// before declines it before any model call: no model request is spent on a refused second opinion.
    /// The model takes 800 ms a call and there are more queries than the nodes have lanes, so put-back
    /// tasks meet busy lanes, as with a real model.
    @Test func aSecondOpinionComesFromAnotherNodeWithoutWastedCalls() async throws {
        let fake = try FakeModelServer(.slow(800, "Paris is the capital of France."))
        defer { fake.stop() }
        let f = try await SpotCheckedFleet.start(nodes: 2, fake: fake, name: "second")
        let client = f.client
        let cursor = try await client.answersCursor()
        var ids: [String] = []
        for _ in 0..<12 { ids.append(try await client.submit("What is the capital of France?", user: "u-\(f.config.namespace)")) }
        let missing = try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(90)) { _ in }
        await f.stop()
        #expect(missing.isEmpty)
        let pairs = try await client.db.query("""
            SELECT count(*) FILTER (WHERE n > 1) AS rechecked, count(*) FILTER (WHERE n > 1 AND nodes = 1) AS same
            FROM (SELECT subtask_id, count(*) AS n, count(DISTINCT node_id) AS nodes FROM attempts WHERE subtask_id = ANY($1::text[]) GROUP BY subtask_id) t
            """, ["{" + ids.map { $0 + ".0" }.joined(separator: ",") + "}"]).firstRecord
        let rechecked: Int = try pairs?.decode("rechecked") ?? -1, same: Int = try pairs?.decode("same") ?? -1
        let calls = Int(try await client.db.query("SELECT coalesce(sum(model_calls), 0) FROM attempts WHERE subtask_id = ANY($1::text[])",
                                                  ["{" + ids.map { $0 + ".0" }.joined(separator: ",") + "}"]).first?[0] ?? "") ?? -1
        #expect(rechecked >= 1 && same == 0, "\(rechecked) re-checked, \(same) by the same node")
        #expect(fake.requests == calls, "\(fake.requests) model requests for \(calls) recorded votes")
        AttackTable.record("(fairness) a spot check answered by the node that answered first",
                           stoppedBy: "the task names the nodes that answered; they decline it before any model call and it goes to another node",
                           lost: missing.count, unfairCredits: 0, trust: "\(rechecked) subtasks re-checked, \(same) by the same node; \(fake.requests) model requests for \(calls) recorded votes")
    }

    /// The node a second opinion must avoid, when it is the only node of the type, gets the task back ten
    /// times and then answers it itself — but not before the put-backs have given other nodes 3.3 s to
    /// take it (a lane that sweeps its streams right after declining could otherwise be handed the task
    /// ten times in a few milliseconds while other nodes' lanes were busy: the flake of stop 27).
    @Test func aDeclinedSecondOpinionWaitsForAnotherNodeBeforeItsOnlyNodeAnswers() async throws {
        let fake = try FakeModelServer(.answer("Paris is the capital of France."))
        defer { fake.stop() }
        let f = try await SpotCheckedFleet.start(nodes: 1, fake: fake, name: "alone")
        let id = try await f.client.submit("What is the capital of France?", user: "u-\(f.config.namespace)")
        var rows: [[String?]] = []
        try await waitUntil(timeout: .seconds(30)) {
            rows = try await f.client.db.query("""
                SELECT node_id, extract(epoch FROM created_at)::text FROM attempts WHERE subtask_id = $1 ORDER BY attempt
                """, [id + ".0"]).rows
            return rows.count >= 2
        }
        await f.stop()
        let first = Double(rows[0][1] ?? "") ?? 0, second = Double(rows[1][1] ?? "") ?? 0
        #expect(rows[0][0] == f.names[0] && rows[1][0] == f.names[0], "the only node answers both")
        let spread = RecorderRole.putBackDelay(times: 1) // the first wait; the sum of ten is 3.275 s
        #expect(spread == .milliseconds(25))
        #expect(second - first >= 3.0, "the second opinion came \(second - first) s after the first answer")
    }

    @Test func aRevokedNodeIsCutOff() async throws {
        let f = try await Self.fleet()
        defer { Task { await f.stop() } }
        await f.honest.stop()
        let creds = try await f.add("revoked", owner: "revoked-owner")
        let evil = try Adversary(config: f.config, credentials: creds)
        let cursor = try await f.client.answersCursor()
        let id = try await f.client.submit("What is 6 times 7?", user: "alice-\(f.config.namespace)")
        var entries: [StreamEntry] = []
        try await waitUntil { entries = try await evil.take(); return !entries.isEmpty }
        try await evil.handIn(entries[0], answer: "Answer: 42")
        _ = try await f.client.waitForAnswers([id], after: cursor, timeout: .seconds(20)) { _ in }
        let earnedBefore = try await f.earned("revoked-owner")
        #expect(try await f.registrar.revoke(node: evil.node))
        // Its open connection is closed, and its password no longer opens one.
        let open = (try? await evil.redis.command("XADD", f.config.keys.attempts(node: evil.node), "*", "v", "1", "job", "{}")) != nil
        let again = try Adversary(config: f.config, credentials: creds)
        let reconnected = (try? await again.redis.command("PING")) != nil
        #expect(!open && !reconnected)
        #expect(try await f.client.store.nodes.standing(node: evil.node) == .revoked)
        #expect(try await f.client.redis.command("SISMEMBER", f.config.keys.nodes, evil.node).int == 0)
        AttackTable.record("a revoked node keeps working", stoppedBy: "ops nodes revoke: ACL DELUSER closes its connections and refuses its password; the recorder no longer reads its stream and refuses what is on it",
                           lost: 0, unfairCredits: try await f.earned("revoked-owner") - earnedBefore, trust: "-")
    }
}
}
