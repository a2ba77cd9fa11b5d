import DellmCore
import DellmModel
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging

/// specialist: reads the task streams of its types, answers each subtask with two votes (two calls
/// to the model under two genomes: temperature and seed) or with a tool, records the attempt, and
/// hands it to the verifier. Arithmetic is computed by the calculator, never by the model.
public struct SpecialistRole: Role {
    public let config: FleetConfig
    public let types: [TaskType]
    public let node: String
    /// The user credited with this node's earnings (who then pays members' prices).
    public let owner: String
    /// The species this node belongs to in the performance matrix.
    public let species: String
    public let model: ModelEndpoint
    /// Answers each task (shared with probation).
    public var answerer: Answerer { Answerer(config: config, model: model) }
    /// The genomes this node expresses, read from PostgreSQL and refreshed between jobs.
    let book = GenomeBook()
    /// Whether this process has registered the node (its owner and species) with an attempt.
    let registered = Locked(false)
    /// A lane of the instant stream: arithmetic the calculator answers, never behind a model call.
    public var instant = false
    public var name: String { "specialist" }
    public var jobsMayRunLong: Bool { !instant }
    /// The first tier of every type, then the bulk tier (read only when the first has no work).
    public var streams: [String] { instant ? [config.keys.instant] : types.map(config.keys.tasks) + types.map(config.keys.bulk) }

    /// The same node reading the instant stream (the calculator's work) in lanes of its own.
    public var instantLane: SpecialistRole {
        var r = self
        r.instant = true
        return r
    }

    public init(config: FleetConfig, types: [TaskType], node: String, owner: String = "operator", species: String = "default") {
        self.config = config
        self.types = types
        self.node = node
        self.owner = owner
        self.species = species
        self.model = ModelEndpoint(client: config.model(), maxConcurrent: config.modelConcurrency)
    }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let job: TaskJob
        do { job = try Wire.decode(TaskJob.self, v: entry["v"], job: entry["job"]) } catch { throw Poison(error.reason) }
        let verify = Emit(config.keys.verify, VerifyJob(queryID: job.queryID, subtaskID: job.subtaskID, attempt: job.attempt))
        // Checked before any model call: the task must be one the coordinator issued (its subtask, type,
        // text and attempt as recorded). A redelivered job whose attempt is recorded goes straight on.
        switch try await context.store.attempts.state(job) {
        case .recorded: return [verify]
        case .unneeded: return []
        case .unknown: throw Poison(Self.unknownSubtask(job))
        case .open: break
        }
        let started = ContinuousClock.now
        let genome = await book.genome(for: job, store: context.store, logger: context.logger)
        let record = await answerer.answer(job, genome: genome, logger: context.logger)
        var r = record
        r.latencyMilliseconds = milliseconds(since: started)
        do {
            // The node's owner and species are brought up to date by its first attempt, then left alone.
            let register = !registered.value
            try await context.store.attempts.record(job, node: node, owner: owner, species: species, genome: genome.id, record: r,
                                                  register: register)
            if register { registered.value = true }
        } catch let e as PostgresError where e.sqlState == "23503" {
            throw Poison(Self.unknownSubtask(job)) // the attempt's subtask does not exist
        }
        context.logger.info("answered", metadata: [
            "query": "\(job.queryID)", "subtask": "\(job.subtaskID)", "type": "\(job.type.rawValue)",
            "attempt": "\(job.attempt)", "tool": "\(r.tool ?? "model")", "ms": "\(r.latencyMilliseconds)", "genome": "\(genome.id)",
        ])
        return [verify]
    }

    static func unknownSubtask(_ job: TaskJob) -> String {
        "no subtask \(job.subtaskID) with attempt \(job.attempt) of this type and text: the task was not issued by the coordinator"
    }

    public func heartbeat(store: Store) async throws {
        try await store.nodes.heartbeat(node: node, role: "specialist", owner: owner, species: species)
    }

}

func milliseconds(since start: ContinuousClock.Instant) -> Int {
    let d = ContinuousClock.now - start
    return d.milliseconds
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// How a node asks the model for one vote: model, prompt, temperature, seed. A genome gives two.
public struct VotePlan: Sendable {
    public var name: String
    public var model: String
    public var system: String
    public var temperature: Double
    public var seed: Int
    public var maxTokens: Int

    func request(for text: String) -> ChatRequest {
        ChatRequest(messages: [.system(system), .user(text)], temperature: temperature, maxTokens: maxTokens, seed: seed, model: model)
    }

    /// The genome's two votes; each retry of a subtask warms both by 0.3 so it is not the same answer again.
    static func pair(_ g: Genome, attempt: Int) -> [VotePlan] {
        let shift = Double(attempt - 1) * 0.3
        return (0..<2).map { i in
            VotePlan(name: "\(g.id)#\(i + 1)", model: g.model(i), system: g.systemPrompt(i),
                     temperature: min(1.5, g.temperature(i) + shift), seed: (i == 0 ? 11 : 29) + attempt, maxTokens: g.maxTokens)
        }
    }

    /// Whether two votes are one answer said twice: the same model and prompt, both at temperature 0
    /// (the seed then changes nothing). Their agreement is no evidence.
    static func repeats(_ plans: [VotePlan]) -> Bool {
        plans.count == 2 && plans[0].system == plans[1].system && plans[0].model == plans[1].model
            && plans[0].temperature == 0 && plans[1].temperature == 0
    }

    /// The third vote asked when two disagree: the first vote's prompt, warmer, another seed (facts:
    /// the shortest prompt, which the small model answers most plainly).
    static func tiebreak(_ g: Genome, attempt: Int) -> VotePlan {
        var p = pair(g, attempt: attempt)[0]
        p.name = "\(g.id)#tiebreak"
        if g.specialization == .factual { p.system = Prompts.catalogue["fact-words"] ?? p.system }
        p.temperature = min(1, 0.3 + Double(attempt - 1) * 0.3)
        p.seed = 47 + attempt
        return p
    }

    /// A further sample when three votes still disagree (self-consistency): the genome's two prompts in
    /// turn, at temperature 0.7, each with its own seed.
    static func sample(_ g: Genome, attempt: Int, number: Int) -> VotePlan {
        var p = pair(g, attempt: attempt)[number % 2]
        p.name = "\(g.id)#sample\(number + 1)"
        p.temperature = 0.7
        p.seed = 71 + 13 * number + 100 * attempt
        return p
    }

    /// Shapes a reply for its type: cut loops; code as one fenced block; a word problem ends with its number.
    static func finish(_ text: String, for type: TaskType) -> String {
        let cleaned = Answers.cleaned(text)
        switch type {
        case .code:
            if let code = Answers.code(in: text) { return "```python\n\(code)\n```" }
            return cleaned
        case .math:
            if let last = Answers.numbers(in: cleaned).last {
                var body = cleaned
                // The answer must end with its result.
                if let r = body.range(of: "Answer:", options: [.caseInsensitive, .backwards]) { body = String(body[..<r.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines) }
                return (body.isEmpty ? "" : body + "\n") + "Answer: \(Calculator.format(last))"
            }
            return cleaned
        default:
            return cleaned
        }
    }
}

/// The genomes a specialist expresses: the active ones from PostgreSQL, refreshed at most every few
/// seconds between jobs, so a new generation is picked up without a restart. A routed genome is used
/// as routed (even if retired since: the route is already recorded); without a route, or with one this
/// node cannot read, the best-known active genome of the type not yet tried on the subtask.
actor GenomeBook {
    private var active: [Genome] = []
    private var known: [String: Genome] = [:]
    /// Routed ids PostgreSQL did not have, not asked again until the next refresh.
    private var missing: Set<String> = []
    private var loadedAt: ContinuousClock.Instant?
    let refreshEvery: Duration = .seconds(5)

    func genome(for job: TaskJob, store: Store, logger: Logger) async -> Genome {
        if loadedAt == nil || ContinuousClock.now - loadedAt! > refreshEvery {
            do {
                let fresh = try await store.genomes.active()
                active = fresh
                for g in fresh { known[g.id] = g }
                missing.removeAll()
                loadedAt = .now
            } catch {
                logger.warning("genomes not readable; using the ones in memory", metadata: ["error": "\(error)"])
                loadedAt = .now
            }
        }
        if let id = job.genome {
            if let g = known[id] { return g }
            if !missing.contains(id) {
                if let g = try? await store.genomes.genome(id: id) {
                    known[id] = g
                    return g
                }
                missing.insert(id)
            }
        }
        let avoid = Set(job.avoid ?? [])
        let mine = active.filter { $0.specialization == job.type }
        return mine.first { !avoid.contains($0.id) } ?? mine.first ?? Genome.seed(for: job.type)
    }
}
