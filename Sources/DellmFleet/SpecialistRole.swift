import DellmCore
import DellmModel
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging

/// specialist — a node: reads the task streams of its types, answers each task with the genome the
/// task carries (votes, tools, programs: `Answerer`), and hands the attempt in on its own stream
/// `{ns}:attempts:<node>`, the only key it writes. It holds no database credential: the coordinator's
/// recorder records the attempt, attributes it to this node, acknowledges the task and has it checked.
/// Arithmetic is computed by the calculator, never by the model.
public struct SpecialistRole: Role {
    public let config: FleetConfig
    public let types: [TaskType]
    public let node: String
    /// The user credited with this node's earnings, as the node states it (an open fleet only: a
    /// registered node's owner is the one it was registered with).
    public let owner: String
    /// The species this node belongs to in the performance matrix (likewise).
    public let species: String
    public let model: ModelEndpoint
    /// Answers each task (shared with probation).
    public var answerer: Answerer { Answerer(config: config, model: model) }
    /// A lane of the instant stream: arithmetic the calculator answers, never behind a model call.
    public var instant = false
    public var name: String { "specialist" }
    public var jobsMayRunLong: Bool { !instant }
    public var handsIn: String? { config.keys.attempts(node: node) }
    /// The types the operator paused (`ops pause`), re-read about every second.
    let paused = RedisSetMirror(every: .seconds(1))
    /// The first tier of every type, then the bulk tier (read only when the first has no work); none of
    /// a paused type (what a lane holds is finished).
    public var streams: [String] {
        let off = paused.members
        let keys = config.keys
        if instant { return off.contains("instant") ? [] : keys.taskStreams("instant") }
        let on = types.filter { !off.contains($0.rawValue) }
        return on.flatMap { keys.taskStreams($0.rawValue) } + on.flatMap { keys.taskStreams($0.rawValue, bulk: true) }
    }

    public func refresh(context: LaneContext) async throws {
        try await paused.refresh(key: config.keys.paused, redis: context.redis)
    }

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
        // A second opinion this node already gave: declined before any model call, and put back for another
        // node — unless it has come back many times (no other node takes it), when this node answers.
        if job.avoidNodes?.contains(node) == true, (entry["reissued"].flatMap { Int($0) } ?? 0) < RecorderRole.maxRefusals {
            let declined = JSONValue.members([("task_stream", .string(entry.stream)), ("task_entry", .string(entry.id))]).serialized
            return [Emit(stream: config.keys.attempts(node: node), fields: [("v", Wire.version), ("declined", declined)],
                         maxLengthApprox: config.followStreamMaxLength)]
        }
        let started = ContinuousClock.now
        let genome = job.spec ?? Genome.seed(for: job.type)
        var record = await answerer.answer(job, genome: genome, logger: context.logger)
        record.latencyMilliseconds = milliseconds(since: started)
        context.logger.info("answered", metadata: [
            "query": "\(job.queryID)", "subtask": "\(job.subtaskID)", "type": "\(job.type.rawValue)",
            "attempt": "\(job.attempt)", "tool": "\(record.tool ?? "model")", "ms": "\(record.latencyMilliseconds)", "genome": "\(genome.id)",
        ])
        let attempt = AttemptJob(task: job, taskStream: entry.stream, taskEntry: entry.id, genome: genome.id, record: record,
                                 owner: owner, species: species)
        // Capped, as the answers stream is: a recorder away for 100,000 attempts loses the oldest (their
        // tasks stay pending and are reissued).
        return [Emit(config.keys.attempts(node: node), attempt, maxLengthApprox: config.followStreamMaxLength)]
    }

    public func heartbeat(redis: RedisConnection) async throws {
        let beat = NodeHeartbeat(owner: owner, species: species)
        _ = try await redis.xadd(config.keys.attempts(node: node), [("v", Wire.version), ("heartbeat", Wire.encode(beat))])
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

    /// The request for one vote. Code stops at the closing fence of its block ("\n```\n"): what a small
    /// model writes after it (example usage, "# Output: …") is dropped from the answer anyway, and cost
    /// a third or more of its tokens.
    func request(for text: String, type: TaskType? = nil) -> ChatRequest {
        ChatRequest(messages: [.system(system), .user(text)], temperature: temperature, maxTokens: maxTokens, seed: seed,
                    stop: type == .code ? ["\n```\n"] : [], model: model)
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
