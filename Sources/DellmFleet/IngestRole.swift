import DellmCore
import DellmModel
import DellmRedis
import DellmSupport
import Foundation
import Logging

/// ingest: reads `{ns}:queries`, splits each query into typed subtasks by rule, records the query,
/// charges its user once, and enqueues the subtasks on `{ns}:tasks:<type>`.
public struct IngestRole: Role {
    public let config: FleetConfig
    /// Asked to classify a part only where the rules are unsure; nil to use the rules alone.
    public let model: ModelEndpoint?
    /// Where subtasks go: genomes chosen by the performance matrix.
    let routes: RoutingTable
    /// The genomes the tasks carry to their nodes.
    let directory = GenomeDirectory()
    /// Registered submitters (`ops users add`): each has a query stream of its own.
    let submitters = RedisSetMirror(every: .seconds(2))
    public var name: String { "ingest" }
    /// The shared query stream (the operator's, and any client's in an open fleet), then each registered
    /// submitter's own: a query there is charged to that submitter, whatever user it names.
    public var streams: [String] {
        [config.keys.queries] + submitters.members.filter { (try? QueryJob.validate(user: $0)) != nil }.sorted().map { config.keys.queries(user: $0) }
    }

    public func refresh(context: LaneContext) async throws {
        try await submitters.refresh(key: config.keys.submitters, redis: context.redis)
    }

    public init(config: FleetConfig, askModelWhenUnsure: Bool = true) {
        self.config = config
        // Classification is one word: when the model is busy with long answers it is skipped after a
        // few seconds (the rule stands), so ingest never waits behind model work.
        self.model = askModelWhenUnsure
            ? ModelEndpoint(client: config.model(timeoutMilliseconds: min(3_000, config.modelTimeoutMilliseconds)),
                            maxConcurrent: config.modelConcurrency, retry: .init(attempts: 1, budget: .seconds(3)))
            : nil
        self.routes = RoutingTable(router: config.router, refreshEvery: .milliseconds(config.routingRefreshMilliseconds))
    }

    /// Where the rules fell back to their default, a tiny model names the type; the rules check that it
    /// is one of the known types, and the decision is recorded either way.
    func refine(_ parts: [Splitter.Part], logger: Logger) async -> [Splitter.Part] {
        guard let model else { return parts }
        var out = parts
        for (i, p) in parts.enumerated() where p.confidence < 0.5 {
            let prompt = "Classify the request as one word: math, code, factual, reasoning or creative.\nRequest: \(p.text)\nType:"
            guard let r = try? await model.chat(ChatRequest(messages: [.user(prompt)], temperature: 0, maxTokens: 4)) else { continue }
            let word = r.text.lowercased().split(whereSeparator: { !$0.isLetter }).first.map(String.init) ?? ""
            if let t = TaskType(rawValue: word), t != .math || Classifier.digitCount(p.text) > 0 {
                out[i].type = t
                out[i].rule = "model (rules unsure): \(t.rawValue)"
            } else {
                out[i].rule += "; model said '\(word.prefix(20))', kept the rule"
            }
        }
        return out
    }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        var job: QueryJob
        do {
            job = try Wire.decode(QueryJob.self, v: entry["v"], job: entry["job"])
            try QueryJob.validate(id: job.id)
        } catch {
            throw Poison(error.reason)
        }
        // Sent on a submitter's own stream: theirs, whoever it names.
        if let user = config.keys.user(ofQueries: entry.stream) { job.user = user }
        do {
            try QueryJob.validate(query: job.query)
        } catch {
            // A query we can name but not answer: it ends failed, visibly, and the entry is dead-lettered.
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: error.reason)
            throw Poison(error.reason, emits: event.map { announce($0, config) } ?? [])
        }
        let plan = Planner.plan(job.query)
        var parts = plan.parts
        if let problem = plan.problem {
            let reason = "the query cannot be planned: \(problem)"
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: reason)
            throw Poison(reason, emits: event.map { announce($0, config) } ?? [])
        }
        if parts.count > Wire.maxParts {
            let reason = "the query has \(parts.count) parts; the limit is \(Wire.maxParts)"
            let event = try await context.store.failQuery(id: job.id, user: job.user, text: job.query, reason: reason)
            throw Poison(reason, emits: event.map { announce($0, config) } ?? [])
        }
        parts = await refine(parts, logger: context.logger)
        let count = job.critical == true ? Store.criticalAnswers : 1
        var genomes: [[String]] = []
        for i in parts.indices {
            let choices = await routes.route(parts[i].type, count: count, store: context.store, logger: context.logger)
            genomes.append(choices.map(\.id))
            if !choices.isEmpty {
                parts[i].rule += "; routed to " + choices.map { "\($0.id) (\($0.reason))" }.joined(separator: ", ")
            }
        }
        let outcome: Store.IngestOutcome
        do { outcome = try await context.store.ingest(job, parts: parts, genomes: genomes, namespace: config.namespace) } catch let e as Store.IDTaken { throw Poison(e.description) }
        switch outcome {
        case .finished(let event):
            return announce(event, config)
        case .enqueue(let tasks, let backlog):
            context.logger.info("query split", metadata: [
                "query": "\(job.id)", "subtasks": "\(tasks.count)", "types": "\(tasks.map(\.type.rawValue).joined(separator: ","))",
            ])
            let tier = Admission.tier(userBacklog: backlog, share: config.fairShareParts)
            let issued = await directory.issue(tasks, keys: config.keys, store: context.store, logger: context.logger)
            return issued.map { Emit(config.keys.stream(for: $0, tier: tier), $0) }
        }
    }
}



/// The ingest worker's view of the performance matrix: the active genomes with their scores and
/// loads, re-read at most every two seconds; routes made since count toward the load at once.
actor RoutingTable {
    let router: Router
    let refreshEvery: Duration
    private var candidates: [TaskType: [Router.Candidate]] = [:]
    private var loadedAt: ContinuousClock.Instant?
    private var rng = SystemRandomNumberGenerator()

    init(router: Router, refreshEvery: Duration) {
        self.router = router
        self.refreshEvery = refreshEvery
    }

    func route(_ type: TaskType, count: Int, store: Store, logger: Logger) async -> [Router.Choice] {
        if loadedAt == nil || ContinuousClock.now - loadedAt! >= refreshEvery {
            loadedAt = .now
            do {
                var fresh: [TaskType: [Router.Candidate]] = [:]
                for (g, c) in try await store.genomes.routingCandidates() { fresh[g.specialization, default: []].append(c) }
                candidates = fresh
            } catch {
                logger.warning("routing table not readable; routing on the last one", metadata: ["error": "\(error)"])
            }
        }
        let choices = router.choose(candidates[type] ?? [], count: count, using: &rng)
        for c in choices {
            if let i = candidates[type]?.firstIndex(where: { $0.id == c.id }) { candidates[type]?[i].load += 1 }
        }
        return choices
    }
}
