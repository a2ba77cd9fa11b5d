import Foundation

/// Routing by the performance matrix: a subtask goes to one of the top species for its type, chosen
/// in proportion to score ÷ (1 + load), with exploration (ε-greedy: with probability ε, any live
/// species). With one live species, or none known, there is nothing to choose.
///
/// Not wired into ingest yet: routed work needs per-species streams that cannot strand entries when a
/// species goes away, and nodes need their namespace (see the session note on issue 6).
public struct Router: Sendable {
    public struct Candidate: Sendable, Equatable {
        public var species: String
        /// correctness × speed from the matrix; nil when the species has no record for the type yet.
        public var score: Double?
        /// Entries waiting for this species (its backlog).
        public var load: Int

        public init(species: String, score: Double?, load: Int) {
            self.species = species
            self.score = score
            self.load = load
        }
    }

    public struct Choice: Sendable, Equatable {
        public var species: String
        /// How it was chosen, for the trace.
        public var reason: String
    }

    public var epsilon: Double
    public var top: Int
    /// The score a species without a record gets, so new species are tried.
    public var unknownScore: Double

    public init(epsilon: Double = 0.1, top: Int = 3, unknownScore: Double = 0.5) {
        self.epsilon = epsilon
        self.top = top
        self.unknownScore = unknownScore
    }

    public func choose<G: RandomNumberGenerator>(_ candidates: [Candidate], using rng: inout G) -> Choice? {
        guard !candidates.isEmpty else { return nil }
        if candidates.count == 1 { return Choice(species: candidates[0].species, reason: "the only live species") }
        if Double.random(in: 0..<1, using: &rng) < epsilon {
            let pick = candidates.randomElement(using: &rng)!
            return Choice(species: pick.species, reason: "exploring (ε = \(epsilon))")
        }
        let ranked = candidates.sorted { ($0.score ?? unknownScore) > ($1.score ?? unknownScore) }.prefix(top)
        let weights = ranked.map { max(0.001, $0.score ?? unknownScore) / Double(1 + $0.load) }
        var x = Double.random(in: 0..<weights.reduce(0, +), using: &rng)
        for (c, w) in zip(ranked, weights) {
            if x < w {
                let score = c.score.map { String(format: "%.3f", $0) } ?? "none yet"
                return Choice(species: c.species, reason: "top \(ranked.count) by matrix score (\(score)), load \(c.load)")
            }
            x -= w
        }
        return Choice(species: ranked.last!.species, reason: "top \(ranked.count) by matrix score")
    }
}
