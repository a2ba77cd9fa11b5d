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
        switch try await context.store.attemptState(job) {
        case .recorded: return [verify]
        case .unneeded: return []
        case .unknown: throw Poison(Self.unknownSubtask(job))
        case .open: break
        }
        let started = ContinuousClock.now
        let genome = await book.genome(for: job, store: context.store, logger: context.logger)
        let record = await answer(job, genome: genome, logger: context.logger)
        var r = record
        r.latencyMilliseconds = milliseconds(since: started)
        do {
            // The node's owner and species are brought up to date by its first attempt, then left alone.
            let register = !registered.value
            try await context.store.recordAttempt(job, node: node, owner: owner, species: species, genome: genome.id, record: r,
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
        try await store.heartbeat(node: node, role: "specialist", owner: owner, species: species)
    }

    /// The node's answer to one subtask. Model failures become an attempt with an error, which the
    /// verifier fails and retries, so a dead model never loses the subtask.
    func answer(_ job: TaskJob, genome: Genome, logger: Logger) async -> Store.AttemptRecord {
        if job.type == .math, let reading = ArithmeticGrammar.reading(job.text) {
            let vote = Store.Vote(source: "calculator", answer: reading.answer, milliseconds: 0)
            return .init(answer: reading.answer, votes: [vote], confidence: 1, tool: "calculator", error: nil, latencyMilliseconds: 0)
        }
        if job.type == .reasoning, let s = ExactTools.solve(job.text) {
            let vote = Store.Vote(source: s.tool, answer: s.answer, milliseconds: 0)
            return .init(answer: s.answer, votes: [vote], confidence: 1, tool: s.tool, error: nil, latencyMilliseconds: 0)
        }
        var budget = SelfConsistency.Budget(limit: job.budget ?? 0)
        if job.type == .math, config.programSamples > 0, let r = await programAided(job, genome: genome, budget: &budget) { return r }
        let genomes = VotePlan.pair(genome, attempt: job.attempt)
        var errors: [String] = []
        var votes = await ask(genomes, text: job.text, type: job.type, budget: &budget, errors: &errors)
        guard !votes.isEmpty else {
            logger.warning("model failed", metadata: ["subtask": "\(job.subtaskID)", "error": "\(errors.first ?? "")"])
            return .init(answer: nil, votes: [], confidence: 0, tool: nil, error: errors.first ?? "no vote", latencyMilliseconds: 0)
        }
        var chosen = votes[0]
        var confidence = 0.5
        let sameVote = VotePlan.repeats(genomes)
        if votes.count == 2, !sameVote, let i = agreeing(votes, job, quorum: 2) {
            chosen = votes[i]
            confidence = 0.9
        } else if votes.count == 2, job.type == .factual || job.type == .reasoning || job.type == .math {
            // The votes disagree: a third vote decides by majority, then more samples while they still
            // disagree and the budget lasts (self-consistency); without a majority, the steadier vote
            // stands with low confidence (the verifier's check decides whether it is retried).
            let tiebreak = VotePlan.tiebreak(genome, attempt: job.attempt)
            votes += await ask([tiebreak], text: job.text, type: job.type, budget: &budget, errors: &errors)
            // The same vote said twice counts once.
            var distinct = sameVote ? votes.enumerated().filter { $0.offset != 1 }.map(\.element) : votes
            if distinct.count >= 3, agreeing(distinct, job, quorum: 2) == nil {
                var round = 0
                while case let n = budget.more(round: 2, cap: SelfConsistency.cap, estimate: genome.maxTokens), n > 0 {
                    let extra = (0..<n).map { VotePlan.sample(genome, attempt: job.attempt, number: 2 * round + $0) }
                    let more = await ask(extra, text: job.text, type: job.type, budget: &budget, errors: &errors)
                    if more.isEmpty { break }
                    votes += more
                    distinct += more
                    round += 1
                    if agreeing(distinct, job, quorum: distinct.count / 2 + 1) != nil { break }
                }
            }
            if distinct.count >= 3, let i = agreeing(distinct, job, quorum: distinct.count == 3 ? 2 : distinct.count / 2 + 1) {
                chosen = distinct[i]
                confidence = Store.tiebreakConfidence
            } else if distinct.count >= 3 {
                confidence = 0.3
            }
        }
        // A looping or refusing vote loses to one that is not.
        if Answers.isLooping(chosen.answer) || Answers.isRefusal(chosen.answer),
           let better = votes.first(where: { !Answers.isLooping($0.answer) && !Answers.isRefusal($0.answer) }) {
            chosen = better
        }
        if job.type == .code, let (best, agreement) = await chooseByExecution(job, genome: genome, votes: &votes) {
            chosen = best
            confidence = max(confidence, agreement)
        }
        return .init(answer: chosen.answer, votes: votes, confidence: confidence, tool: job.type == .code ? "sandbox" : nil,
                     error: nil, latencyMilliseconds: 0)
    }
}

extension SpecialistRole {
    /// One vote per plan, asked together; each vote's cost is recorded in `budget`, failures in `errors`.
    func ask(_ plans: [VotePlan], text: String, type: TaskType, budget: inout SelfConsistency.Budget, errors: inout [String]) async -> [Store.Vote] {
        var results: [(Int, Result<ChatResponse, Error>)] = []
        await withTaskGroup(of: (Int, Result<ChatResponse, Error>).self) { group in
            for (i, p) in plans.enumerated() {
                group.addTask { (i, await Result { try await model.chat(p.request(for: text)) }) }
            }
            for await r in group { results.append(r) }
        }
        var votes: [Store.Vote] = []
        for (i, r) in results.sorted(by: { $0.0 < $1.0 }) {
            switch r {
            case .success(let resp):
                let tokens = resp.completionTokens ?? plans[i].maxTokens
                budget.record(tokens: tokens)
                votes.append(.init(source: plans[i].name, answer: VotePlan.finish(resp.text, for: type), milliseconds: resp.milliseconds, tokens: tokens))
            case .failure(let e):
                errors.append("\(e)")
            }
        }
        return votes
    }

    /// Which vote `quorum` votes agree with: facts by what they name or say (their wording differs from
    /// vote to vote), other types by their normalised text (math: the final number).
    func agreeing(_ vs: [Store.Vote], _ job: TaskJob, quorum: Int) -> Int? {
        if job.type == .factual { return Answers.majority(.factual, vs.map(\.answer), quorum: quorum, question: job.text) }
        let keys = vs.map { Answers.normalized($0.answer) }
        return keys.indices.first { i in keys.filter { $0 == keys[i] }.count >= quorum }
    }

    /// A word problem the calculator does not read, answered by programs (`ProgramAided`): three samples
    /// (the first at temperature 0, the others at 0.7), two more only when no two agree, up to
    /// `DELLM_PROGRAM_SAMPLES`; each read as an expression over the problem's numbers and computed; the
    /// value most give wins, its program shown. Nil when no sample is a program (the votes then answer).
    func programAided(_ job: TaskJob, genome: Genome, budget: inout SelfConsistency.Budget) async -> Store.AttemptRecord? {
        var messages: [ChatMessage] = [.system(ProgramAided.system)]
        for e in ProgramAided.examples { messages += [.user(e.problem), .assistant(e.program)] }
        messages.append(.user(job.text))
        let modelName = genome.model(0)
        var replies: [(index: Int, text: String, milliseconds: Int, tokens: Int)] = []
        var asked = 0
        while true {
            // The first samples (`DELLM_PROGRAM_SAMPLES`): three, then two more when no two agree. Beyond
            // them, two at a time while no value has more than half of the programs and the budget lasts.
            let round = asked < config.programSamples
                ? (asked == 0 ? min(3, config.programSamples) : min(2, config.programSamples - asked))
                : budget.more(round: 2, cap: max(SelfConsistency.cap, config.programSamples), estimate: ProgramAided.maxTokens)
            if round == 0 { break }
            let first = asked
            var got: [(index: Int, text: String, milliseconds: Int, tokens: Int)] = []
            await withTaskGroup(of: (Int, ChatResponse?).self) { group in
                for k in first..<first + round {
                    let request = ChatRequest(messages: messages, temperature: k == 0 ? 0 : 0.7, maxTokens: ProgramAided.maxTokens,
                                              seed: 101 * job.attempt + k, stop: ["\n"], model: modelName)
                    group.addTask { (k, try? await model.chat(request)) }
                }
                for await (k, r) in group { if let r { got.append((k, r.text, r.milliseconds, r.completionTokens ?? ProgramAided.maxTokens)) } }
            }
            for g in got { budget.record(tokens: g.tokens) }
            replies += got
            asked += round
            if replies.isEmpty { break } // the model is down: the votes path reports it
            let programs = replies.sorted { $0.index < $1.index }.compactMap { ProgramAided.program(in: $0.text, problem: job.text) }
            if programs.isEmpty, asked >= config.programSamples { break } // no program to agree with: the votes answer
            guard let v = ProgramAided.vote(programs, problem: job.text), v.count >= 2 else { continue }
            if asked <= config.programSamples || SelfConsistency.settled(support: v.count, of: programs.count) { break }
        }
        replies.sort { $0.index < $1.index }
        let programs = replies.compactMap { ProgramAided.program(in: $0.text, problem: job.text) }
        guard let (best, count) = ProgramAided.vote(programs, problem: job.text) else { return nil }
        let votes = replies.map { r in
            Store.Vote(source: "program#\(r.index + 1)", answer: r.text.split(separator: "\n").first.map(String.init) ?? "",
                       milliseconds: r.milliseconds, tokens: r.tokens)
        }
        let answer = "\(best.statement)\nAnswer: \(Calculator.format(best.value))"
        return .init(answer: answer, votes: votes, confidence: Double(count) / Double(max(1, replies.count)), tool: "program",
                     error: nil, latencyMilliseconds: 0)
    }
}

extension SpecialistRole {
    /// Code chosen by execution: two more candidates (temperature 0.8) beside the genome's votes; those
    /// that pass the task's own tests in the sandbox (its examples, no input(), no endless recursion)
    /// are run together on inputs made from the signature (`CodeSelection`), and the one whose results
    /// most share wins. The chosen vote and the agreement (a share of the passing candidates).
    func chooseByExecution(_ job: TaskJob, genome: Genome, votes: inout [Store.Vote]) async -> (Store.Vote, Double)? {
        let plan = VotePlan.pair(genome, attempt: job.attempt)[0]
        await withTaskGroup(of: Store.Vote?.self) { group in
            for k in 0..<2 {
                var extra = plan
                extra.name = "\(genome.id)#sample\(k + 1)"
                extra.temperature = 0.8
                extra.seed = 53 + 7 * k + 100 * job.attempt
                group.addTask {
                    guard let r = try? await model.chat(extra.request(for: job.text)) else { return nil }
                    return Store.Vote(source: extra.name, answer: VotePlan.finish(r.text, for: .code), milliseconds: r.milliseconds,
                                      tokens: r.completionTokens ?? extra.maxTokens)
                }
            }
            for await v in group { if let v { votes.append(v) } }
        }
        let tests = Verifier.codeTests(task: job.text).joined(separator: "\n")
        // The same program twice is two samples agreeing: both stay; the sandbox checks it once.
        var passing: [(vote: Store.Vote, code: String)] = []
        var checked: [String: Bool] = [:]
        for v in votes {
            guard let code = Answers.code(in: v.answer) else { continue }
            if checked[code] == nil { checked[code] = await Sandbox.shared.check(code: code, tests: tests).passed }
            if checked[code] == true { passing.append((v, code)) }
        }
        guard let first = passing.first else { return nil }
        guard passing.count >= 2, let function = Answers.requestedFunction(in: job.text),
              let inputs = CodeSelection.inputs(task: job.text, function: function) else { return (first.vote, 0.8) }
        let run = await Sandbox.shared.run(CodeSelection.harness(candidates: passing.map(\.code), function: function, inputs: inputs))
        guard let outputs = CodeSelection.outputs(from: run.stdout), outputs.count == passing.count,
              let (i, agreeing) = CodeSelection.choose(outputs) else { return (first.vote, 0.8) }
        return (passing[i].vote, Double(agreeing) / Double(passing.count))
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
                let fresh = try await store.activeGenomes()
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
                if let g = try? await store.genome(id: id) {
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
