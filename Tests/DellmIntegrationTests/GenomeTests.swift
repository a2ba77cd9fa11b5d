import DellmCore
@testable import DellmFleet
import DellmPostgres
import Foundation
import Logging
import Testing

/// Genomes, routing, spot verification, critical queries and evolution against real Redis and
/// PostgreSQL, each in a database of its own (the population is fleet-wide state). The model is the
/// fake, answering by prompt, so which genome answered decides the answer.
@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL"))
struct GenomeTests {
    /// Two factual genomes whose votes use the "few words" prompt, which the fake answers with Paris;
    /// the seed genome's prompts get Lyon.
    static let fake: FakeModelServer.Behaviour = .byRequest([("Give the answer in a few words.", "Paris.")], otherwise: "Lyon.")

    func parisGenome(_ id: String) -> Genome {
        Genome(id: id, species: "fast-responder", generation: 1, parents: ["fast-responder"], specialization: .factual,
               prompts: ["fact-words", "fact-words"], temperatures: [0, 0], maxTokens: 32)
    }

    func setUp(_ extra: [String: String]) async throws -> (FleetConfig, Store, FakeModelServer) {
        let fake = try FakeModelServer(Self.fake)
        var e = extra
        e["DELLM_DATABASE_URL"] = try await TestEnv.freshDatabase()
        e["DELLM_MODEL_URL"] = fake.url
        let config = try TestEnv.config(extra: e)
        let store = Store(db: PostgresConnection(url: config.databaseURL, name: "genome-test"))
        try await store.prepare(species: config.species)
        return (config, store, fake)
    }

    /// Adds genomes as generation 1, the way the evolver stores a generation.
    func add(_ genomes: [Genome], to store: Store) async throws {
        let plan = Evolution.Plan(generation: 1, fleetFitness: 0.5, band: .crisis, culled: [], spawned: genomes, fitness: [:], notes: [])
        #expect(try await store.genomes.applyGeneration(plan, note: "test"))
    }

    func attempts(_ store: Store, query: String) async throws -> [(attempt: Int, genome: String, answer: String)] {
        try await store.db.query("""
            SELECT a.attempt, a.genome, a.answer FROM attempts a JOIN subtasks s ON s.id = a.subtask_id
            WHERE s.query_id = $1 ORDER BY a.attempt
            """, [query]).rows.map { (Int($0[0]!)!, $0[1] ?? "", $0[2] ?? "") }
    }

    func statuses(_ client: FleetClient, _ ids: [String]) async throws -> [String: Inspector.QueryStatus] {
        var out: [String: Inspector.QueryStatus] = [:]
        for id in ids { out[id] = try await client.inspector.status(queryID: id) }
        return out
    }

    @Test func seedingIsOnceAndRecordsGenerationZero() async throws {
        let (config, store, fake) = try await setUp([:])
        defer { fake.stop() }
        try await store.genomes.seed(config.species)
        let active = try await store.genomes.active()
        #expect(Set(active.map(\.id)) == Set(Genome.seeds.map(\.id)))
        #expect(Set(active.map(\.specialization)) == Set(TaskType.allCases))
        let gens = try await store.genomes.generations()
        #expect(gens.map(\.number) == [0] && gens[0].kind == "seed" && gens[0].population.count == Genome.seeds.count)
    }

    @Test func aCriticalQueryAsksThreeGenomesAndTakesTheMajority() async throws {
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0"])
        defer { fake.stop() }
        try await add([parisGenome("paris-a"), parisGenome("paris-b")], to: store)
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let user = "critic-\(config.namespace)"
        let id = try await client.submit("What is the capital of France?", user: user, critical: true)
        let normal = try await client.submit("What is the capital of Spain?", user: user)
        #expect(try await client.waitForAnswers([id, normal], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        let answers = try await statuses(client, [id, normal])
        await fleet.stop()
        // Three attempts asked of three different genomes; two say Paris, so Paris it is. A specialist lane
        // takes one task at a time, so when the first two agree the third is settled before it is asked
        // (it is skipped, no model call); when they disagree, the third decides.
        let made = try await attempts(store, query: id)
        #expect(made.count == 3 || (made.count == 2 && Set(made.map(\.genome)) == ["paris-a", "paris-b"]), "\(made)")
        #expect(Set(made.map(\.genome)).isSubset(of: ["fast-responder", "paris-a", "paris-b"]) && Set(made.map(\.genome)).count == made.count)
        #expect(answers[id]?.answer?.contains("Paris") == true, "\(String(describing: answers[id]))")
        #expect(try await store.db.query("SELECT mode FROM subtasks WHERE query_id = $1", [id]).first?[0] == "critical")
        // A critical query costs three times a normal one.
        let charges = try await store.inspector.ledger(user: user, limit: 10).filter { $0.kind == "charge" }
        let critical = try #require(charges.first { $0.queryID == id }), plain = try #require(charges.first { $0.queryID == normal })
        #expect(abs(critical.amount - 3 * plain.amount) < 1e-9)
        #expect(try await attempts(store, query: normal).count == 1)
    }

    @Test func aSpotCheckThatDisagreesAsksAThirdGenome() async throws {
        // Route every subtask to the best-ranked genome (fast-responder, which says Lyon) and spot-check every pass.
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "1", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1"])
        defer { fake.stop() }
        try await add([parisGenome("paris-a"), parisGenome("paris-b")], to: store)
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is the capital of France?", user: "spot-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        let answers = try await statuses(client, [id])
        await fleet.stop()
        let made = try await attempts(store, query: id)
        #expect(made.map(\.genome) == ["fast-responder", "paris-a", "paris-b"], "the second opinion and the tiebreak come from genomes not yet asked")
        #expect(answers[id]?.answer?.contains("Paris") == true, "two of three say Paris: \(String(describing: answers[id]))")
        let trace = try #require(try await store.inspector.trace(queryID: id))
        #expect(trace.parts[0].mode == "spot")
        // Facts pass without proof: each verdict says unproven (the vote, not a check, settles it).
        #expect(trace.parts[0].attempts.allSatisfy { $0.verdict == "unproven" })
        // The outvoted answer counts against its genome: in fitness and in the matrix routing reads.
        let outvoted = try await store.db.query("""
            SELECT a.genome FROM attempts a JOIN subtasks s ON s.id = a.subtask_id WHERE s.query_id = $1 AND a.outvoted
            """, [id]).rows.map { $0[0] ?? "" }
        #expect(outvoted == ["fast-responder"])
        let stats = try await store.genomes.stats()
        #expect(stats["fast-responder"]?.correct == 0 && stats["fast-responder"]?.attempts == 1)
        #expect(stats["paris-a"]?.correct == 1)
        #expect(try await store.inspector.matrix().first { $0.species == "fast-responder" }?.accuracy == 0)
    }

    @Test func anAnswerWhoseVotesDisagreeGetsASecondOpinionWithoutASpotDraw() async throws {
        // No spot checks drawn (rate 0). The seed's votes say Lyon and Marseille and its tiebreak vote
        // ("few words") says Paris: no two agree, so the answer is unsure and two other genomes are asked.
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1"])
        defer { fake.stop() }
        fake.set(.byRequest([("Give the answer in a few words.", "Paris."), ("You are a helpful assistant. Answer with a short fact.", "Marseille.")],
                            otherwise: "Lyon."))
        try await add([parisGenome("paris-a"), parisGenome("paris-b")], to: store)
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is the capital of France?", user: "unsure-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        let answer = try await statuses(client, [id])[id]
        await fleet.stop()
        #expect(try await attempts(store, query: id).map(\.genome) == ["fast-responder", "paris-a", "paris-b"])
        #expect(answer?.answer?.contains("Paris") == true, "\(String(describing: answer))")
        #expect(try #require(try await store.inspector.trace(queryID: id)).parts[0].mode == "spot")
    }

    @Test func aFactIsWhatMostVotesNameNotTheFirstVote() async throws {
        // Seen in an evolution run: the first vote hallucinates, the second and the tiebreak name Mars in
        // other words. The node's answer is the one naming Mars, with a tiebreak's confidence (so no
        // second opinion is needed), where it used to keep the first vote.
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1"])
        defer { fake.stop() }
        fake.set(.byRequest([
            ("Answer the question correctly in one short sentence.", "The Red Planet is the planet designated by the International Space Observatory (ISA) as Perseverance."),
            ("You are a helpful assistant. Answer with a short fact.", "The Red Planet is actually a planet in the solar system known as Mars."),
            ("Give the answer in a few words.", "The Red Planet is often referred to as Mars."),
        ], otherwise: "Lyon."))
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What planet is known as the Red Planet?", user: "named-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        let answer = try await statuses(client, [id])[id]
        await fleet.stop()
        #expect(answer?.answer?.contains("Mars") == true, "\(String(describing: answer))")
        let made = try await attempts(store, query: id)
        #expect(made.count == 1 && made[0].genome == "fast-responder")
        let attempt = try #require(try await store.inspector.trace(queryID: id)?.parts.first?.attempts.first)
        #expect(attempt.confidence == VerdictStore.tiebreakConfidence)
        #expect(attempt.votes.contains("#tiebreak"))
    }

    /// A model whose first three votes on a fact name three cities; its further samples (seeds 171, 184,
    /// 197, 210: `VotePlan.sample`) name Paris, Nice, Paris, Paris. Every reply costs 7 tokens.
    static let scattered = FakeModelServer.Behaviour.byRequest([
        (#""seed":12"#, "Paris is the capital of France."), (#""seed":30"#, "Lyon is the capital of France."),
        (#""seed":48"#, "Marseille is the capital of France."), (#""seed":171"#, "Paris is the capital of France."),
        (#""seed":184"#, "Nice is the capital of France."), (#""seed":197"#, "Paris is the capital of France."),
        (#""seed":210"#, "Paris is the capital of France."),
    ], otherwise: "Toulouse is the capital of France.")

    /// Self-consistency under the query's budget: with 800 tokens, samples are asked two at a time until
    /// one city has more than half of them (Paris, 4 of 7); with 35 tokens (5 samples of 7), it stops at
    /// 5 without a majority; with none, at the three votes. Each vote's cost is recorded.
    @Test(arguments: [(800, 7, true), (35, 5, false), (0, 3, false)])
    func disagreeingVotesAskMoreSamplesWhileTheBudgetLasts(budget: Int, votes: Int, settled: Bool) async throws {
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1",
                                                     "DELLM_QUERY_TOKENS": "\(budget)", "DELLM_MAX_ATTEMPTS": "1"])
        defer { fake.stop() }
        fake.set(Self.scattered)
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is the capital of France?", user: "budget-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        await fleet.stop()
        let attempt = try #require(try await store.inspector.trace(queryID: id)?.parts.first?.attempts.first)
        let cast = try JSONDecoder().decode([Vote].self, from: Data(attempt.votes.utf8))
        #expect(cast.count == votes, "\(cast.map(\.source))")
        #expect(cast.allSatisfy { $0.tokens == 7 })
        // Every vote of every attempt (an unsettled answer also gets a second genome's opinion).
        let all = try #require(try await store.inspector.trace(queryID: id)?.parts.first?.attempts).map {
            try JSONDecoder().decode([Vote].self, from: Data($0.votes.utf8)).count
        }
        #expect(try await store.inspector.modelTokens(queryIDs: [id])[id] == 7 * all.reduce(0, +))
        if settled {
            #expect(attempt.confidence == VerdictStore.tiebreakConfidence)
            #expect(attempt.answer?.contains("Paris") == true)
        } else {
            #expect(attempt.confidence == 0.3)
        }
    }

    /// The same under real conditions: model calls of 400 ms, six queries queued for one specialist lane.
    /// Every extra sample is asked of the model exactly once (calls at the server = votes recorded), and
    /// every query settles on Paris with a tiebreak's confidence.
    @Test func selfConsistencyUnderSlowCallsAndAQueueAsksEachSampleOnce() async throws {
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1",
                                                     "DELLM_QUERY_TOKENS": "800", "DELLM_MAX_ATTEMPTS": "1"])
        defer { fake.stop() }
        fake.set(.delayed(400, Self.scattered))
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        var ids: [String] = []
        for i in 0..<6 { ids.append(try await client.submit("What is the capital of France? (\(i))", user: "slow-sc-\(config.namespace)")) }
        #expect(try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(120)) { _ in }.isEmpty)
        await fleet.stop()
        var votes = 0
        for id in ids {
            let attempts = try #require(try await store.inspector.trace(queryID: id)?.parts.first?.attempts)
            #expect(attempts.count == 1)
            #expect(attempts.first?.confidence == VerdictStore.tiebreakConfidence)
            #expect(attempts.first?.answer?.contains("Paris") == true)
            for a in attempts { votes += try JSONDecoder().decode([Vote].self, from: Data(a.votes.utf8)).count }
        }
        #expect(votes == 6 * 7)
        #expect(fake.answerRequests == votes, "\(fake.answerRequests) model calls for \(votes) votes")
    }

    /// A node below the trust floor (planted: trust 0.1 after 50 checked verdicts) is quarantined: its
    /// answer that no check proves gets a second genome's opinion although spot checks are off, and its
    /// answer that a check proves earns nothing. (Planted at trust 0.9 instead, all three expectations fail.)
    @Test func aQuarantinedNodeIsAlwaysRecheckedAndEarnsNothing() async throws {
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_ROUTING_EPSILON": "0", "DELLM_ROUTING_TOP": "1"])
        defer { fake.stop() }
        let add = "```python\ndef add(a, b):\n    return a + b\n```"
        fake.set(.byRequest([("def add", add), ("function add", add)], otherwise: "Paris is the capital of France."))
        try await store.db.query("""
            INSERT INTO nodes (id, role, species, owner_user, trust, verified, correct, recent_verdicts)
            VALUES ($1, 'specialist', 'default', $2, 0.1, 50, 5, repeat('0', 45) || repeat('1', 5))
            """, ["test-node-\(config.namespace)", "owner-\(config.namespace)"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("What is the capital of France?", user: "quarantine-\(config.namespace)")
        // A checked pass (the task's example runs) would earn; a quarantined node's does not.
        let code = try await client.submit("Write a Python function add(a, b) that returns the sum. Example: add(2, 3) == 5",
                                           user: "quarantine-\(config.namespace)")
        #expect(try await client.waitForAnswers([id, code], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        await fleet.stop()
        let checked = try await store.db.query("""
            SELECT count(*) FROM verdicts v JOIN subtasks s ON s.id = v.subtask_id WHERE s.query_id = $1 AND v.passed AND v.proven
            """, [code]).first?[0]
        #expect(checked == "1", "the code answer passed a check that proves it")
        #expect(try await store.db.query("SELECT count(*) FROM credit_ledger WHERE kind = 'earn' AND query_id = $1", [code]).first?[0] == "0")
        let part = try #require(try await store.inspector.trace(queryID: id)?.parts.first)
        #expect(part.mode == "spot", "re-checked by a second genome")
        #expect(part.attempts.count >= 2)
    }

    @Test func twoVotesAtTemperatureZeroUnderOnePromptAreOneVote() {
        let g = parisGenome("twice")
        #expect(VotePlan.repeats(VotePlan.pair(g, attempt: 1)))
        // A retry warms them: the seeds then differ in effect.
        #expect(!VotePlan.repeats(VotePlan.pair(g, attempt: 2)))
        #expect(!VotePlan.repeats(VotePlan.pair(Genome.seed(for: .factual), attempt: 1)), "the seed's votes use two prompts")
    }

    @Test func anAgreeingSpotCheckCostsOneMoreAnswerOnly() async throws {
        let (config, store, server) = try await setUp(["DELLM_SPOT_RATE": "1"])
        defer { server.stop() }
        server.set(.answer("The capital of France is Paris."))
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        // A calculator answer is decisive and never spot-checked; a fact always is (rate 1).
        let fact = try await client.submit("What is the capital of France?", user: "spot-\(config.namespace)")
        let sum = try await client.submit("What is 15 times 23?", user: "spot-\(config.namespace)")
        #expect(try await client.waitForAnswers([fact, sum], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        let answers = try await statuses(client, [fact, sum])
        await fleet.stop()
        #expect(answers[fact]?.status == "answered" && answers[sum]?.answer?.contains("345") == true)
        #expect(try await attempts(store, query: fact).count == 2)
        #expect(try await attempts(store, query: sum).count == 1)
    }

    @Test func probationAdmitsAChildOnlyIfItAnswersTheProbesAsWellAsItsParent() async throws {
        let fake = try FakeModelServer(Self.fake) // "few words" answers Paris, every other prompt Lyon
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url])
        let probes = [Probe(id: "p1", type: .factual, query: "What is the capital of France?", check: .keywords(["Paris"])),
                      Probe(id: "p2", type: .code, query: "Write is_even(n).", check: .pythonTests("assert is_even(2)"))]
        let probation = Probation(probes: probes, config: config, logger: Logger(label: "test"))
        let seed = Genome.seeds.first { $0.id == "fast-responder" }!          // Lyon: 0/1
        let parisParent = parisGenome("paris-parent")                          // Paris: 1/1
        var better = parisGenome("better-child")                               // Paris, from the Lyon seed
        better.parents = [seed.id]
        var worse = seed                                                       // Lyon, from the Paris parent
        worse.id = "worse-child"
        worse.parents = [parisParent.id]
        let creative = Genome(id: "creative-child", species: "creative-generalist", generation: 1, parents: ["creative-generalist"],
                              specialization: .creative, prompts: ["creative-brief", "creative-vivid"], temperatures: [0, 0.5], maxTokens: 32)
        let verdict = await probation.judge(children: [better, worse, creative], population: [seed, parisParent])
        #expect(verdict.admitted.map(\.id) == ["better-child", "creative-child"]) // no creative probes: nothing to hold it to
        #expect(verdict.refused == ["worse-child"])
        #expect(verdict.scores["better-child"] == .init(passed: 1, total: 1))
        #expect(verdict.scores["worse-child"] == .init(passed: 0, total: 1))
        #expect(verdict.scores["paris-parent"] == .init(passed: 1, total: 1))
        #expect(verdict.scores["creative-child"] == nil)
        #expect(verdict.notes.contains { $0.contains("worse-child") && $0.contains("0/1") })
    }

    @Test func theProbeFileLoadsAndABadLineIsRefusedWithItsNumber() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/probes.jsonl").standardized.path
        let probes = try Probe.load(path: path)
        // Every type whose answers the verifier cannot fully prove has probes.
        #expect(Set(probes.map(\.type)).isSuperset(of: [.factual, .code, .reasoning]))
        #expect(Set(probes.map(\.id)).count == probes.count)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("probes-\(UUID().uuidString).jsonl").path
        try "# a comment\n\n{\"id\": \"x\", \"type\": \"poetry\", \"query\": \"q\", \"check\": {\"kind\": \"nonempty\"}}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect { try Probe.load(path: bad) } throws: { "\($0)".contains(":3") && "\($0)".contains("type must be one of") }
    }

    @Test func generationsBreedRouteAndRollBack() async throws {
        let (config, store, fake) = try await setUp(["DELLM_SPOT_RATE": "0", "DELLM_EVOLVE_MIN_ATTEMPTS": "3", "DELLM_ROUTING_REFRESH_MS": "0"])
        defer { fake.stop() }
        fake.set(.answer("Paris is the capital of France."))
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let user = "evo-\(config.namespace)"
        func run(_ n: Int) async throws -> [String] {
            let cursor = try await client.answersCursor()
            var ids: [String] = []
            for _ in 0..<n { ids.append(try await client.submit("What is the capital of France?", user: user)) }
            #expect(try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
            return ids
        }
        _ = try await run(4)
        let evolver = Evolver(store: store, settings: config.evolution)
        #expect(try await evolver.due(everyVerdicts: 4, everyMinutes: 60) != nil)
        #expect(try await evolver.due(everyVerdicts: 100, everyMinutes: 60) == nil)
        let out = try await evolver.runGeneration(note: "test")
        #expect(out.stored)
        #expect(out.plan.generation == 1)
        let children = out.plan.spawned
        #expect(!children.isEmpty && children.allSatisfy { $0.specialization == .factual && $0.parents == ["fast-responder"] })
        #expect(try await store.genomes.active().count == Genome.seeds.count + children.count)
        // A second evolver for the same generation is refused.
        #expect(try await store.genomes.applyGeneration(out.plan, note: "again") == false)
        // New genomes are routed to (unknown genomes get a chance) and the specialist expresses them.
        let ids = try await run(12)
        var used: Set<String> = []
        for id in ids { for a in try await attempts(store, query: id) { used.insert(a.genome) } }
        #expect(!used.isDisjoint(with: children.map(\.id)), "a new genome answered: \(used)")
        await fleet.stop()
        // Roll back to the seeds: the children retire, generation 2 records it, and they can come back.
        let back = try #require(try await store.genomes.rollback(to: 0))
        #expect(back.number == 2 && back.kind == "rollback")
        #expect(Set(try await store.genomes.active().map(\.id)) == Set(Genome.seeds.map(\.id)))
        _ = try #require(try await store.genomes.rollback(to: 1))
        #expect(try await store.genomes.active().count == Genome.seeds.count + children.count)
        #expect(try await store.genomes.rollback(to: 99) == nil)
    }
}
