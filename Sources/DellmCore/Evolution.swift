import Foundation

/// One generation of evolution, as a pure function of the population and its record: who is culled,
/// who is bred, at which mutation rate. The fleet stores the result (see `Store.applyGeneration`).
public enum Evolution {
    /// What the verdicts say about one genome's model-made answers.
    public struct Stats: Sendable, Equatable, Codable {
        public var attempts: Int
        public var correct: Int
        public var totalMilliseconds: Double
        /// Model calls made (votes, tiebreaks): the compute used.
        public var modelCalls: Int

        /// Values read back are clamped, never trusted: a negative count or time, or a non-finite one, from
        /// a bad row becomes 0 (and correct at most attempts), so no score is negative or infinite.
        public init(attempts: Int = 0, correct: Int = 0, totalMilliseconds: Double = 0, modelCalls: Int = 0) {
            self.attempts = max(0, attempts)
            self.correct = min(max(0, correct), max(0, attempts))
            self.totalMilliseconds = totalMilliseconds.isFinite ? max(0, totalMilliseconds) : 0
            self.modelCalls = max(0, modelCalls)
        }

        public var correctness: Double { attempts > 0 ? Double(correct) / Double(attempts) : 0 }
        public var meanSeconds: Double { attempts > 0 ? totalMilliseconds / 1000 / Double(attempts) : 0 }
        public var callsPerAttempt: Double { attempts > 0 ? Double(modelCalls) / Double(attempts) : 0 }

        /// fitness = correctness × speed ÷ (latency + compute cost), on a 0…1 scale:
        /// correctness ÷ (1 + latency / 10 s + 0.1 × model calls per answer). An instant answer that
        /// costs nothing is judged by its correctness alone; ten seconds halve it.
        public var fitness: Double {
            guard attempts > 0 else { return 0 }
            return correctness / (1 + meanSeconds / Evolution.referenceSeconds + Evolution.costPerCall * callsPerAttempt)
        }

        /// The fitness with correctness at its lower confidence bound (Wilson, 90%): what selection
        /// ranks by, so a genome with a long record is not displaced by one that was lucky three times.
        public var provenFitness: Double {
            guard attempts > 0 else { return 0 }
            return Evolution.wilsonLowerBound(correct: correct, of: attempts)
                / (1 + meanSeconds / Evolution.referenceSeconds + Evolution.costPerCall * callsPerAttempt)
        }
    }

    /// The lower end of the Wilson score interval (z = 1.645) for `correct` successes in `n`.
    public static func wilsonLowerBound(correct: Int, of n: Int, z: Double = 1.645) -> Double {
        guard n > 0 else { return 0 }
        let p = Double(correct) / Double(n), nn = Double(n), z2 = z * z
        let centre = p + z2 / (2 * nn), margin = z * ((p * (1 - p) + z2 / (4 * nn)) / nn).squareRoot()
        return max(0, (centre - margin) / (1 + z2 / nn))
    }

    public static let referenceSeconds = 10.0
    public static let costPerCall = 0.1

    /// The fleet's fitness sets how hard evolution pushes (the DELLM design's bands).
    public enum Band: String, Sendable, Codable, CaseIterable {
        case normal, increased, aggressive, crisis

        public init(fitness: Double) {
            switch fitness {
            case 0.75...: self = .normal
            case 0.65..<0.75: self = .increased
            case 0.55..<0.65: self = .aggressive
            default: self = .crisis
            }
        }

        /// Chance that each trait of a variant mutates.
        public var mutationRate: Double {
            switch self {
            case .normal: 0.2
            case .increased: 0.4
            case .aggressive: 0.7
            case .crisis: 1.0
            }
        }

        /// Variants each top genome spawns.
        public var variants: Int { self == .normal ? 2 : 3 }

        /// How far a temperature moves.
        public var temperatureStep: Double { self == .normal || self == .increased ? 0.1 : 0.2 }
    }

    public struct Settings: Sendable, Equatable {
        /// Genomes with fewer verdicts are neither culled nor bred: not enough evidence yet.
        public var minimumAttempts: Int
        /// At most this many active genomes per task type.
        public var maxPerType: Int
        /// Model names a model swap may choose from ("default" is the configured model).
        public var models: [String]

        public init(minimumAttempts: Int = 3, maxPerType: Int = 6, models: [String] = ["default"]) {
            self.minimumAttempts = minimumAttempts
            self.maxPerType = maxPerType
            self.models = models
        }
    }

    public struct Plan: Sendable, Equatable {
        public var generation: Int
        public var fleetFitness: Double?
        public var band: Band?
        public var culled: [String]
        public var spawned: [Genome]
        /// Fitness of every judged genome, by id.
        public var fitness: [String: Double]
        /// What happened, in words, for the record.
        public var notes: [String]

        public init(generation: Int, fleetFitness: Double?, band: Band?, culled: [String], spawned: [Genome],
                    fitness: [String: Double], notes: [String]) {
            self.generation = generation
            self.fleetFitness = fleetFitness
            self.band = band
            self.culled = culled
            self.spawned = spawned
            self.fitness = fitness
            self.notes = notes
        }
    }

    /// Plans generation `generation` from the active population and each genome's record.
    /// Per task type: rank the judged genomes by proven fitness (correctness at its lower confidence
    /// bound), cull the bottom 20% (never the last one of a
    /// type), let the top 20% spawn mutated variants, and cross the best two when there are two.
    public static func plan<G: RandomNumberGenerator>(population: [Genome], stats: [String: Stats], generation: Int,
                                                      settings: Settings = .init(), using rng: inout G) -> Plan {
        let judged = population.filter { (stats[$0.id]?.attempts ?? 0) >= settings.minimumAttempts }
        let fitness = Dictionary(uniqueKeysWithValues: judged.map { ($0.id, stats[$0.id]!.fitness) })
        let proven = Dictionary(uniqueKeysWithValues: judged.map { ($0.id, stats[$0.id]!.provenFitness) })
        let weight = judged.reduce(0) { $0 + (stats[$1.id]?.attempts ?? 0) }
        guard weight > 0 else {
            return Plan(generation: generation, fleetFitness: nil, band: nil, culled: [], spawned: [], fitness: [:],
                        notes: ["no genome has \(settings.minimumAttempts) verdicts yet: nothing to judge"])
        }
        let fleet = judged.reduce(0.0) { $0 + fitness[$1.id]! * Double(stats[$1.id]!.attempts) } / Double(weight)
        let band = Band(fitness: fleet)
        var culled: [String] = [], spawned: [Genome] = [], notes: [String] = []
        var serial = 0
        func nextID(_ species: String) -> String {
            serial += 1
            return "\(species).g\(generation).\(serial)"
        }
        for type in TaskType.allCases {
            let members = population.filter { $0.specialization == type }
            let ranked = judged.filter { $0.specialization == type }.sorted {
                (proven[$0.id]!, $1.id) > (proven[$1.id]!, $0.id)
            }
            guard !ranked.isEmpty else { continue }
            // Cull the bottom 20% of the judged, never the last genome of the type; a type at the cap
            // culls at least one, so a full population still makes room for a child. The cap never culls
            // more: children are bred only into the room the 20% leaves (the design's shape, whatever the cap).
            var cut = Int((Double(ranked.count) * 0.2).rounded(.down))
            if members.count >= settings.maxPerType, ranked.count >= 2 { cut = max(cut, 1) }
            cut = min(cut, members.count - 1)
            let top = max(1, Int((Double(ranked.count) * 0.2).rounded(.up)))
            let losers = Array(ranked.suffix(cut))
            culled += losers.map(\.id)
            let room = settings.maxPerType - (members.count - losers.count)
            var born: [Genome] = []
            for parent in ranked.prefix(top) {
                for _ in 0..<band.variants where born.count < room {
                    born.append(mutate(parent, id: nextID(parent.species), generation: generation, band: band,
                                       models: settings.models, using: &rng))
                }
            }
            if ranked.count >= 2, born.count < room {
                born.append(crossover(ranked[0], ranked[1], id: nextID(ranked[0].species), generation: generation, using: &rng))
            }
            spawned += born
            notes.append("\(type.rawValue): \(ranked.count) judged, best \(ranked[0].id) (\(String(format: "%.3f", fitness[ranked[0].id]!))), culled \(losers.count), bred \(born.count)")
        }
        return Plan(generation: generation, fleetFitness: fleet, band: band, culled: culled, spawned: spawned,
                    fitness: fitness, notes: notes)
    }

    /// A variant: each trait changes with the band's mutation rate, and at least one always does.
    public static func mutate<G: RandomNumberGenerator>(_ parent: Genome, id: String, generation: Int, band: Band,
                                                        models: [String], using rng: inout G) -> Genome {
        var child = parent
        child.id = id
        child.generation = generation
        child.parents = [parent.id]
        var changed = false
        for _ in 0..<8 where !changed {
            for i in 0..<2 where Double.random(in: 0..<1, using: &rng) < band.mutationRate {
                let step = Bool.random(using: &rng) ? band.temperatureStep : -band.temperatureStep
                let t = min(1.5, max(0, (child.temperature(i) + step) * 10).rounded() / 10)
                if t != child.temperature(i) {
                    child.temperatures[i] = t
                    changed = true
                }
            }
            let prompts = Prompts.names(for: parent.specialization)
            if prompts.count > 1, Double.random(in: 0..<1, using: &rng) < band.mutationRate {
                let i = Int.random(in: 0..<2, using: &rng)
                if let p = prompts.filter({ $0 != child.prompts[i] }).randomElement(using: &rng) {
                    child.prompts[i] = p
                    changed = true
                }
            }
            // The token budget, the compute a genome may spend: a quarter more or less, in steps of 16.
            if Double.random(in: 0..<1, using: &rng) < band.mutationRate / 2 {
                let factor = Bool.random(using: &rng) ? 1.25 : 0.75
                let tokens = min(1024, max(32, Int((Double(child.maxTokens) * factor / 16).rounded()) * 16))
                if tokens != child.maxTokens {
                    child.maxTokens = tokens
                    changed = true
                }
            }
            if models.count > 1, Double.random(in: 0..<1, using: &rng) < band.mutationRate {
                let i = Int.random(in: 0..<2, using: &rng)
                if let m = models.filter({ $0 != child.models[i] }).randomElement(using: &rng) {
                    child.models[i] = m
                    changed = true
                }
            }
        }
        return diversified(child, using: &rng)
    }

    /// A genome whose votes can disagree: if the two are the same model, prompt and temperature
    /// (within 0.3), the second vote takes another prompt of the type (or, with none, a warmer temperature).
    public static func diversified<G: RandomNumberGenerator>(_ g: Genome, using rng: inout G) -> Genome {
        guard !g.votesCanDisagree else { return g }
        var out = g
        if out.prompts.count < 2 { out.prompts.append(out.prompts.first ?? "") }
        if out.temperatures.count < 2 { out.temperatures.append(out.temperature(0)) }
        if let other = Prompts.names(for: g.specialization).filter({ Prompts.catalogue[$0] != g.systemPrompt(0) }).randomElement(using: &rng) {
            out.prompts[1] = other
        } else {
            out.temperatures[1] = min(1.5, ((out.temperature(0) + 0.3) * 10).rounded() / 10)
        }
        return out
    }

    /// A crossover of two genomes of one type: the first vote of `a`, the second of `b`, the mean
    /// temperature on the first vote (the DELLM design's offspring).
    public static func crossover<G: RandomNumberGenerator>(_ a: Genome, _ b: Genome, id: String, generation: Int,
                                                           using rng: inout G) -> Genome {
        var child = a
        child.id = id
        child.generation = generation
        child.parents = [a.id, b.id]
        child.models = [a.model(0), b.model(1)]
        child.prompts = [a.prompts.first ?? "", b.prompts.count > 1 ? b.prompts[1] : (b.prompts.first ?? "")]
        child.temperatures = [((a.temperature(0) + b.temperature(0)) / 2 * 10).rounded() / 10, b.temperature(1)]
        child.maxTokens = Bool.random(using: &rng) ? a.maxTokens : b.maxTokens
        return diversified(child, using: &rng)
    }
}
