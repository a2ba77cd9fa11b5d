import DellmCore
import Logging

/// The coordinator's genomes, for the tasks it issues: each task carries the genome its node is to
/// express, in full, so a node needs nothing but its task. The active genomes are read from
/// PostgreSQL at most every few seconds, so a new generation is issued without a restart. A routed
/// genome is issued as routed (even if retired since: the route is recorded); without a route, the
/// best-known active genome of the type not yet tried on the subtask; failing all, the type's seed.
actor GenomeDirectory {
    private var active: [Genome] = []
    private var known: [String: Genome] = [:]
    /// Routed ids PostgreSQL did not have, not asked again until the next refresh.
    private var missing: Set<String> = []
    private var loadedAt: ContinuousClock.Instant?
    let refreshEvery: Duration = .seconds(5)

    /// The tasks with their genomes filled in. Tasks a tool answers (the instant stream) need none.
    func issue(_ tasks: [TaskJob], keys: Keys, store: Store, logger: Logger) async -> [TaskJob] {
        var out = tasks
        for i in out.indices where !keys.isInstant(out[i]) {
            out[i].spec = await genome(for: out[i], store: store, logger: logger)
        }
        return out
    }

    func genome(for job: TaskJob, store: Store, logger: Logger) async -> Genome {
        if loadedAt == nil || ContinuousClock.now - loadedAt! > refreshEvery { await refresh(store: store, logger: logger) }
        if let id = job.genome {
            if let g = known[id] { return g }
            if !missing.contains(id) {
                if let g = try? await store.genomes.genome(id: id) {
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

    private func refresh(store: Store, logger: Logger) async {
        do {
            let fresh = try await store.genomes.active()
            active = fresh
            for g in fresh { known[g.id] = g }
            missing.removeAll()
        } catch {
            logger.warning("genomes not readable; issuing the ones in memory", metadata: ["error": "\(error)"])
        }
        loadedAt = .now
    }
}
