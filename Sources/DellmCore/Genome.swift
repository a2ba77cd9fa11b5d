import Foundation

/// A genome: how a specialist answers one type of subtask. Two votes, each a (model, prompt,
/// temperature); a specialization (the task type it serves); a token budget. Genomes live in
/// PostgreSQL; the seed species come from the configuration and evolution breeds the rest.
///
/// A species is a line of descent: a seed genome and everything bred from it carry its name. Routing
/// and the performance matrix work per genome (the unit that differs); reports group by species.
public struct Genome: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var species: String
    public var generation: Int
    public var parents: [String]
    public var specialization: TaskType
    /// The model of each vote; "default" is the configured model.
    public var models: [String]
    /// The prompt of each vote: a name from `Prompts.catalogue`, or a system prompt of its own.
    public var prompts: [String]
    public var temperatures: [Double]
    public var maxTokens: Int

    enum CodingKeys: String, CodingKey {
        case id, species, generation, parents, specialization, models, prompts, temperatures
        case maxTokens = "max_tokens"
    }

    public init(id: String, species: String, generation: Int = 0, parents: [String] = [], specialization: TaskType,
                models: [String] = ["default", "default"], prompts: [String], temperatures: [Double], maxTokens: Int) {
        self.id = id
        self.species = species
        self.generation = generation
        self.parents = parents
        self.specialization = specialization
        self.models = models
        self.prompts = prompts
        self.temperatures = temperatures
        self.maxTokens = maxTokens
    }

    /// The system prompt of vote `i`.
    public func systemPrompt(_ i: Int) -> String {
        let name = prompts.indices.contains(i) ? prompts[i] : (prompts.first ?? "")
        return Prompts.catalogue[name] ?? (name.isEmpty ? Prompts.defaultPrompt(for: specialization) : name)
    }

    public func temperature(_ i: Int) -> Double { temperatures.indices.contains(i) ? temperatures[i] : (temperatures.first ?? 0) }
    public func model(_ i: Int) -> String { models.indices.contains(i) ? models[i] : (models.first ?? "default") }

    /// Whether the two votes are independent enough to disagree: another model, another prompt, or
    /// temperatures at least 0.3 apart. Two identical votes always agree, so they never call the
    /// tiebreak that catches a wrong answer: such a genome looks fast and is merely unchecked.
    public var votesCanDisagree: Bool {
        model(0) != model(1) || systemPrompt(0) != systemPrompt(1) || abs(temperature(0) - temperature(1)) >= 0.3 - 1e-9
    }

    /// One line for listings: "math-steps@0.0 / math-steps@0.7".
    public var summary: String {
        (0..<2).map { i in
            let p = prompts.indices.contains(i) ? prompts[i] : "?"
            let m = model(i) == "default" ? "" : " on \(model(i))"
            return "\(p.count > 24 ? String(p.prefix(24)) + "…" : p)@\(String(format: "%.1f", temperature(i)))\(m)"
        }.joined(separator: " / ") + ", \(maxTokens) tokens"
    }

    /// The seed species of generation 0, after the DELLM design's five: their prompts and
    /// temperatures are the ones measured best for SmolLM2-135M on the eval set.
    public static let seeds: [Genome] = [
        Genome(id: "math-specialist", species: "math-specialist", specialization: .math,
               prompts: ["math-steps", "math-steps"], temperatures: [0.0, 0.7], maxTokens: 256),
        Genome(id: "coding-specialist", species: "coding-specialist", specialization: .code,
               prompts: ["code-block", "code-block"], temperatures: [0.0, 0.7], maxTokens: 256),
        Genome(id: "logical-reasoner", species: "logical-reasoner", specialization: .reasoning,
               prompts: ["reason-brief", "reason-careful"], temperatures: [0.0, 0.0], maxTokens: 128),
        Genome(id: "fast-responder", species: "fast-responder", specialization: .factual,
               prompts: ["fact-sentence", "fact-assistant"], temperatures: [0.0, 0.0], maxTokens: 64),
        Genome(id: "creative-generalist", species: "creative-generalist", specialization: .creative,
               prompts: ["creative-brief", "creative-brief"], temperatures: [0.0, 0.7], maxTokens: 96),
    ]

    /// The seed for a type (what a specialist uses when no genome is known at all).
    public static func seed(for type: TaskType) -> Genome {
        seeds.first { $0.specialization == type } ?? seeds[0]
    }
}

/// Named system prompts, grouped by the type they suit; mutation swaps among a type's prompts.
public enum Prompts {
    public static let byType: [TaskType: [(String, String)]] = [
        .math: [
            ("math-steps", "Solve the problem step by step in a few short lines. End with the line 'Answer: <number>'."),
            ("math-terse", "Work out the result with one short line of working, then the line 'Answer: <number>'."),
            ("math-check", "Solve the problem, check the arithmetic once, and end with the line 'Answer: <number>'."),
        ],
        .code: [
            ("code-block", "You are a Python programmer. Reply with one ```python code block that defines exactly the requested function, with no explanation."),
            ("code-minimal", "Write only the requested Python function in one ```python code block. No tests, no prints, no explanation."),
            ("code-careful", "You are a careful Python programmer. Handle the base cases first. Reply with one ```python code block defining the requested function."),
        ],
        .factual: [
            ("fact-sentence", "Answer the question correctly in one short sentence."),
            ("fact-assistant", "You are a helpful assistant. Answer with a short fact."),
            ("fact-words", "Give the answer in a few words."),
        ],
        .reasoning: [
            ("reason-brief", "Answer briefly and correctly, in at most three sentences."),
            ("reason-careful", "You are a careful thinker. Answer briefly, then give the reason in one sentence."),
            ("reason-steps", "Think step by step in at most three short sentences, then state the conclusion."),
        ],
        .creative: [
            ("creative-brief", "Reply briefly and creatively, in at most three lines."),
            ("creative-vivid", "Write a short, vivid reply of at most three lines."),
        ],
    ]

    public static let catalogue: [String: String] = Dictionary(uniqueKeysWithValues: byType.values.flatMap { $0 })

    public static func names(for type: TaskType) -> [String] { byType[type]?.map(\.0) ?? [] }
    public static func defaultPrompt(for type: TaskType) -> String { byType[type]?.first?.1 ?? "Answer briefly and correctly." }
}

extension Genome: WireJSON {
    /// A genome as a task carries it to a node: every field the node needs to express it, checked so a
    /// bad one fails its task instead of asking the model for millions of tokens.
    public init(fields f: JSONFields) throws(Wire.DecodeError) {
        let raw = try f.string("specialization")
        guard let type = TaskType(rawValue: raw) else { throw Wire.DecodeError("the genome has an unknown specialization '\(raw.prefix(20))'") }
        self.init(id: try f.string("id"), species: try f.string("species"), generation: try f.int("generation"),
                  parents: try f.strings("parents"), specialization: type, models: try f.strings("models"),
                  prompts: try f.strings("prompts"), temperatures: try f.doubles("temperatures"), maxTokens: try f.int("max_tokens"))
        guard (1...Genome.maxTokensLimit).contains(maxTokens) else { throw Wire.DecodeError("the genome's max_tokens must be 1–\(Genome.maxTokensLimit)") }
        guard !prompts.isEmpty, !models.isEmpty, !temperatures.isEmpty else { throw Wire.DecodeError("the genome needs a prompt, a model and a temperature") }
        guard temperatures.allSatisfy({ (0...2).contains($0) }) else { throw Wire.DecodeError("the genome's temperatures must be 0–2") }
        guard prompts.allSatisfy({ $0.utf8.count <= 8192 }) else { throw Wire.DecodeError("a genome prompt is over 8 KiB") }
    }

    public var json: JSONValue {
        .members([
            ("id", .string(id)), ("species", .string(species)), ("generation", .int(generation)),
            ("parents", .array(parents.map(JSONValue.string))), ("specialization", .string(specialization.rawValue)),
            ("models", .array(models.map(JSONValue.string))), ("prompts", .array(prompts.map(JSONValue.string))),
            ("temperatures", .array(temperatures.map { .number(String($0)) })), ("max_tokens", .int(maxTokens)),
        ])
    }

    /// The most completion tokens a genome may ask of one vote.
    public static let maxTokensLimit = 4096
}
