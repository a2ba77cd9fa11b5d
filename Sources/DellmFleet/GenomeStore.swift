import DellmCore
import DellmPostgres
import Foundation

/// Genomes and generations in PostgreSQL: seeding from the configuration, what routing and the
/// specialists read, and what the evolver writes.
public struct GenomeStore: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }
}

extension GenomeStore {
    static func decodeGenome(_ json: String?) -> Genome? {
        json.flatMap { try? JSONDecoder().decode(Genome.self, from: Data($0.utf8)) }
    }

    /// Inserts the seed species not yet known (generation 0), and records generation 0 once. Seeds
    /// already stored are left as they are: after generation 0 the genomes belong to evolution.
    public func seed(_ seeds: [Genome]) async throws {
        try await db.withSession { s in
            try s.transaction { tx in
                try tx.query("SELECT pg_advisory_xact_lock(hashtext('dellm.genomes'))")
                for g in seeds {
                    try tx.query("""
                        INSERT INTO genomes (id, species, generation, specialization, spec) VALUES ($1, $2, 0, $3, $4::jsonb)
                        ON CONFLICT (id) DO NOTHING
                        """, [g.id, g.species, g.specialization.rawValue, Wire.encode(g)])
                }
                if try tx.query("SELECT 1 FROM generations LIMIT 1").rows.isEmpty {
                    try tx.query("""
                        INSERT INTO generations (number, kind, population, note)
                        SELECT 0, 'seed', coalesce(jsonb_agg(id ORDER BY id), '[]'), 'seed species from the configuration'
                        FROM genomes WHERE status = 'active'
                        """)
                }
            }
        }
    }

    public func active() async throws -> [Genome] {
        try await db.query("SELECT spec::text FROM genomes WHERE status = 'active' ORDER BY specialization, generation, id")
            .rows.compactMap { GenomeStore.decodeGenome($0[0]) }
    }

    public func genome(id: String) async throws -> Genome? {
        GenomeStore.decodeGenome(try await db.query("SELECT spec::text FROM genomes WHERE id = $1", [id]).first?[0] ?? nil)
    }

    /// What routing reads: every active genome with its matrix record for its type and its load
    /// (subtasks routed to it and not yet settled).
    public func routingCandidates() async throws -> [(genome: Genome, candidate: Router.Candidate)] {
        try await db.query("""
            SELECT g.spec::text, m.attempts, m.correct, m.total_ms,
                   (SELECT count(*) FROM subtasks s WHERE s.status = 'queued' AND s.genome = g.id)
            FROM genomes g LEFT JOIN perf_matrix m ON m.task_type = g.specialization AND m.species = g.id
            WHERE g.status = 'active'
            """).rows.compactMap { row in
            guard let g = GenomeStore.decodeGenome(row[0]) else { return nil }
            let n = Int(row[1] ?? "0") ?? 0, c = Int(row[2] ?? "0") ?? 0, ms = Double(row[3] ?? "0") ?? 0
            let mean = n > 0 ? ms / Double(n) / 1000 : 0
            // Routing trusts a record as far as it goes: correctness at its lower confidence bound.
            let score: Double? = n > 0 ? Evolution.wilsonLowerBound(correct: c, of: n) / (1 + mean) : nil
            return (g, Router.Candidate(id: g.id, score: score, load: Int(row[4] ?? "0") ?? 0, attempts: n, correct: c, meanSeconds: mean))
        }
    }

    /// Each genome's verdicts on its model-made answers (calculator answers say nothing about a genome).
    public func stats() async throws -> [String: Evolution.Stats] {
        var out: [String: Evolution.Stats] = [:]
        for row in try await db.query("""
            SELECT a.genome, count(*) AS attempts, count(*) FILTER (WHERE v.passed AND NOT a.outvoted) AS correct,
                   coalesce(sum(a.latency_ms), 0) AS total_ms, coalesce(sum(a.model_calls), 0) AS model_calls
            FROM attempts a JOIN verdicts v ON v.subtask_id = a.subtask_id AND v.attempt = a.attempt
            WHERE a.genome IS NOT NULL AND a.tool IS DISTINCT FROM 'calculator'
            GROUP BY a.genome
            """).records {
            out[try row.decode("genome")] = Evolution.Stats(attempts: try row.decode("attempts"), correct: try row.decode("correct"),
                                                            totalMilliseconds: try row.decode("total_ms"), modelCalls: try row.decode("model_calls"))
        }
        return out
    }

    public struct GenerationRow: Sendable, Codable {
        public var number: Int
        public var kind: String
        public var fleetFitness: Double?
        public var band: String?
        public var mutationRate: Double?
        public var culled: [String]
        public var spawned: [String]
        public var population: [String]
        public var fitness: [String: Double]
        public var verdictsAtStart: Int
        public var note: String?
        public var at: String
    }

    public func generations(limit: Int = 100) async throws -> [GenerationRow] {
        try await db.query("""
            SELECT number, kind, fleet_fitness, band, mutation_rate, culled::text AS culled, spawned::text AS spawned,
                   population::text AS population, fitness::text AS fitness, verdicts_at_start, note, created_at::text AS created_at
            FROM generations ORDER BY number DESC LIMIT $1
            """, [String(limit)]).records.map { r in
            func json<T: Decodable>(_ column: String, _ empty: String) throws -> T {
                let text = try r.decode(column, as: String?.self) ?? empty
                do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                    throw PostgresDecodingError(column: column, expected: "JSON \(T.self)", value: String(text.prefix(40)))
                }
            }
            return GenerationRow(number: try r.decode("number"), kind: try r.decode("kind"), fleetFitness: try r.decode("fleet_fitness", as: Double?.self),
                                 band: try r.decode("band", as: String?.self), mutationRate: try r.decode("mutation_rate", as: Double?.self),
                                 culled: try json("culled", "[]"), spawned: try json("spawned", "[]"), population: try json("population", "[]"),
                                 fitness: try json("fitness", "{}"), verdictsAtStart: try r.decode("verdicts_at_start", as: Int?.self) ?? 0,
                                 note: try r.decode("note", as: String?.self), at: try r.decode("created_at"))
        }.reversed()
    }

    /// Seconds since the newest generation was recorded; nil when there is none.
    public func secondsSinceLastGeneration() async throws -> Double? {
        try await db.query("SELECT extract(epoch FROM now() - max(created_at))::float8 FROM generations").first?[0].flatMap { Double($0) }
    }

    public func verdictCount() async throws -> Int {
        Int(try await db.query("SELECT count(*) FROM verdicts").first?[0] ?? "0") ?? 0
    }

    /// Stores a planned generation: the new genomes, the culled ones retired, and the record. Refused
    /// (returns false) when another evolver stored generation `plan.generation` first.
    public func applyGeneration(_ plan: Evolution.Plan, note: String) async throws -> Bool {
        let spawned = plan.spawned
        return try await db.withSession { s in
            try s.transaction { tx in
                try tx.query("SELECT pg_advisory_xact_lock(hashtext('dellm.genomes'))")
                let last = Int(try tx.query("SELECT coalesce(max(number), -1) FROM generations").first?[0] ?? "-1") ?? -1
                guard last + 1 == plan.generation else { return false }
                for g in spawned {
                    try tx.query("""
                        INSERT INTO genomes (id, species, generation, specialization, spec) VALUES ($1, $2, $3, $4, $5::jsonb)
                        ON CONFLICT (id) DO NOTHING
                        """, [g.id, g.species, String(g.generation), g.specialization.rawValue, Wire.encode(g)])
                }
                try tx.query("""
                    UPDATE genomes SET status = 'retired', retired_at = now()
                    WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND status = 'active'
                    """, [Wire.encode(plan.culled)])
                try tx.query("""
                    INSERT INTO generations (number, kind, fleet_fitness, band, mutation_rate, culled, spawned, population, fitness,
                                             verdicts_at_start, note)
                    SELECT $1, 'evolve', $2, $3, $4, $5::jsonb, $6::jsonb, coalesce(jsonb_agg(id ORDER BY id), '[]'), $7::jsonb,
                           (SELECT count(*) FROM verdicts), $8
                    FROM genomes WHERE status = 'active'
                    """, [String(plan.generation), plan.fleetFitness.map { String($0) }, plan.band?.rawValue,
                          plan.band.map { String($0.mutationRate) }, Wire.encode(plan.culled), Wire.encode(spawned.map(\.id)),
                          Wire.encode(plan.fitness), note])
                return true
            }
        }
    }

    /// Makes the population of generation `number` the active one again, as a new generation of kind
    /// rollback. Genomes are never deleted, so every recorded population can come back.
    public func rollback(to number: Int) async throws -> GenerationRow? {
        let done: Bool = try await db.withSession { s in
            try s.transaction { tx in
                try tx.query("SELECT pg_advisory_xact_lock(hashtext('dellm.genomes'))")
                guard let pop = try tx.query("SELECT population::text FROM generations WHERE number = $1", [String(number)]).first?[0] else {
                    return false
                }
                try tx.query("""
                    UPDATE genomes SET status = CASE WHEN id IN (SELECT jsonb_array_elements_text($1::jsonb)) THEN 'active' ELSE 'retired' END,
                                       retired_at = CASE WHEN id IN (SELECT jsonb_array_elements_text($1::jsonb)) THEN NULL ELSE coalesce(retired_at, now()) END
                    """, [pop])
                try tx.query("""
                    INSERT INTO generations (number, kind, population, verdicts_at_start, note)
                    SELECT (SELECT max(number) + 1 FROM generations), 'rollback', coalesce(jsonb_agg(id ORDER BY id), '[]'),
                           (SELECT count(*) FROM verdicts), $1
                    FROM genomes WHERE status = 'active'
                    """, ["rolled back to generation \(number)"])
                return true
            }
        }
        return done ? try await generations(limit: 1).last : nil
    }
}
