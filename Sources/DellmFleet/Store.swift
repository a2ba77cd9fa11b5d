import DellmCore
import DellmPostgres
import Foundation

/// Every PostgreSQL effect of the fleet, each in one transaction, each idempotent: running it again
/// for the same query, subtask or attempt (a redelivery) changes nothing and returns the same outcome.
public struct Store: Sendable {
    public let db: PostgresConnection
    /// Credits granted to a user the first time they submit (by default).
    public static let startingCredits = Int(Economy.startingCredits)
    /// What a new user name receives, and how many may per hour.
    public var grant: Economy.Grant
    /// Completion tokens a query's model samples may spend in all (`DELLM_QUERY_TOKENS`; 0: the first
    /// votes only), shared among its parts on their first attempts (`SelfConsistency`).
    public var queryTokens: Int

    public init(db: PostgresConnection, grant: Economy.Grant = .init(), queryTokens: Int = 0) {
        self.db = db
        self.grant = grant
        self.queryTokens = queryTokens
    }

    /// The grant statement's parameters for `user`.
    func grantParameters(_ user: String) -> [String?] { [user, String(grant.credits), String(grant.perHour)] }

    public func migrate() async throws -> [Int] { try await db.migrate(Schema.migrations) }

    /// What every worker and `dellm migrate` do first: apply the migrations, then store the seed
    /// species not yet known. Returns the migrations applied.
    @discardableResult
    public func prepare(species: [Genome]) async throws -> [Int] {
        let applied = try await migrate()
        try await seedGenomes(species)
        return applied
    }

    // MARK: ingest

    public enum IngestOutcome: Sendable, Equatable {
        /// Subtasks to enqueue (all not yet settled, on a redelivery), and how many parts of the user's
        /// other queries were still running when this one arrived (for fair share, `Admission`).
        case enqueue([TaskJob], userBacklog: Int)
        /// The query already ended: re-announce it.
        case finished(AnswerEvent)
    }

    /// A user's balance: the folded sum and the entries not folded yet, read in one snapshot.
    static let balanceSQL = """
        SELECT coalesce((SELECT folded_balance FROM users WHERE id = $1), 0)
             + (SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE user_id = $1 AND NOT folded)
        """

    /// Folds a user's ledger entries into their balance once more than 64 wait (under the user's lock,
    /// which every ingest takes): the entries flagged and their sum added in one statement.
    static let foldSQL = """
        WITH waiting AS (SELECT count(*) AS n FROM credit_ledger WHERE user_id = $1 AND NOT folded),
        f AS (UPDATE credit_ledger SET folded = true WHERE user_id = $1 AND NOT folded AND (SELECT n FROM waiting) > 64 RETURNING amount)
        UPDATE users SET folded_balance = folded_balance + (SELECT sum(amount) FROM f) WHERE id = $1 AND EXISTS (SELECT 1 FROM f)
        """

    /// The parts of a user's running queries (the running ones through a partial index).
    static let backlogSQL = "SELECT coalesce(sum(subtask_count), 0) FROM queries WHERE user_id = $1 AND status = 'running'"

    /// A new user and their starting grant (once, and only while fewer than $3 grants were made in the
    /// last hour: see `Economy.Grant`).
    static let grantSQL = """
        WITH u AS (INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING)
        INSERT INTO credit_ledger (user_id, amount, kind, idempotency_key)
        SELECT $1, $2::numeric, 'grant', 'grant:' || $1
        WHERE NOT EXISTS (SELECT 1 FROM credit_ledger WHERE idempotency_key = 'grant:' || $1)
          AND (SELECT count(*) FROM credit_ledger WHERE kind = 'grant' AND created_at > now() - interval '1 hour') < $3::int
        ON CONFLICT (idempotency_key) DO NOTHING
        """

    /// Records a query, charges its user once, and creates its subtasks. `genomes[i]` are the genomes
    /// routing chose for part i: one normally, three for a critical query (each its own attempt).
    public func ingest(_ q: QueryJob, parts: [Splitter.Part], genomes: [[String]] = []) async throws -> IngestOutcome {
        let user = q.user?.isEmpty == false ? q.user! : "anonymous"
        let critical = q.critical == true
        let perPart = critical ? Store.criticalAnswers : 1
        let budget = SelfConsistency.share(of: queryTokens, parts: parts.count)
        // A part waiting for an earlier part's result is enqueued when that part settles (`releaseWaiting`).
        let tasks = parts.enumerated().filter { $0.element.waitsFor == nil }.flatMap { i, p in
            let routed = i < genomes.count ? genomes[i] : []
            return (0..<perPart).map { n in
                TaskJob(queryID: q.id, subtaskID: "\(q.id).\(p.index)", index: p.index, type: p.type, text: p.text,
                        attempt: n + 1, genome: n < routed.count ? routed[n] : nil, avoid: n > 0 && n >= routed.count ? routed : nil,
                        budget: budget)
            }
        }
        let firstGenome = parts.indices.map { i in i < genomes.count ? genomes[i].first ?? "" : "" }
        let costs = [true, false].map { Economy.price(parts.map(\.type), runsNodes: $0) * Double(perPart) }
        // The query's rows, for both inserts below: $1 id, $2–$7 the parts, $8 attempts issued, $9 mode,
        // $10 user, $11 text, $12 parts, $13 critical; then the price: the first insert picks $14 (a member's)
        // or $15 (anyone else's), the second is given the one that applies as $14.
        let rows: [String?] = [q.id, PostgresArray.literal(parts.map { "\(q.id).\($0.index)" }), PostgresArray.literal(parts.map { String($0.index) }),
                               PostgresArray.literal(parts.map(\.type.rawValue)), PostgresArray.literal(parts.map(\.text)),
                               PostgresArray.literal(parts.map(\.rule)), PostgresArray.literal(firstGenome),
                               String(perPart), critical ? "critical" : "normal",
                               user, q.query, String(parts.count), critical ? "t" : "f", String(costs[0]), String(costs[1]),
                               PostgresArray.literal(parts.map { $0.waitsFor.map(String.init) ?? "" })]
        return try await db.withSession { s in
            // The common case in one round trip: a new query its user can pay for. BEGIN, the grant, the
            // user's lock, the query with its charge and parts (only when it is new and the balance, read
            // under the lock, covers the price), and COMMIT travel together. Anything else (a redelivery,
            // too few credits) inserts nothing there and is decided below, step by step.
            let (inserted, backlog) = try s.transaction { tx in
                tx.send(Store.grantSQL, grantParameters(user))
                let r = try tx.queries([
                    ("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [user]),
                    (Store.backlogSQL, [user]),
                    ("""
                     WITH paid AS (
                         SELECT c.cost FROM users u, LATERAL (SELECT CASE WHEN u.runs_nodes THEN $14::numeric ELSE $15::numeric END AS cost) c
                         WHERE u.id = $10 AND NOT EXISTS (SELECT 1 FROM queries WHERE id = $1)
                           AND u.folded_balance + (SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE user_id = $10 AND NOT folded) >= c.cost),
                     query AS (
                         INSERT INTO queries (id, user_id, text, subtask_count, critical) SELECT $1, $10, $11, $12, $13 FROM paid),
                     charge AS (
                         INSERT INTO credit_ledger (user_id, amount, kind, query_id, idempotency_key)
                         SELECT $10, -cost, 'charge', $1, 'charge:' || $1 FROM paid)
                     INSERT INTO subtasks (id, query_id, idx, type, text, route_rule, genome, attempts, mode, status, waits_for)
                     SELECT s.id, $1, s.idx, s.type, s.text, s.rule, nullif(s.genome, ''), $8, $9,
                            CASE WHEN s.waits = '' THEN 'queued' ELSE 'waiting' END, nullif(s.waits, '')::int
                     FROM paid, unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $16::text[])
                          AS s(id, idx, type, text, rule, genome, waits)
                     RETURNING 1
                     """, rows),
                    (Store.foldSQL, [user]),
                    ("COMMIT", []),
                ])
                return (r[2].rows.count > 0, Int(r[1].first?[0] ?? "0") ?? 0)
            }
            if inserted { return .enqueue(tasks, userBacklog: backlog) }
            return try s.transaction { tx in
                // One round trip (with BEGIN): a new user and their starting grant; the user's row
                // locked, so charges happen one at a time per user (no double spend under concurrency);
                // whether the query exists already; the balance, read under the lock.
                tx.send(Store.grantSQL, grantParameters(user))
                let read = try tx.queries([
                    ("SELECT runs_nodes FROM users WHERE id = $1 FOR UPDATE", [user]),
                    ("SELECT status, answer, error, text, user_id FROM queries WHERE id = $1", [q.id]),
                    (Store.balanceSQL, [user]),
                ])
                let runsNodes = read[0].first?[0] == "t"
                if let row = read[1].first {
                    // The same id with another text or user is not a redelivery: it touches nothing of the query.
                    if row[3] != q.query || row[4] != user { throw IDTaken(id: q.id) }
                    if row[0] != "running" {
                        return .finished(AnswerEvent(queryID: q.id, status: row[0] ?? "failed", answer: row[1], error: row[2]))
                    }
                    // A redelivery: every issued attempt of an open subtask without a verdict goes out again
                    // (a specialist that finds it recorded passes it straight to the verifier).
                    let open = try tx.query("""
                        SELECT s.id, s.idx, s.type, s.text, n.attempt, CASE WHEN n.attempt = 1 THEN s.genome END
                        FROM subtasks s CROSS JOIN LATERAL generate_series(1, greatest(s.attempts, 1)) AS n(attempt)
                        WHERE s.query_id = $1 AND s.status = 'queued'
                          AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.subtask_id = s.id AND v.attempt = n.attempt)
                        ORDER BY s.idx, n.attempt
                        """, [q.id])
                    return .enqueue(open.rows.map {
                        TaskJob(queryID: q.id, subtaskID: $0[0]!, index: Int($0[1]!)!, type: TaskType(rawValue: $0[2]!) ?? .factual,
                                text: $0[3]!, attempt: Int($0[4]!)!, genome: $0[5], budget: budget)
                    }, userBacklog: 0)
                }
                let balance = Double(read[2].first?[0] ?? "0") ?? 0
                let cost = Economy.price(parts.map(\.type), runsNodes: runsNodes) * Double(perPart)
                if balance < cost {
                    var error = String(format: "insufficient credits: user %@ has %.2f, this query costs %.2f", user, balance, cost)
                    if try tx.query("SELECT 1 FROM credit_ledger WHERE idempotency_key = 'grant:' || $1", [user]).rows.isEmpty {
                        error += "; no starting grant: at most \(grant.perHour) new users receive one per hour"
                    }
                    error += "; an operator adds credits with: dellm ops credits \(user) --top-up N"
                    tx.send("""
                        INSERT INTO queries (id, user_id, text, status, error, finished_at) VALUES ($1, $2, $3, 'failed', $4, now())
                        """, [q.id, user, q.query, error])
                    return .finished(AnswerEvent(queryID: q.id, status: "failed", answer: nil, error: error))
                }
                // The query, its charge and every part in one statement, not one per row, sent with COMMIT.
                // Balances never go negative: the check above and this charge happen under the user's row lock.
                tx.send("""
                    WITH query AS (
                        INSERT INTO queries (id, user_id, text, subtask_count, critical) VALUES ($1, $10, $11, $12, $13)),
                    charge AS (
                        INSERT INTO credit_ledger (user_id, amount, kind, query_id, idempotency_key)
                        VALUES ($10, -$14::numeric, 'charge', $1, 'charge:' || $1))
                    INSERT INTO subtasks (id, query_id, idx, type, text, route_rule, genome, attempts, mode, status, waits_for)
                    SELECT s.id, $1, s.idx, s.type, s.text, s.rule, nullif(s.genome, ''), $8, $9,
                           CASE WHEN s.waits = '' THEN 'queued' ELSE 'waiting' END, nullif(s.waits, '')::int
                    FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $15::text[])
                         AS s(id, idx, type, text, rule, genome, waits)
                    """, Array(rows[0..<13]) + [String(cost), rows[15]])
                return .enqueue(tasks, userBacklog: backlog)
            }
        }
    }

    /// A query entry whose id names an existing query of another text or user.
    public struct IDTaken: Error, CustomStringConvertible {
        public var id: String
        public var description: String { "the query id \(id) is already used by a different query" }
    }

    /// Ends a query as failed with `reason` (bad input, poison entry), on behalf of its own query entry:
    /// a new id is recorded failed; an existing query is failed only when it is this entry's (the same
    /// text and user) and still running. Idempotent. Returns the event to announce, or nil when the id
    /// belongs to another query (nothing of it is touched).
    public func failQuery(id: String, user: String?, text: String, reason: String) async throws -> AnswerEvent? {
        let user = user?.isEmpty == false ? user! : "anonymous"
        return try await db.withSession { s in
            try s.transaction { tx in
                try tx.query("INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING", [user])
                try tx.query("""
                    INSERT INTO queries (id, user_id, text, status, error, finished_at) VALUES ($1, $2, $3, 'failed', $4, now())
                    ON CONFLICT (id) DO UPDATE SET status = 'failed', error = EXCLUDED.error, finished_at = now()
                    WHERE queries.status = 'running' AND queries.text = EXCLUDED.text AND queries.user_id = EXCLUDED.user_id
                    """, [id, user, String(text.prefix(Wire.maxQueryBytes)), reason])
                guard let row = try tx.query("SELECT status, answer, error FROM queries WHERE id = $1 AND user_id = $2 AND text = $3",
                                             [id, user, String(text.prefix(Wire.maxQueryBytes))]).first else { return nil }
                return AnswerEvent(queryID: id, status: row[0] ?? "failed", answer: row[1], error: row[2])
            }
        }
    }

    /// Ends a running query as failed on behalf of a task entry, only if it is a task the coordinator
    /// issued: its subtask belongs to the query and is still open, with the same type and text, and the
    /// attempt was asked for. A forged entry naming someone's query changes nothing (nil).
    public func failQuery(issued t: TaskJob, reason: String) async throws -> AnswerEvent? {
        try await failRunning(t.queryID, reason: reason, if: """
            EXISTS (SELECT 1 FROM subtasks s WHERE s.id = $3 AND s.query_id = $1 AND s.status = 'queued'
                    AND $4::int <= s.attempts AND s.type = $5 AND s.text = $6)
            """, [t.subtaskID, String(t.attempt), t.type.rawValue, t.text])
    }

    /// Ends a running query as failed on behalf of a verify entry, only if the attempt it names was
    /// recorded (by a specialist, for a task the coordinator issued) and its subtask is still open.
    public func failQuery(recorded j: VerifyJob, reason: String) async throws -> AnswerEvent? {
        try await failRunning(j.queryID, reason: reason, if: """
            EXISTS (SELECT 1 FROM subtasks s JOIN attempts a ON a.subtask_id = s.id AND a.attempt = $4::int
                    WHERE s.id = $3 AND s.query_id = $1 AND s.status = 'queued')
            """, [j.subtaskID, String(j.attempt)])
    }

    /// `UPDATE … SET failed` of a running query when `condition` holds ($1 the query, $2 the reason,
    /// then `parameters`).
    private func failRunning(_ id: String, reason: String, if condition: String, _ parameters: [String?]) async throws -> AnswerEvent? {
        let r = try await db.query("""
            UPDATE queries q SET status = 'failed', error = $2, finished_at = now()
            WHERE q.id = $1 AND q.status = 'running' AND \(condition)
            RETURNING q.status, q.answer, q.error
            """, [id, reason] + parameters)
        guard let row = r.first else { return nil }
        return AnswerEvent(queryID: id, status: row[0] ?? "failed", answer: row[1], error: row[2])
    }

    /// Ends a running query as failed on behalf of its synthesize entry, only once every part is
    /// settled (when a synthesize entry is due at all).
    public func failSettledQuery(id: String, reason: String) async throws -> AnswerEvent? {
        try await failRunning(id, reason: reason, if: "NOT EXISTS (SELECT 1 FROM subtasks s WHERE s.query_id = $1 AND s.status IN ('queued', 'waiting'))", [])
    }

    // MARK: specialist

    public struct AttemptRecord: Sendable, Codable, Equatable {
        public var answer: String?
        public var votes: [Vote]
        public var confidence: Double
        public var tool: String?
        public var error: String?
        public var latencyMilliseconds: Int
    }

    public struct Vote: Sendable, Codable, Equatable {
        public var source: String
        public var answer: String
        public var milliseconds: Int
        /// The completion tokens the model spent on it (nil: a tool's, or a server that does not say).
        public var tokens: Int?

        public init(source: String, answer: String, milliseconds: Int, tokens: Int? = nil) {
            self.source = source
            self.answer = answer
            self.milliseconds = milliseconds
            self.tokens = tokens
        }

        /// As JSONEncoder writes it, without its cost (every attempt writes its votes).
        var json: JSONValue {
            var m: [(String, JSONValue)] = [("source", .string(source)), ("answer", .string(answer)), ("milliseconds", .int(milliseconds))]
            if let tokens { m.append(("tokens", .int(tokens))) }
            return .members(m)
        }
    }

    public enum AttemptState: Sendable, Equatable {
        /// To be answered.
        case open
        /// Recorded already (a redelivery): hand it to the verifier again, no second model call.
        case recorded
        /// Not recorded, but the subtask is settled (a critical part decided by the first two): skip it.
        case unneeded
        /// No such subtask or attempt, or not as issued (an entry not made by the coordinator).
        case unknown
    }

    /// Whether a task is one the coordinator issued, read before any model call: its subtask exists
    /// under its query with the same type and text, and its attempt was asked for. Anything else is
    /// `.unknown` (a forged or stale entry: no model call, no effect).
    public func attemptState(_ job: TaskJob) async throws -> AttemptState {
        let r = try await db.query("""
            SELECT EXISTS (SELECT 1 FROM attempts WHERE subtask_id = $1 AND attempt = $2), s.status, s.attempts, s.type, s.text
            FROM subtasks s WHERE s.id = $1 AND s.query_id = $3
            """, [job.subtaskID, String(job.attempt), job.queryID])
        guard let row = r.first, let issued = row[2].flatMap({ Int($0) }), job.attempt <= issued,
              row[3] == job.type.rawValue, row[4] == job.text else { return .unknown }
        if row[0] == "t" { return .recorded }
        return row[1] == "queued" ? .open : .unneeded
    }

    /// `register`: also bring the node's owner and species up to date (a node's first attempt after it
    /// starts); otherwise the owner and the node are only inserted when missing, which writes and locks
    /// nothing (an update of the node's row on every attempt queued attempts behind each other and the
    /// verifier's trust update).
    public func recordAttempt(_ job: TaskJob, node: String, owner: String = "operator", species: String = "default",
                              genome: String? = nil, record: AttemptRecord, register: Bool = true) async throws {
        let votes = JSONValue.array(record.votes.map(\.json)).serialized
        // One statement (atomic on its own): the owner and the node registered, the attempt recorded once,
        // the subtask's attempt count raised — one round trip instead of a transaction of four.
        let registration = register ? """
            WITH owner AS (
                INSERT INTO users (id, runs_nodes) VALUES ($12, true)
                ON CONFLICT (id) DO UPDATE SET runs_nodes = true WHERE NOT users.runs_nodes RETURNING 1),
            node AS (
                INSERT INTO nodes (id, role, owner_user, species) VALUES ($3, 'specialist', $12, $13)
                ON CONFLICT (id) DO UPDATE SET last_seen = now(), owner_user = EXCLUDED.owner_user, species = EXCLUDED.species
                RETURNING 1),
            """ : """
            WITH owner AS (INSERT INTO users (id, runs_nodes) VALUES ($12, true) ON CONFLICT (id) DO NOTHING RETURNING 1),
            node AS (INSERT INTO nodes (id, role, owner_user, species) VALUES ($3, 'specialist', $12, $13) ON CONFLICT (id) DO NOTHING RETURNING 1),
            """
        try await db.query(registration + """
            attempt AS (
                INSERT INTO attempts (subtask_id, attempt, node_id, answer, votes, confidence, tool, error, latency_ms, genome, model_calls)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11) ON CONFLICT (subtask_id, attempt) DO NOTHING RETURNING 1)
            UPDATE subtasks SET attempts = greatest(attempts, $2), updated_at = now() WHERE id = $1
            """, [job.subtaskID, String(job.attempt), node, record.answer, votes, String(record.confidence),
                  record.tool, record.error, String(record.latencyMilliseconds), genome,
                  String(Store.isExactTool(record.tool) ? 0 : record.votes.count), owner, species])
    }

    // MARK: verifier

    public struct AttemptToVerify: Sendable {
        public var type: TaskType
        public var text: String
        public var index: Int
        public var answer: String?
        public var error: String?
        public var node: String
        public var tool: String?
        public var latencyMilliseconds: Int?
        public var existingVerdict: Verdict?
        public var genome: String?
        /// How sure the node was: 0.9 when its two votes agreed, 0.75 when a tiebreak vote sided with
        /// one, lower when they could not agree.
        public var confidence: Double? = nil
    }

    public struct Verdict: Sendable, Equatable {
        public var passed: Bool
        public var reason: String
        /// Whether the check settles correctness (a recomputation, tests run) rather than form alone.
        /// Passes that are not decisive are the ones spot verification may re-check.
        public var decisive: Bool
        public init(passed: Bool, reason: String, decisive: Bool = true) {
            self.passed = passed
            self.reason = reason
            self.decisive = decisive
        }
        /// Passed, but no check proves it: not counted for trust, credits or accuracy.
        public var unproven: Bool { passed && !decisive }
    }

    /// An attempt with what the verifier needs of its subtask, and its verdict if it has one.
    static let attemptSQL = """
        SELECT s.type, s.text, s.idx, a.answer, a.error, a.node_id, a.tool, v.passed, v.reason, a.latency_ms, a.genome, a.confidence
        FROM subtasks s JOIN attempts a ON a.subtask_id = s.id AND a.attempt = $2
        LEFT JOIN verdicts v ON v.subtask_id = s.id AND v.attempt = $2
        WHERE s.id = $1
        """

    static func attempt(from rows: PostgresRows) -> AttemptToVerify? {
        guard let row = rows.first else { return nil }
        let verdict = row[7].map { Verdict(passed: $0 == "t", reason: row[8] ?? "") }
        return AttemptToVerify(type: TaskType(rawValue: row[0]!) ?? .factual, text: row[1]!, index: Int(row[2]!)!,
                               answer: row[3], error: row[4], node: row[5]!, tool: row[6],
                               latencyMilliseconds: row[9].flatMap { Int($0) }, existingVerdict: verdict, genome: row[10],
                               confidence: row[11].flatMap { Double($0) })
    }

    public enum VerifyOutcome: Sendable, Equatable {
        /// More answers are needed: these attempts go to the specialists.
        case ask([TaskJob])
        case synthesize
        case nothing
    }

    /// Answers a critical subtask asks for (a majority of them decides).
    public static let criticalAnswers = 3

    /// Whether an answer no check can prove came from votes that did not agree (and no tiebreak vote
    /// sided with either): such an answer always gets a second genome's opinion, whatever the spot rate.
    /// Creative answers are exempt: their votes are meant to differ.
    public static func unsure(_ a: AttemptToVerify) -> Bool {
        guard a.type != .creative, a.type != .code, !Store.isExactTool(a.tool), let c = a.confidence else { return false }
        return c < tiebreakConfidence
    }

    /// The answers of an attempt's votes, from their JSON column.
    static func voteAnswers(_ json: String?) -> [String] {
        guard let json, let votes = try? JSONDecoder().decode([Vote].self, from: Data(json.utf8)) else { return [] }
        return votes.map(\.answer)
    }

    /// A specialist's confidence when a tiebreak vote sided with one of two disagreeing votes: below
    /// it, the votes never agreed.
    public static let tiebreakConfidence = 0.75

    /// Whether a passed, non-decisive attempt is re-checked by a second genome: a fixed draw per
    /// subtask and attempt, so a redelivery draws the same.
    public static func spotDrawn(subtaskID: String, attempt: Int, rate: Double) -> Bool {
        guard rate > 0 else { return false }
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(subtaskID)#\(attempt)".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Double(h % 1_000_000) / 1_000_000 < rate
    }

    /// Records the verdict once, moves the node's trust once, and decides the subtask:
    /// - normal: the first passed attempt settles it (a share of non-decisive passes is spot-checked
    ///   first); a failed one asks for the next attempt, up to `maxAttempts`;
    /// - spot: a second genome's answer must agree; if it disagrees a third decides by majority;
    /// - critical: three genomes answer and the majority (two that agree) settles it.
    /// Says whether the query is now complete. Running it again for the same attempt (a redelivery)
    /// re-sends the attempts it asked for and changes nothing else.
    public func settle(_ job: VerifyJob, attempt a: AttemptToVerify, verdict: Verdict, verifier: String,
                       maxAttempts: Int, spotRate: Double = 0) async throws -> VerifyOutcome {
        try await db.withSession { s in
            try s.transaction { tx in
                // Serialise the settling of one query's subtasks, so exactly one verifier sees it complete.
                // The lock and the verdict travel together (with BEGIN): one round trip.
                let first = try tx.queries([
                    (Self.lockQuerySQL, [job.queryID]),
                    (Self.verdictSQL, Self.verdictParameters(job, a, verdict, verifier: verifier)),
                ])
                guard let q = first[0].first else { return .nothing }
                return try self.settleLocked(tx, job, a, verdict, queryStatus: q[0], inserted: first[1].rows.count == 1,
                                             maxAttempts: maxAttempts, spotRate: spotRate)
            }
        }
    }

    /// What `settle(_:judge:…)` did.
    public enum Settled: Sendable {
        /// The verdict (nil when the query is gone) and what follows from it.
        case settled(VerifyOutcome, verdict: Verdict?)
        /// The judge cannot decide without time (code runs in the sandbox): check it, then `settle(_:attempt:…)`.
        case needsCheck(AttemptToVerify)
        /// No such attempt is recorded.
        case noAttempt
    }

    /// `settle` for checks that take no time: the attempt is read in the transaction's first round trip,
    /// under the query's lock, judged there, and its verdict travels with the next (three round trips
    /// in all, not four). Every verdict is inserted under its query's lock, so whether this one is new is
    /// known from the read.
    public func settle(_ job: VerifyJob, judge: @escaping @Sendable (AttemptToVerify) -> Verdict?, verifier: String,
                       maxAttempts: Int, spotRate: Double = 0) async throws -> Settled {
        try await db.withSession { s in
            try s.transaction { tx in
                let first = try tx.queries([
                    (Self.lockQuerySQL, [job.queryID]),
                    (Self.attemptSQL, [job.subtaskID, String(job.attempt)]),
                ])
                guard let a = Self.attempt(from: first[1]) else { return .noAttempt }
                guard let q = first[0].first else { return .settled(.nothing, verdict: nil) }
                let verdict: Verdict
                if let existing = a.existingVerdict {
                    verdict = existing
                } else if let v = judge(a) {
                    verdict = v
                    tx.send(Self.verdictSQL, Self.verdictParameters(job, a, v, verifier: verifier))
                } else {
                    return .needsCheck(a)
                }
                let outcome = try self.settleLocked(tx, job, a, verdict, queryStatus: q[0], inserted: a.existingVerdict == nil,
                                                    maxAttempts: maxAttempts, spotRate: spotRate)
                return .settled(outcome, verdict: verdict)
            }
        }
    }

    static let lockQuerySQL = "SELECT status FROM queries WHERE id = $1 FOR UPDATE"
    static let verdictSQL = """
        INSERT INTO verdicts (subtask_id, attempt, node_id, passed, reason, verifier, proven)
        SELECT $1::text, $2::int, $3::text, $4::boolean, $5::text, $6::text, $8::boolean WHERE EXISTS (SELECT 1 FROM queries WHERE id = $7)
        ON CONFLICT (subtask_id, attempt) DO NOTHING RETURNING 1
        """

    static func verdictParameters(_ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, verifier: String) -> [String?] {
        [job.subtaskID, String(job.attempt), a.node, verdict.passed ? "t" : "f", verdict.reason, verifier, job.queryID, verdict.unproven ? "f" : "t"]
    }

    /// The rest of `settle`, with the query locked and the verdict recorded (`inserted`: by this call).
    private func settleLocked(_ tx: PostgresSession, _ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, queryStatus: String?,
                              inserted: Bool, maxAttempts: Int, spotRate: Double) throws -> VerifyOutcome {
        // A new verdict moves the node's trust (the node locked first, in the order specialists lock
        // them); then the subtask is locked and its attempts read under the lock, and whether the query
        // has parts that wait for another's result (they change only under the query's lock, held here).
        // One round trip.
        var batch: [(String, [String?])] = [
            ("SELECT status, attempts, mode FROM subtasks WHERE id = $1 FOR UPDATE", [job.subtaskID]),
            ("""
             SELECT a.attempt, a.answer, a.genome, v.passed, a.votes::text FROM attempts a
             LEFT JOIN verdicts v ON v.subtask_id = a.subtask_id AND v.attempt = a.attempt
             WHERE a.subtask_id = $1 ORDER BY a.attempt
             """, [job.subtaskID]),
            ("""
             SELECT count(*) FILTER (WHERE status = 'waiting'), count(*) FILTER (WHERE status = 'queued' AND waits_for IS NOT NULL)
             FROM subtasks WHERE query_id = $1
             """, [job.queryID]),
        ]
        // An unproven pass moves no trust and earns nothing: only checked verdicts count.
        let moves = inserted && !verdict.unproven
        if moves { batch.insert(Store.trustUpdate(a, verdict), at: 0) }
        var read = try tx.queries(batch)
        if inserted {
            // The matrix and the ledger entries travel with the next round trip.
            countVerdict(tx, job, a, verdict, node: moves ? read.removeFirst().first : nil)
        }
        let sub = read[0].first!
        if sub[0] == "queued" {
            let decision = try decide(tx, job: job, a: a, verdict: verdict, inserted: inserted, attempts: read[1].rows,
                                      issued: Int(sub[1] ?? "1") ?? 1, mode: sub[2] ?? "normal",
                                      maxAttempts: maxAttempts, spotRate: spotRate)
            if !decision.isEmpty { return .ask(decision) }
        }
        guard queryStatus == "running" else { return .nothing }
        // Only a query with dependent parts pays the round trips of releasing them.
        let dependents = read[2].first
        if dependents?[0] != "0" || (!inserted && dependents?[1] != "0") {
            let released = try releaseWaiting(tx, queryID: job.queryID, redelivered: !inserted)
            if !released.isEmpty { return .ask(released) }
        }
        // Whether any part is still open, read after the updates above, in the round trip that commits.
        let open = try tx.queries([
            ("SELECT count(*) FROM subtasks WHERE query_id = $1 AND status IN ('queued', 'waiting')", [job.queryID]), ("COMMIT", []),
        ])[0]
        return open.first?[0] == "0" ? .synthesize : .nothing
    }

    /// Parts waiting for an earlier part whose result is now settled: enqueued with the value put in
    /// (their first attempts are returned, to be sent), or failed with the reason when that part has no
    /// answer — repeated, so a failure runs down a chain. On a redelivered verify entry, parts released
    /// before but not yet answered are sent again (the first sending may have been lost).
    private func releaseWaiting(_ tx: PostgresSession, queryID: String, redelivered: Bool) throws -> [TaskJob] {
        var released: [TaskJob] = []
        var budget: Int??
        func jobs(_ id: String?, _ idx: String?, _ type: String?, _ text: String, attempts: String?) -> [TaskJob] {
            guard let id, let index = idx.flatMap({ Int($0) }) else { return [] }
            // Every attempt the part was issued (three for a critical query).
            return (1...max(1, attempts.flatMap { Int($0) } ?? 1)).map {
                TaskJob(queryID: queryID, subtaskID: id, index: index, type: TaskType(rawValue: type ?? "") ?? .factual, text: text, attempt: $0,
                        budget: budget ?? nil)
            }
        }
        for _ in 0..<Wire.maxParts {
            let ready = try tx.query("""
                SELECT w.id, w.idx, w.type, w.text, w.waits_for, i.status, i.answer, i.error, i.type, w.attempts,
                       (SELECT subtask_count FROM queries q WHERE q.id = w.query_id)
                FROM subtasks w JOIN subtasks i ON i.query_id = w.query_id AND i.idx = w.waits_for
                WHERE w.query_id = $1 AND w.status = 'waiting' AND i.status IN ('verified', 'failed')
                ORDER BY w.idx FOR UPDATE OF w
                """, [queryID])
            if ready.rows.isEmpty { break }
            if budget == nil { budget = SelfConsistency.share(of: queryTokens, parts: ready.rows[0][10].flatMap { Int($0) } ?? 1) }
            for r in ready.rows {
                let input = r[4].flatMap { Int($0) } ?? 0
                if r[5] == "verified", let answer = r[6], let value = Planner.inputValue(answer, type: TaskType(rawValue: r[8] ?? "") ?? .factual,
                                                                                            for: TaskType(rawValue: r[2] ?? "") ?? .factual) {
                    let text = Planner.withInput(value, from: input, text: r[3] ?? "", type: TaskType(rawValue: r[2] ?? "") ?? .factual)
                    tx.send("UPDATE subtasks SET status = 'queued', text = $2, updated_at = now() WHERE id = $1", [r[0], text])
                    released += jobs(r[0], r[1], r[2], text, attempts: r[9])
                } else {
                    tx.send("UPDATE subtasks SET status = 'failed', error = $2, updated_at = now() WHERE id = $1",
                            [r[0], "part \(input + 1), whose result this part uses, has no answer: \(r[7] ?? "it failed")"])
                }
            }
        }
        if redelivered {
            let unanswered = try tx.query("""
                SELECT s.id, s.idx, s.type, s.text, s.attempts FROM subtasks s
                WHERE s.query_id = $1 AND s.status = 'queued' AND s.waits_for IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.subtask_id = s.id)
                """, [queryID])
            released += unanswered.rows.flatMap { jobs($0[0], $0[1], $0[2], $0[3] ?? "", attempts: $0[4]) }
        }
        return released
    }

    /// Tools that answer exactly and need no model (the calculator, `ExactTools`): their answers say
    /// nothing about a genome and earn nothing (the verifier recomputes them).
    public static let exactTools: Set<String> = ["calculator", "sequence", "weekday", "ordering", "syllogism"]
    static func isExactTool(_ tool: String?) -> Bool { tool.map(exactTools.contains) ?? false }
    /// The same as SQL literals (constants of this file, never input).
    static let exactToolsSQL = exactTools.sorted().map { "'\($0)'" }.joined(separator: ", ")

    /// The statement that moves a node's trust (only verdicts move it), once per attempt; it returns the
    /// node's species, owner and accuracy, which `countVerdict` needs.
    ///
    /// trust = 0.6 × the share passed of its last 100 verdicts + 0.3 × its accuracy + 0.1 × its uptime.
    /// The last 100 are the node's `recent_verdicts` window (the verdict appended under the node's row
    /// lock), and uptime is what its heartbeats last recorded: a verdict reads no other rows.
    static func trustUpdate(_ a: AttemptToVerify, _ verdict: Verdict) -> (String, [String?]) {
        ("""
         UPDATE nodes SET verified = verified + 1, correct = correct + $2, recent_verdicts = right(recent_verdicts || $3, 100),
           trust = 0.6 * length(replace(right(recent_verdicts || $3, 100), '0', ''))::float8 / length(right(recent_verdicts || $3, 100))
                 + 0.3 * ((correct + $2)::float8 / (verified + 1))
                 + 0.1 * uptime
         WHERE id = $1
         RETURNING species, owner_user, correct::float8 / greatest(verified, 1)
         """, [a.node, verdict.passed ? "1" : "0", verdict.passed ? "1" : "0"])
    }

    /// The performance matrix and the node owner's earning, once per attempt, queued for the
    /// transaction's next round trip. `node` is what `trustUpdate` returned.
    private func countVerdict(_ tx: PostgresSession, _ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, node: [String?]?) {
        let latency = a.latencyMilliseconds ?? 0
        // The matrix rates what the genome did: answers computed by the calculator say nothing about it.
        if !Store.isExactTool(a.tool), verdict.unproven {
            tx.send("""
                INSERT INTO perf_matrix (task_type, species, unproven) VALUES ($1, $2, 1)
                ON CONFLICT (task_type, species) DO UPDATE SET unproven = perf_matrix.unproven + 1, updated_at = now()
                """, [a.type.rawValue, a.genome ?? "default"])
        } else if !Store.isExactTool(a.tool) {
            tx.send("""
                INSERT INTO perf_matrix (task_type, species, attempts, correct, total_ms) VALUES ($1, $2, 1, $3, $4)
                ON CONFLICT (task_type, species) DO UPDATE SET attempts = perf_matrix.attempts + 1,
                  correct = perf_matrix.correct + EXCLUDED.correct, total_ms = perf_matrix.total_ms + EXCLUDED.total_ms,
                  updated_at = now()
                """, [a.type.rawValue, a.genome ?? node?[0] ?? "default", verdict.passed ? "1" : "0", String(latency)])
        }
        let accuracy = Double(node?[2] ?? "0") ?? 0
        let earned = Economy.earning(complexity: Economy.complexity(a.type), correct: verdict.passed,
                                     seconds: Double(latency) / 1000, accuracy: accuracy)
        // Calculator answers earn nothing: the verifier recomputes them, the work is free.
        if earned > 0, !Store.isExactTool(a.tool), let owner = node?[1] ?? nil {
            tx.send(Store.earnSQL, [owner, String(earned), job.queryID, job.subtaskID, String(job.attempt), String(Economy.complexity(a.type))])
        }
    }

    /// A node's earning, capped so that what nodes earn on a part never exceeds the part's share of
    /// what its user was charged (`Economy.cappedEarning`, here in SQL under the query's lock, which
    /// every settling holds): $2 the earning as computed, $6 the part's complexity.
    static let earnSQL = """
        INSERT INTO credit_ledger (user_id, amount, kind, query_id, subtask_id, attempt, idempotency_key)
        SELECT $1, least($2::numeric, p.share - p.earned), 'earn', $3, $4, $5::int, 'earn:' || $4 || ':' || $5::text
        FROM (SELECT round(-c.amount * $6::numeric
                           / nullif((SELECT sum(\(Economy.complexitySQL("s.type"))) FROM subtasks s WHERE s.query_id = $3), 0), 4) AS share,
                     (SELECT coalesce(sum(e.amount), 0) FROM credit_ledger e
                      WHERE e.query_id = $3 AND e.subtask_id = $4 AND e.kind = 'earn') AS earned
              FROM credit_ledger c WHERE c.idempotency_key = 'charge:' || $3) p
        WHERE least($2::numeric, p.share - p.earned) > 0
        ON CONFLICT (idempotency_key) DO NOTHING
        """

    /// The subtask's next step under its mode; returns the attempts to ask for (empty: settled, or waiting).
    /// `rows` are the subtask's attempts with their verdicts (attempt, answer, genome, passed, votes), read
    /// under the subtask's lock. What it decides is sent with the transaction's next round trip.
    private func decide(_ tx: PostgresSession, job: VerifyJob, a: AttemptToVerify, verdict: Verdict, inserted: Bool,
                        attempts rows: [[String?]], issued: Int, mode: String, maxAttempts: Int, spotRate: Double) throws -> [TaskJob] {
        let recorded = Set(rows.compactMap { Int($0[0]!) })
        let judged = rows.filter { $0[3] != nil }
        let passed = judged.filter { $0[3] == "t" }.map { (attempt: Int($0[0]!)!, answer: $0[1] ?? "", votes: $0[4]) }
        let pending = issued - judged.count
        let used = Array(Set(rows.compactMap { $0[2] })).sorted()
        func task(_ n: Int, avoid: [String]?) -> TaskJob {
            TaskJob(queryID: job.queryID, subtaskID: job.subtaskID, index: a.index, type: a.type, text: a.text, attempt: n, avoid: avoid)
        }
        // Attempts asked for but not yet answered: re-sent on a redelivery, in case the first sending was lost.
        let unanswered = inserted ? [] : (1...max(issued, 1)).filter { !recorded.contains($0) }.map { task($0, avoid: used) }
        func ask(_ n: Int, mode newMode: String? = nil) throws -> [TaskJob] {
            tx.send("UPDATE subtasks SET attempts = $2, mode = coalesce($3, mode), updated_at = now() WHERE id = $1",
                         [job.subtaskID, String(issued + n), newMode])
            return (issued + 1...issued + n).map { task($0, avoid: used) }
        }
        func settleVerified(_ attempt: Int, _ answer: String, note: String?) throws {
            tx.send("""
                UPDATE subtasks SET status = 'verified', answer = $2, error = $3, updated_at = now(),
                  proven = (SELECT v.proven FROM verdicts v WHERE v.subtask_id = $1 AND v.attempt = $4::int)
                WHERE id = $1
                """, [job.subtaskID, answer, note, String(attempt)])
        }
        func settleFailed(_ reason: String) throws {
            // Out of attempts: keep the best answer we have, marked failed with the reason.
            tx.send("""
                UPDATE subtasks SET status = 'failed', error = $2, updated_at = now(),
                  answer = (SELECT a.answer FROM attempts a WHERE a.subtask_id = $1 AND a.answer IS NOT NULL
                            ORDER BY a.confidence DESC NULLS LAST, a.attempt LIMIT 1)
                WHERE id = $1
                """, [job.subtaskID, reason])
        }
        let answers = passed.map(\.answer)
        // Marks the passed answers that disagree with the majority as outvoted (once), and takes them
        // out of their genome's correct count in the matrix: routing and fitness learn from it.
        func outvote(against winner: String) throws {
            let losers = passed.filter { !Answers.agree(a.type, $0.answer, winner, question: a.text) }.map { String($0.attempt) }
            guard !losers.isEmpty else { return }
            let marked = try tx.query("""
                UPDATE attempts SET outvoted = true
                WHERE subtask_id = $1 AND attempt = ANY($2::int[]) AND NOT outvoted AND coalesce(tool, '') NOT IN (\(Store.exactToolsSQL))
                RETURNING genome, (SELECT v.proven FROM verdicts v WHERE v.subtask_id = attempts.subtask_id AND v.attempt = attempts.attempt)
                """, [job.subtaskID, PostgresArray.literal(losers)])
            for row in marked.rows {
                guard let genome = row[0] else { continue }
                // A checked pass outvoted is taken back from correct; an unproven one becomes a checked
                // failure (the vote is its check).
                tx.send(row[1] == "f" ? """
                    UPDATE perf_matrix SET attempts = attempts + 1, unproven = greatest(0, unproven - 1), updated_at = now()
                    WHERE task_type = $1 AND species = $2
                    """ : """
                    UPDATE perf_matrix SET correct = greatest(0, correct - 1), updated_at = now() WHERE task_type = $1 AND species = $2
                    """, [a.type.rawValue, genome])
            }
        }
        switch mode {
        case "critical":
            if let m = Answers.majority(a.type, answers, quorum: 2, question: a.text) {
                try outvote(against: passed[m].answer)
                try settleVerified(passed[m].attempt, passed[m].answer, note: nil)
                return []
            }
            if pending > 0 { return unanswered }
            let cap = Store.criticalAnswers + maxAttempts - 1
            if issued < cap { return try ask(min(cap - issued, max(1, Store.criticalAnswers - passed.count))) }
            if let first = passed.first {
                tx.send("UPDATE subtasks SET status = 'failed', answer = $2, error = $3, updated_at = now() WHERE id = $1",
                        [job.subtaskID, first.answer, "no majority among \(passed.count) answers from \(used.count) genomes"])
            } else {
                try settleFailed(verdict.passed ? "no answer passed its check" : verdict.reason)
            }
            return []
        case "spot":
            if pending > 0 { return unanswered }
            if let m = Answers.majority(a.type, answers, quorum: 2, question: a.text) {
                try outvote(against: passed[m].answer)
                try settleVerified(passed[m].attempt, passed[m].answer, note: nil)
            } else if answers.count == 2 && issued < 3 {
                return try ask(1) // the second opinion disagrees: a third decides
            } else if let first = passed.first {
                // No two answers agree. For a fact, every vote behind them counts: the answer naming what
                // most of the votes name is kept (the first answer otherwise).
                let votes = passed.flatMap { Store.voteAnswers($0.votes) }
                if a.type == .factual, answers.count > 1,
                   let i = Answers.namedConsensus(answers, quorum: 2, question: a.text, evidence: votes) {
                    try settleVerified(passed[i].attempt, passed[i].answer,
                                       note: "spot check: no two of \(answers.count) answers agree; kept the one naming what most of their \(votes.count) votes name")
                } else {
                    try settleVerified(first.attempt, first.answer,
                                       note: answers.count > 1 ? "spot check: no two of \(answers.count) answers agree" : nil)
                }
            } else {
                try settleFailed(verdict.reason)
            }
            return []
        default:
            if let first = passed.first {
                if inserted, verdict.passed, !verdict.decisive, job.attempt == first.attempt,
                   Store.spotDrawn(subtaskID: job.subtaskID, attempt: job.attempt, rate: spotRate) || Store.unsure(a) {
                    return try ask(1, mode: "spot")
                }
                try settleVerified(first.attempt, first.answer, note: nil)
                return []
            }
            if pending > 0 { return unanswered }
            if issued < maxAttempts { return try ask(1) }
            try settleFailed(verdict.reason)
            return []
        }
    }

    // MARK: synthesizer

    /// Composes and stores the answer once; returns the stored outcome (the same on a redelivery).
    public func synthesize(queryID: String) async throws -> AnswerEvent? {
        try await db.withSession { s in
            try s.transaction { tx in
                // The query locked and its parts read, in one round trip (with BEGIN); the answer is sent with COMMIT.
                let read = try tx.queries([
                    ("SELECT status, answer, error FROM queries WHERE id = $1 FOR UPDATE", [queryID]),
                    ("SELECT idx, type, text, status, answer, error FROM subtasks WHERE query_id = $1 ORDER BY idx", [queryID]),
                ])
                guard let q = read[0].first else { return nil }
                if q[0] != "running" {
                    return AnswerEvent(queryID: queryID, status: q[0]!, answer: q[1], error: q[2])
                }
                let rows = read[1]
                let parts = rows.rows.map {
                    SettledPart(index: Int($0[0]!)!, type: TaskType(rawValue: $0[1]!) ?? .factual, text: $0[2]!,
                                answer: $0[4], passed: $0[3] == "verified", error: $0[5])
                }
                if rows.rows.contains(where: { $0[3] == "queued" || $0[3] == "waiting" }) { return nil } // not settled yet
                if parts.allSatisfy({ $0.answer == nil }) {
                    let reason = parts.compactMap(\.error).first ?? "no subtask produced an answer"
                    tx.send("UPDATE queries SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [queryID, reason])
                    return AnswerEvent(queryID: queryID, status: "failed", answer: nil, error: reason)
                }
                let answer = Synthesis.compose(parts)
                tx.send("UPDATE queries SET status = 'answered', answer = $2, finished_at = now() WHERE id = $1", [queryID, answer])
                return AnswerEvent(queryID: queryID, status: "answered", answer: answer, error: nil)
            }
        }
    }

    // MARK: reading

    public struct QueryStatus: Sendable {
        public var id: String
        public var status: String
        public var answer: String?
        public var error: String?
        public var subtasks: Int
        public var settled: Int
    }

    public func status(queryID: String) async throws -> QueryStatus? {
        let r = try await db.query("""
            SELECT q.status, q.answer, q.error, q.subtask_count,
                   (SELECT count(*) FROM subtasks s WHERE s.query_id = q.id AND s.status NOT IN ('queued', 'waiting'))
            FROM queries q WHERE q.id = $1
            """, [queryID])
        guard let row = r.first else { return nil }
        return QueryStatus(id: queryID, status: row[0]!, answer: row[1], error: row[2],
                           subtasks: Int(row[3] ?? "0") ?? 0, settled: Int(row[4] ?? "0") ?? 0)
    }

    /// Records that a node is alive this minute and brings its uptime up to date.
    public func heartbeat(node: String, role: String, owner: String, species: String) async throws {
        try await db.withSession { s in
            try s.transaction { tx in
                // Sent together, with COMMIT: one round trip.
                tx.send("INSERT INTO users (id, runs_nodes) VALUES ($1, true) ON CONFLICT (id) DO UPDATE SET runs_nodes = true", [owner])
                tx.send("""
                    INSERT INTO nodes (id, role, owner_user, species) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (id) DO UPDATE SET last_seen = now()
                    """, [node, role, owner, species])
                tx.send("INSERT INTO node_heartbeats (node_id, minute) VALUES ($1, date_trunc('minute', now())) ON CONFLICT DO NOTHING", [node])
                // Uptime: the share of the last hour's minutes (or of its life, if younger) it was seen in.
                tx.send("""
                    UPDATE nodes n SET uptime = (
                        SELECT least(1.0, count(h.minute)::float8 / greatest(1.0, least(60.0, extract(epoch FROM now() - n.first_seen) / 60.0)))
                        FROM node_heartbeats h WHERE h.node_id = n.id AND h.minute > now() - interval '60 minutes')
                    WHERE n.id = $1
                    """, [node])
                tx.send("DELETE FROM node_heartbeats WHERE node_id = $1 AND minute < now() - interval '2 hours'", [node])
            }
        }
    }

    public func balance(user: String) async throws -> Double {
        Double(try await db.query(Store.balanceSQL, [user]).first?[0] ?? "0") ?? 0
    }

    /// An operator's top-up: a 'topup' ledger entry for `user` (created if new), once per `key`.
    /// Returns the balance after it.
    public func topUp(user: String, amount: Double, key: String) async throws -> Double {
        try QueryJob.validate(user: user)
        guard amount > 0, amount <= 1_000_000 else { throw Wire.DecodeError("a top-up is more than 0 and at most 1,000,000 credits") }
        return try await db.withSession { s in
            try s.transaction { tx in
                tx.send("INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING", [user])
                tx.send("""
                    INSERT INTO credit_ledger (user_id, amount, kind, idempotency_key) VALUES ($1, $2::numeric, 'topup', 'topup:' || $3)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """, [user, String(amount), key])
                return Double(try tx.query(Store.balanceSQL, [user]).first?[0] ?? "0") ?? 0
            }
        }
    }
}

// MARK: trace

extension Store {
    public struct Trace: Sendable, Codable {
        public struct Attempt: Sendable, Codable {
            public var attempt: Int
            public var node: String
            public var tool: String?
            public var answer: String?
            public var error: String?
            public var confidence: Double?
            public var latencyMilliseconds: Int?
            public var votes: String
            public var verdict: String?
            public var verdictReason: String?
            public var verifier: String?
            public var genome: String?
            public var at: String
        }
        public struct Part: Sendable, Codable {
            public var index: Int
            public var type: String
            public var text: String
            public var route: String?
            public var status: String
            public var mode: String
            public var note: String?
            public var attempts: [Attempt]
        }
        public var id: String
        public var user: String
        public var status: String
        public var text: String
        public var answer: String?
        public var error: String?
        public var submittedAt: String
        public var finishedAt: String?
        public var seconds: Double?
        public var parts: [Part]
    }

    /// Every recorded step of one query: its split and routes, each attempt with its votes, tool and
    /// latency, each verdict with its reason, and the timings.
    public func trace(queryID: String) async throws -> Trace? {
        try await db.withSession { s in
            guard let q = try s.query("""
                SELECT user_id, status, text, answer, error, created_at::text, finished_at::text,
                       extract(epoch FROM finished_at - created_at)::float8
                FROM queries WHERE id = $1
                """, [queryID]).first else { return nil }
            let subtasks = try s.query("SELECT id, idx, type, text, route_rule, status, mode, error FROM subtasks WHERE query_id = $1 ORDER BY idx", [queryID])
            let attempts = try s.query("""
                SELECT a.subtask_id, a.attempt, a.node_id, a.tool, a.answer, a.error, a.confidence, a.latency_ms, a.votes::text,
                       v.passed, v.reason, v.verifier, a.created_at::text, a.genome, v.proven
                FROM attempts a JOIN subtasks st ON st.id = a.subtask_id
                LEFT JOIN verdicts v ON v.subtask_id = a.subtask_id AND v.attempt = a.attempt
                WHERE st.query_id = $1 ORDER BY a.subtask_id, a.attempt
                """, [queryID])
            let parts = subtasks.rows.map { st -> Trace.Part in
                let mine = attempts.rows.filter { $0[0] == st[0] }.map { a in
                    Trace.Attempt(attempt: Int(a[1]!)!, node: a[2]!, tool: a[3], answer: a[4], error: a[5],
                                  confidence: a[6].flatMap(Double.init), latencyMilliseconds: a[7].flatMap { Int($0) },
                                  votes: a[8] ?? "[]", verdict: a[9].map { $0 == "t" ? (a[14] == "f" ? "unproven" : "passed") : "failed" },
                                  verdictReason: a[10], verifier: a[11], genome: a[13], at: a[12] ?? "")
                }
                return Trace.Part(index: Int(st[1]!)!, type: st[2]!, text: st[3]!, route: st[4], status: st[5]!, mode: st[6] ?? "normal",
                                  note: st[7], attempts: mine)
            }
            return Trace(id: queryID, user: q[0]!, status: q[1]!, text: q[2]!, answer: q[3], error: q[4], submittedAt: q[5]!,
                         finishedAt: q[6], seconds: q[7].flatMap(Double.init), parts: parts)
        }
    }

    public struct QueryRow: Sendable, Codable {
        public var id: String
        public var user: String
        public var status: String
        public var text: String
        public var error: String?
        public var createdAt: String
    }

    public func queries(status: String?, limit: Int) async throws -> [QueryRow] {
        let r = try await db.query("""
            SELECT id, user_id, status, left(text, 200), error, created_at::text FROM queries
            WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2
            """, [status, String(limit)])
        return r.rows.map { QueryRow(id: $0[0]!, user: $0[1]!, status: $0[2]!, text: $0[3]!, error: $0[4], createdAt: $0[5]!) }
    }
}

// MARK: the economy, read

extension Store {
    public struct NodeRow: Sendable, Codable {
        public var id: String
        public var role: String
        public var species: String
        public var owner: String?
        public var trust: Double
        public var verified: Int
        public var correct: Int
        public var uptime: Double
        public var lastSeen: String
        public var earned: Double
    }

    public func nodes() async throws -> [NodeRow] {
        let r = try await db.query("""
            SELECT n.id, n.role, n.species, n.owner_user, n.trust, n.verified, n.correct, n.uptime, n.last_seen::text,
                   coalesce((SELECT sum(amount) FROM credit_ledger l JOIN attempts a ON a.subtask_id = l.subtask_id AND a.attempt = l.attempt
                             WHERE l.kind = 'earn' AND a.node_id = n.id), 0)
            FROM nodes n ORDER BY n.trust DESC, n.id
            """)
        return r.rows.map {
            NodeRow(id: $0[0]!, role: $0[1]!, species: $0[2]!, owner: $0[3], trust: Double($0[4]!) ?? 0, verified: Int($0[5]!) ?? 0,
                    correct: Int($0[6]!) ?? 0, uptime: Double($0[7]!) ?? 0, lastSeen: $0[8]!, earned: Double($0[9]!) ?? 0)
        }
    }

    public struct LedgerEntry: Sendable, Codable {
        public var amount: Double
        public var kind: String
        public var queryID: String?
        public var subtaskID: String?
        public var attempt: Int?
        public var at: String
    }

    public func ledger(user: String, limit: Int) async throws -> [LedgerEntry] {
        try await db.query("""
            SELECT amount, kind, query_id, subtask_id, attempt, created_at::text FROM credit_ledger
            WHERE user_id = $1 ORDER BY id DESC LIMIT $2
            """, [user, String(limit)]).rows.map {
            LedgerEntry(amount: Double($0[0]!) ?? 0, kind: $0[1]!, queryID: $0[2], subtaskID: $0[3], attempt: $0[4].flatMap { Int($0) }, at: $0[5]!)
        }
    }

    public struct MatrixCell: Sendable, Codable {
        public var type: String
        public var species: String
        public var attempts: Int
        public var accuracy: Double
        public var meanMilliseconds: Double
        /// correctness × speed, speed = 1 / (1 + mean seconds).
        public var score: Double
        /// Passes no check could prove: counted apart, not in attempts or accuracy.
        public var unproven: Int = 0
    }

    /// How each part of each query was checked, in part order: "proven" (a check proves the answer),
    /// "unproven" (it passed, but no check could prove it), "failed", or "open".
    public func partChecks(queryIDs: [String]) async throws -> [String: [String]] {
        guard !queryIDs.isEmpty else { return [:] }
        var out: [String: [String]] = [:]
        for row in try await db.query("""
            SELECT query_id, status, proven FROM subtasks WHERE query_id = ANY($1::text[]) ORDER BY query_id, idx
            """, [PostgresArray.literal(queryIDs)]).rows {
            guard let q = row[0] else { continue }
            let check = switch row[1] {
            case "verified": row[2] == "f" ? "unproven" : "proven"
            case "failed": "failed"
            default: "open"
            }
            out[q, default: []].append(check)
        }
        return out
    }

    /// The completion tokens the model spent on each query: every vote of every attempt (tools spend none).
    public func modelTokens(queryIDs: [String]) async throws -> [String: Int] {
        guard !queryIDs.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        for row in try await db.query("""
            SELECT s.query_id, coalesce(sum((v->>'tokens')::int), 0)
            FROM subtasks s JOIN attempts a ON a.subtask_id = s.id CROSS JOIN LATERAL jsonb_array_elements(a.votes) v
            WHERE s.query_id = ANY($1::text[]) AND jsonb_typeof(v->'tokens') = 'number' GROUP BY s.query_id
            """, [PostgresArray.literal(queryIDs)]).rows {
            if let q = row[0], let n = row[1].flatMap({ Int($0) }) { out[q] = n }
        }
        return out
    }

    public func matrix() async throws -> [MatrixCell] {
        try await db.query("SELECT task_type, species, attempts, correct, total_ms, unproven FROM perf_matrix ORDER BY task_type, species").rows.map {
            let n = Double($0[2] ?? "") ?? 0, c = Double($0[3] ?? "") ?? 0, ms = Double($0[4] ?? "") ?? 0
            let accuracy = n > 0 ? c / n : 0, mean = n > 0 ? ms / n : 0
            return MatrixCell(type: $0[0] ?? "?", species: $0[1] ?? "?", attempts: Int(n), accuracy: accuracy, meanMilliseconds: mean,
                              score: accuracy / (1 + mean / 1000), unproven: Int($0[5] ?? "") ?? 0)
        }
    }
}
