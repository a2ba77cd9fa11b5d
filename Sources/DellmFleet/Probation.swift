import DellmCore
import DellmModel
import DellmSupport
import Foundation
import Logging

/// A question with a known answer, asked of a newborn genome before it is given any work.
public struct Probe: Sendable, Equatable {
    public var id: String
    public var type: TaskType
    public var query: String
    public var check: EvalCheck

    public init(id: String, type: TaskType, query: String, check: EvalCheck) {
        self.id = id
        self.type = type
        self.query = query
        self.check = check
    }

    /// Reads a probe file: JSON lines in the shape of the eval file (`id`, `query`, `type`, `check`),
    /// where `type` is a task type. Blank lines and lines starting with `#` are skipped; a bad line
    /// is refused with its line number.
    public static func load(path: String) throws -> [Probe] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(path): cannot read the probe file (DELLM_EVOLVE_PROBES)")
        }
        var out: [Probe] = []
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(path):\(n + 1)"
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw ConfigurationError("\(at): not a JSON object")
            }
            guard let id = o["id"] as? String, let query = o["query"] as? String, !query.isEmpty else {
                throw ConfigurationError("\(at): a probe needs an \"id\" and a non-empty \"query\"")
            }
            guard let type = (o["type"] as? String).flatMap(TaskType.init(rawValue:)) else {
                throw ConfigurationError("\(at) (\(id)): type must be one of \(TaskType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let check: EvalCheck
            do { check = try EvalCheck(json: o["check"] as Any) } catch { throw ConfigurationError("\(at) (\(id)): \(error)") }
            out.append(Probe(id: id, type: type, query: query, check: check))
        }
        return out
    }
}

/// Probation for newborn genomes. The verifier can prove arithmetic and run code, but it cannot tell a
/// right fact from a wrong one, so verdicts alone let evolution drift: a warmer variant that restates
/// the question passes every check it can be given. Before a child joins the population it answers
/// the probes of its type, known-answer questions kept apart from any eval, under its own prompts,
/// temperatures and token budget; it is admitted only if it passes at least as many as its best
/// parent. Parents are probed once per evolver process (their score is remembered).
public struct Probation: Sendable {
    public let probes: [Probe]
    let answerer: Answerer
    let scores = ProbeScores()
    let logger: Logger
    /// Auditions running at once (each asks two votes per probe).
    public var parallel = 2

    public init(probes: [Probe], config: FleetConfig, logger: Logger) {
        self.probes = probes
        self.answerer = Answerer(config: config, model: ModelEndpoint(client: config.model(), maxConcurrent: config.modelConcurrency))
        self.logger = logger
    }

    public struct Score: Sendable, Equatable, Codable {
        public var passed: Int
        public var total: Int
    }

    /// The probes of `type` this genome passes.
    public func audition(_ genome: Genome) async -> Score {
        if let known = await scores.get(genome.id) { return known }
        var passed = 0, total = 0
        for p in probes where p.type == genome.specialization {
            let job = TaskJob(queryID: "probe", subtaskID: "probe.\(p.id)", index: 0, type: p.type, text: p.query, attempt: 1)
            let record = await answerer.answer(job, genome: genome, logger: logger)
            total += 1
            if let answer = record.answer, await p.check.passes(answer) { passed += 1 }
        }
        let score = Score(passed: passed, total: total)
        await scores.set(genome.id, score)
        return score
    }

    public struct Verdict: Sendable {
        public var admitted: [Genome]
        public var refused: [String]
        public var scores: [String: Score]
        public var notes: [String]
    }

    /// Auditions `children` and their parents (from `population`), `parallel` genomes at a time.
    public func judge(children: [Genome], population: [Genome]) async -> Verdict {
        let byID = Dictionary(population.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var wanted: [Genome] = []
        var seen = Set<String>()
        for c in children where probes.contains(where: { $0.type == c.specialization }) {
            for g in c.parents.compactMap({ byID[$0] }) + [c] where seen.insert(g.id).inserted { wanted.append(g) }
        }
        var scores: [String: Score] = [:]
        await withTaskGroup(of: (String, Score).self) { group in
            var next = 0
            func start() {
                guard next < wanted.count else { return }
                let g = wanted[next]
                next += 1
                group.addTask { (g.id, await self.audition(g)) }
            }
            for _ in 0..<max(1, parallel) { start() }
            for await (id, s) in group {
                scores[id] = s
                start()
            }
        }
        var admitted: [Genome] = [], refused: [String] = [], notes: [String] = []
        for c in children {
            guard let mine = scores[c.id] else { admitted.append(c); continue } // no probes for its type
            let best = c.parents.compactMap { scores[$0]?.passed }.max() ?? 0
            if mine.passed >= best {
                admitted.append(c)
            } else {
                refused.append(c.id)
                notes.append("\(c.id) not admitted: \(mine.passed)/\(mine.total) probes against \(best) for its parent")
            }
        }
        return Verdict(admitted: admitted, refused: refused, scores: scores, notes: notes)
    }
}

/// Probe scores by genome id (a genome never changes, so its score holds for the process's life).
actor ProbeScores {
    private var byID: [String: Probation.Score] = [:]
    func get(_ id: String) -> Probation.Score? { byID[id] }
    func set(_ id: String, _ s: Probation.Score) { byID[id] = s }
}
