import Foundation

/// Routing by the performance matrix: a subtask goes to one of the top genomes for its type.
///
/// - ε-greedy (the default): with probability ε any candidate; otherwise one of the top `top` by
///   matrix score, chosen in proportion to score ÷ (1 + load).
/// - Thompson sampling: each candidate draws a correctness from Beta(correct + 1, wrong + 1), times its
///   speed, ÷ (1 + load); the highest draw wins. Uncertain (young) genomes win often enough to be
///   measured, proven ones win most of the time.
///
/// Candidates are genomes, not processes: every specialist of a type can express every genome of the
/// type, so a route never waits for one process and no work strands when a genome is retired.
public struct Router: Sendable {
    public enum Strategy: String, Sendable, CaseIterable {
        case epsilonGreedy = "epsilon-greedy"
        case thompson
    }

    public struct Candidate: Sendable, Equatable {
        public var id: String
        /// correctness × speed from the matrix; nil when the genome has no record for the type yet.
        public var score: Double?
        /// Subtasks routed to it and not yet settled.
        public var load: Int
        public var attempts: Int
        public var correct: Int
        public var meanSeconds: Double

        /// Values from the matrix are clamped, never trusted: a bad row (a negative time, a count above
        /// its total, NaN) must not make a weight infinite or negative, where drawing a route would trap.
        public init(id: String, score: Double?, load: Int, attempts: Int = 0, correct: Int = 0, meanSeconds: Double = 0) {
            self.id = id
            self.score = score.map { $0.isFinite ? min(max($0, 0), Candidate.maxScore) : 0 }
            self.load = max(0, load)
            self.attempts = max(0, attempts)
            self.correct = min(max(0, correct), max(0, attempts))
            self.meanSeconds = meanSeconds.isFinite ? max(0, meanSeconds) : 0
        }

        /// Scores are correctness × speed, at most 1; anything far above is a bad row.
        static let maxScore = 1_000.0
    }

    public struct Choice: Sendable, Equatable {
        public var id: String
        /// How it was chosen, for the trace.
        public var reason: String
    }

    public var strategy: Strategy
    public var epsilon: Double
    public var top: Int
    /// The score a genome without a record gets, so new genomes are tried.
    public var unknownScore: Double

    public init(strategy: Strategy = .epsilonGreedy, epsilon: Double = 0.1, top: Int = 3, unknownScore: Double = 0.5) {
        self.strategy = strategy
        self.epsilon = epsilon
        self.top = top
        self.unknownScore = unknownScore
    }

    public func choose<G: RandomNumberGenerator>(_ candidates: [Candidate], using rng: inout G) -> Choice? {
        guard !candidates.isEmpty else { return nil }
        if candidates.count == 1 { return Choice(id: candidates[0].id, reason: "the only genome of the type") }
        switch strategy {
        case .thompson:
            var best: (Candidate, Double)?
            for c in candidates {
                let p = Router.beta(Double(c.correct) + 1, Double(c.attempts - c.correct) + 1, using: &rng)
                let draw = p / (1 + c.meanSeconds) / Double(1 + c.load)
                if best == nil || draw > best!.1 { best = (c, draw) }
            }
            let c = best!.0
            return Choice(id: c.id, reason: String(format: "Thompson draw %.3f (%d/%d correct, load %d)", best!.1, c.correct, c.attempts, c.load))
        case .epsilonGreedy:
            if Double.random(in: 0..<1, using: &rng) < epsilon {
                let pick = candidates.randomElement(using: &rng)!
                return Choice(id: pick.id, reason: "exploring (ε = \(epsilon))")
            }
            let ranked = candidates.sorted { ($0.score ?? unknownScore, $1.id) > ($1.score ?? unknownScore, $0.id) }.prefix(top)
            let weights = ranked.map { max(0.001, $0.score ?? unknownScore) / Double(1 + $0.load) }
            var x = Double.random(in: 0..<weights.reduce(0, +), using: &rng)
            for (c, w) in zip(ranked, weights) {
                if x < w { return Choice(id: c.id, reason: reasonText(c, ranked.count)) }
                x -= w
            }
            return Choice(id: ranked.last!.id, reason: reasonText(ranked.last!, ranked.count))
        }
    }

    /// `count` distinct choices (fewer when there are fewer candidates): a critical subtask asks
    /// three different genomes.
    public func choose<G: RandomNumberGenerator>(_ candidates: [Candidate], count: Int, using rng: inout G) -> [Choice] {
        var left = candidates, out: [Choice] = []
        while out.count < count, let c = choose(left, using: &rng) {
            out.append(c)
            left.removeAll { $0.id == c.id }
        }
        return out
    }

    private func reasonText(_ c: Candidate, _ n: Int) -> String {
        let score = c.score.map { String(format: "%.3f", $0) } ?? "none yet"
        return "top \(n) by matrix score (\(score)), load \(c.load)"
    }

    /// A Beta(a, b) draw from two Gamma draws.
    static func beta<G: RandomNumberGenerator>(_ a: Double, _ b: Double, using rng: inout G) -> Double {
        let x = gamma(a, using: &rng), y = gamma(b, using: &rng)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    /// Marsaglia–Tsang Gamma(shape, 1) for shape ≥ 1 (every shape here is a count + 1).
    static func gamma<G: RandomNumberGenerator>(_ shape: Double, using rng: inout G) -> Double {
        let d = max(shape, 1) - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                // Box–Muller normal.
                let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
                x = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }
}
