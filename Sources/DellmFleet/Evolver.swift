import DellmCore
import DellmPostgres
import Foundation
import Logging
import ServiceLifecycle

/// Runs generations of evolution over the genomes in PostgreSQL: judge each active genome on its
/// verdicts, cull, breed, record. Used by `dellm worker evolver` (on a schedule) and by
/// `dellm ops evolve` (once, now). Two evolvers at once are safe: a generation number is stored once.
public struct Evolver: Sendable {
    public let store: Store
    public let settings: Evolution.Settings
    /// Known-answer probes a newborn must pass before it is admitted (nil: every child is admitted).
    public let probation: Probation?

    public init(store: Store, settings: Evolution.Settings, probation: Probation? = nil) {
        self.store = store
        self.settings = settings
        self.probation = probation
    }

    /// The evolver of a configuration: with probation when `DELLM_EVOLVE_PROBES` names a probe file.
    public init(store: Store, config: FleetConfig, logger: Logger) throws {
        let probation = try config.probesFile.map { Probation(probes: try Probe.load(path: $0), config: config, logger: logger) }
        self.init(store: store, settings: config.evolution, probation: probation)
    }

    public struct Outcome: Sendable {
        public var plan: Evolution.Plan
        /// False when there was nothing to judge, or another evolver stored this generation first.
        public var stored: Bool
        /// Children bred but not admitted: they did worse on the probes than their parent.
        public var refused: [String] = []
        /// Probe scores of the children and parents auditioned this generation.
        public var probes: [String: Probation.Score] = [:]
    }

    public func runGeneration(note: String) async throws -> Outcome {
        let last = try await store.genomes.generations(limit: 1).last?.number ?? -1
        let population = try await store.genomes.active()
        let stats = try await store.genomes.stats()
        var rng = SystemRandomNumberGenerator()
        var plan = Evolution.plan(population: population, stats: stats, generation: last + 1, settings: settings, using: &rng)
        guard plan.fleetFitness != nil else { return Outcome(plan: plan, stored: false) }
        var out = Outcome(plan: plan, stored: false)
        if let probation, !plan.spawned.isEmpty {
            // Children take part only after answering known-answer questions no worse than their parent.
            let verdict = await probation.judge(children: plan.spawned, population: population)
            plan.spawned = verdict.admitted
            plan.notes += verdict.notes
            if !verdict.scores.isEmpty {
                plan.notes.append("probes: " + verdict.scores.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.passed)/\($0.value.total)" }
                    .joined(separator: ", "))
            }
            out.refused = verdict.refused
            out.probes = verdict.scores
        }
        out.plan = plan
        out.stored = try await store.genomes.applyGeneration(plan, note: note + "; " + plan.notes.joined(separator: "; "))
        return out
    }

    /// Why a generation is due now, or nil: enough verdicts since the last one, or enough time with
    /// at least one new verdict.
    public func due(everyVerdicts: Int, everyMinutes: Int) async throws -> String? {
        let verdicts = try await store.genomes.verdictCount()
        guard let last = try await store.genomes.generations(limit: 1).last else { return verdicts > 0 ? "no generation yet" : nil }
        let since = verdicts - last.verdictsAtStart
        if since >= everyVerdicts { return "\(since) verdicts since generation \(last.number)" }
        if since > 0, let age = try await store.genomes.secondsSinceLastGeneration(), age >= Double(everyMinutes) * 60 {
            return "\(everyMinutes) min since generation \(last.number)"
        }
        return nil
    }
}

/// `dellm worker evolver`: checks every few seconds whether a generation is due and runs it, until
/// SIGTERM/SIGINT.
public struct EvolverService: Sendable {
    public let config: FleetConfig
    public let logger: Logger
    public var checkEvery: Duration = .seconds(10)
    /// Services of the process beside the evolution step (the metrics endpoint): started first, stopped last.
    public var services: [any Service] = []

    public init(config: FleetConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let db = PostgresConnection(url: config.databaseURL, name: "evolver")
        try await Worker.prepareWithRetry(db, species: config.species, logger: logger)
        let store = Store(db: db)
        let evolver = try Evolver(store: store, config: config, logger: logger)
        logger.info("evolver starting", metadata: [
            "every_verdicts": "\(config.evolveEveryVerdicts)", "every_minutes": "\(config.evolveEveryMinutes)",
            "probes": "\(evolver.probation.map { "\($0.probes.count) from \(self.config.probesFile ?? "")" } ?? "none: children are not auditioned")",
        ])
        let config = self.config, logger = self.logger
        try await Lifecycle.run(services + [
            PeriodicService(name: "evolution step", every: checkEvery, logger: logger) {
                guard let why = try await evolver.due(everyVerdicts: config.evolveEveryVerdicts, everyMinutes: config.evolveEveryMinutes) else { return }
                let out = try await evolver.runGeneration(note: why)
                if out.stored {
                    logger.notice("generation \(out.plan.generation)", metadata: [
                        "fitness": "\(String(format: "%.3f", out.plan.fleetFitness ?? 0))", "band": "\(out.plan.band?.rawValue ?? "-")",
                        "culled": "\(out.plan.culled.count)", "spawned": "\(out.plan.spawned.count)",
                        "not_admitted": "\(out.refused.count)", "why": "\(why)",
                    ])
                } else {
                    logger.info("generation not run", metadata: ["why": "\(out.plan.notes.joined(separator: "; "))"])
                }
            },
        ], grace: .milliseconds(config.shutdownGraceMilliseconds), logger: logger)
        await db.close()
    }
}
