import DellmCore
import DellmModel
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
    public var name: String { "specialist" }
    public var jobsMayRunLong: Bool { true }
    public var streams: [String] { types.map(config.keys.tasks) }

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
        // A redelivered job whose attempt is already recorded goes straight on: no second model call.
        if try await context.store.attemptIsDone(subtaskID: job.subtaskID, attempt: job.attempt) { return [verify] }
        let started = ContinuousClock.now
        let record = await answer(job, logger: context.logger)
        var r = record
        r.latencyMilliseconds = milliseconds(since: started)
        try await context.store.recordAttempt(job, node: node, owner: owner, species: species, record: r)
        context.logger.info("answered", metadata: [
            "query": "\(job.queryID)", "subtask": "\(job.subtaskID)", "type": "\(job.type.rawValue)",
            "attempt": "\(job.attempt)", "tool": "\(r.tool ?? "model")", "ms": "\(r.latencyMilliseconds)",
        ])
        return [verify]
    }

    public func heartbeat(store: Store) async throws {
        try await store.heartbeat(node: node, role: "specialist", owner: owner, species: species)
    }

    /// The node's answer to one subtask. Model failures become an attempt with an error, which the
    /// verifier fails and retries, so a dead model never loses the subtask.
    func answer(_ job: TaskJob, logger: Logger) async -> Store.AttemptRecord {
        if job.type == .math, let calc = MathExtractor.calculation(in: job.text) {
            let vote = Store.Vote(source: "calculator", answer: calc.statement, milliseconds: 0)
            return .init(answer: calc.statement, votes: [vote], confidence: 1, tool: "calculator", error: nil, latencyMilliseconds: 0)
        }
        let genomes = Genome.pair(for: job.type, attempt: job.attempt)
        var votes: [Store.Vote] = []
        var errors: [String] = []
        await withTaskGroup(of: (Int, Result<ChatResponse, Error>).self) { group in
            for (i, g) in genomes.enumerated() {
                group.addTask { (i, await Result { try await model.chat(g.request(for: job.text)) }) }
            }
            var results: [(Int, Result<ChatResponse, Error>)] = []
            for await r in group { results.append(r) }
            for (i, r) in results.sorted(by: { $0.0 < $1.0 }) {
                switch r {
                case .success(let resp):
                    votes.append(.init(source: genomes[i].name, answer: Genome.finish(resp.text, for: job.type), milliseconds: resp.milliseconds))
                case .failure(let e):
                    errors.append("\(e)")
                }
            }
        }
        guard !votes.isEmpty else {
            logger.warning("model failed", metadata: ["subtask": "\(job.subtaskID)", "error": "\(errors.first ?? "")"])
            return .init(answer: nil, votes: [], confidence: 0, tool: nil, error: errors.first ?? "no vote", latencyMilliseconds: 0)
        }
        var chosen = votes[0]
        var confidence = votes.count > 1 && Answers.normalized(votes[0].answer) == Answers.normalized(votes[1].answer) ? 0.9 : 0.5
        if votes.count == 2, confidence < 0.9, job.type == .factual || job.type == .reasoning || (job.type == .math) {
            // The votes disagree: a third vote decides by majority; without one, the steadier vote stands
            // with low confidence (the verifier's check decides whether it is retried).
            let tiebreak = Genome.tiebreak(for: job.type, attempt: job.attempt)
            if let r = try? await model.chat(tiebreak.request(for: job.text)) {
                let third = Store.Vote(source: tiebreak.name, answer: Genome.finish(r.text, for: job.type), milliseconds: r.milliseconds)
                votes.append(third)
                let key = Answers.normalized(third.answer)
                if let match = votes.prefix(2).first(where: { Answers.normalized($0.answer) == key }) {
                    chosen = match
                    confidence = 0.75
                } else {
                    confidence = 0.3
                }
            }
        }
        // A looping or refusing vote loses to one that is not.
        if Answers.isLooping(chosen.answer) || Answers.isRefusal(chosen.answer),
           let better = votes.first(where: { !Answers.isLooping($0.answer) && !Answers.isRefusal($0.answer) }) {
            chosen = better
        }
        if job.type == .code {
            // Prefer the vote whose code runs in the sandbox.
            for v in votes {
                if let code = Answers.code(in: v.answer) {
                    if await Sandbox.shared.check(code: code, tests: Verifier.codeTests(task: job.text).joined(separator: "\n")).passed {
                        chosen = v
                        confidence = max(confidence, 0.8)
                        break
                    }
                }
            }
        }
        return .init(answer: chosen.answer, votes: votes, confidence: confidence, tool: job.type == .code ? "sandbox" : nil,
                     error: nil, latencyMilliseconds: 0)
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

/// How a node asks the model: prompt, temperature, seed. Two genomes give two votes.
public struct Genome: Sendable {
    public var name: String
    public var system: String
    public var temperature: Double
    public var seed: Int
    public var maxTokens: Int

    func request(for text: String) -> ChatRequest {
        ChatRequest(messages: [.system(system), .user(text)], temperature: temperature, maxTokens: maxTokens, seed: seed)
    }

    static func pair(for type: TaskType, attempt: Int) -> [Genome] {
        let shift = Double(attempt - 1) * 0.3
        let (system, tokens): (String, Int) = {
            switch type {
            case .code:
                return ("You are a Python programmer. Reply with one ```python code block that defines exactly the requested function, with no explanation.", 256)
            case .math:
                return ("Solve the problem step by step in a few short lines. End with the line 'Answer: <number>'.", 256)
            case .factual:
                return ("Answer the question correctly in one short sentence.", 64)
            case .reasoning:
                return ("Answer briefly and correctly, in at most three sentences.", 128)
            case .creative:
                return ("Reply briefly and creatively, in at most three lines.", 96)
            }
        }()
        // Facts and reasoning: two prompts, both deterministic — a different framing is a more
        // independent second opinion than sampling noise. Other types: one prompt, two temperatures.
        if type == .factual || type == .reasoning {
            let second = type == .factual ? "You are a helpful assistant. Answer with a short fact."
                                          : "You are a careful thinker. Answer briefly, then give the reason in one sentence."
            return [
                Genome(name: "\(type.rawValue)-plain", system: system, temperature: min(1, shift), seed: 11 + attempt, maxTokens: tokens),
                Genome(name: "\(type.rawValue)-assistant", system: second, temperature: min(1, shift), seed: 29 + attempt, maxTokens: tokens),
            ]
        }
        return [
            Genome(name: "\(type.rawValue)-steady", system: system, temperature: min(1, 0.0 + shift), seed: 11 + attempt, maxTokens: tokens),
            Genome(name: "\(type.rawValue)-lively", system: system, temperature: min(1.2, 0.7 + shift), seed: 29 + attempt, maxTokens: tokens),
        ]
    }

    /// The third vote asked when two disagree.
    static func tiebreak(for type: TaskType, attempt: Int) -> Genome {
        var g = pair(for: type, attempt: attempt)[0]
        g.name = "\(type.rawValue)-tiebreak"
        if type == .factual { g.system = "Give the answer in a few words." }
        g.temperature = min(1, 0.3 + Double(attempt - 1) * 0.3)
        g.seed = 47 + attempt
        return g
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
