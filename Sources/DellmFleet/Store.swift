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

    /// The read views: statuses, traces, nodes, the ledger, the matrix.
    public var inspector: Inspector { Inspector(db: db) }
    /// Genomes and generations.
    public var genomes: GenomeStore { GenomeStore(db: db) }
    /// Attempts: whether a task is open, recording one.
    public var attempts: AttemptStore { AttemptStore(db: db) }
    /// Nodes' heartbeats.
    public var nodes: NodeStore { NodeStore(db: db) }
    /// Verdicts, trust, the matrix and earnings; the subtask's next step.
    public var verdicts: VerdictStore { VerdictStore(db: db, queryTokens: queryTokens) }

    /// Answers a critical subtask asks for (a majority of them decides).
    public static let criticalAnswers = 3
    /// Balances and top-ups.
    public var ledger: LedgerStore { LedgerStore(db: db) }

    /// The grant statement's parameters for `user`.
    func grantParameters(_ user: String) -> [String?] { [user, String(grant.credits), String(grant.perHour)] }

    public func migrate() async throws -> [Int] { try await db.migrate(Schema.migrations) }

    /// What every worker and `dellm migrate` do first: apply the migrations, then store the seed
    /// species not yet known. Returns the migrations applied.
    @discardableResult
    public func prepare(species: [Genome]) async throws -> [Int] {
        let applied = try await migrate()
        try await genomes.seed(species)
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
             + (SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE user_id = $1 AND NOT folded) AS balance
        """

    /// Folds a user's ledger entries into their balance once more than 64 wait (under the user's lock,
    /// which every ingest takes): the entries flagged and their sum added in one statement.
    static let foldSQL = """
        WITH waiting AS (SELECT count(*) AS n FROM credit_ledger WHERE user_id = $1 AND NOT folded),
        f AS (UPDATE credit_ledger SET folded = true WHERE user_id = $1 AND NOT folded AND (SELECT n FROM waiting) > 64 RETURNING amount)
        UPDATE users SET folded_balance = folded_balance + (SELECT sum(amount) FROM f) WHERE id = $1 AND EXISTS (SELECT 1 FROM f)
        """

    /// The parts of a user's running queries (the running ones through a partial index).
    static let backlogSQL = "SELECT coalesce(sum(subtask_count), 0) AS backlog FROM queries WHERE user_id = $1 AND status = 'running'"

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

    /// A query's rows as the ingest statements take them: the query, its parts (as arrays, one
    /// parameter each), how many attempts each is issued, its mode, its user and its price.
    struct IngestRows {
        var q: QueryJob
        var user: String
        var parts: [Splitter.Part]
        var firstGenome: [String]
        var perPart: Int
        var critical: Bool
        /// $16: the Redis namespace the query's tasks go to (nil: not said).
        var namespace: String?

        /// $1 id, $2–$7 the parts, $8 attempts issued, $9 mode, $10 user, $11 text, $12 parts, $13 critical,
        /// $14 the price, $15 the parts' inputs (waits_for).
        func parameters(price: Double) -> [String?] {
            bind(q.id, PostgresArray.literal(parts.map { "\(q.id).\($0.index)" }), PostgresArray.literal(parts.map { String($0.index) }),
                 PostgresArray.literal(parts.map(\.type.rawValue)), PostgresArray.literal(parts.map(\.text)),
                 PostgresArray.literal(parts.map(\.rule)), PostgresArray.literal(firstGenome),
                 perPart, critical ? SubtaskMode.critical : SubtaskMode.normal, user, q.query, parts.count, critical,
                 price, PostgresArray.literal(parts.map { $0.waitsFor.map(String.init) ?? "" }), namespace)
        }

        /// The fast path's parameters: the above, then $17 the price for anyone else ($14 is a member's).
        var fastParameters: [String?] {
            parameters(price: Economy.price(parts.map(\.type), runsNodes: true) * Double(perPart))
                + bind(Economy.price(parts.map(\.type), runsNodes: false) * Double(perPart))
        }
    }

    /// The parts of a new query, inserted from the arrays of `IngestRows` in one statement.
    static let insertPartsSQL = """
        INSERT INTO subtasks (id, query_id, idx, type, text, route_rule, genome, attempts, mode, status, waits_for)
        SELECT s.id, $1, s.idx, s.type, s.text, s.rule, nullif(s.genome, ''), $8, $9,
               CASE WHEN s.waits = '' THEN 'queued' ELSE 'waiting' END, nullif(s.waits, '')::int
        """

    /// Membership (member prices) as the design has it: the user runs a node that contributed within
    /// `Economy.membershipDays` days and is not revoked; it lapses when the node stops.
    static let memberSQL = """
        (u.runs_nodes AND EXISTS (SELECT 1 FROM nodes n WHERE n.owner_user = u.id AND n.revoked_at IS NULL
                                  AND n.last_seen > now() - make_interval(days => \(Economy.membershipDays))))
        """

    /// The common case in one statement: a new query whose user can pay (the balance read under the
    /// user's lock), inserted with its charge and parts; nothing when the query exists or the user cannot pay.
    static let insertIfPaidSQL = """
        WITH paid AS (
            SELECT c.cost FROM users u, LATERAL (SELECT CASE WHEN \(memberSQL) THEN $14::numeric ELSE $17::numeric END AS cost) c
            WHERE u.id = $10 AND NOT EXISTS (SELECT 1 FROM queries WHERE id = $1)
              AND u.folded_balance + (SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE user_id = $10 AND NOT folded) >= c.cost),
        query AS (
            INSERT INTO queries (id, user_id, text, subtask_count, critical, namespace) SELECT $1, $10, $11, $12, $13, $16 FROM paid),
        charge AS (
            INSERT INTO credit_ledger (user_id, amount, kind, query_id, idempotency_key)
            SELECT $10, -cost, 'charge', $1, 'charge:' || $1 FROM paid)
        \(insertPartsSQL)
        FROM paid, unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $15::text[])
             AS s(id, idx, type, text, rule, genome, waits)
        RETURNING 1
        """

    /// A new query, its charge (the price decided under the user's lock) and its parts.
    static let insertSQL = """
        WITH query AS (
            INSERT INTO queries (id, user_id, text, subtask_count, critical, namespace) VALUES ($1, $10, $11, $12, $13, $16)),
        charge AS (
            INSERT INTO credit_ledger (user_id, amount, kind, query_id, idempotency_key)
            VALUES ($10, -$14::numeric, 'charge', $1, 'charge:' || $1))
        \(insertPartsSQL)
        FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $15::text[])
             AS s(id, idx, type, text, rule, genome, waits)
        """

    /// Every issued attempt of a query's open subtasks without a verdict (a redelivered query sends them again).
    static let openAttemptsSQL = """
        SELECT s.id, s.idx, s.type, s.text, n.attempt, CASE WHEN n.attempt = 1 THEN s.genome END AS genome
        FROM subtasks s CROSS JOIN LATERAL generate_series(1, greatest(s.attempts, 1)) AS n(attempt)
        WHERE s.query_id = $1 AND s.status = 'queued'
          AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.subtask_id = s.id AND v.attempt = n.attempt)
        ORDER BY s.idx, n.attempt
        """

    /// Records a query, charges its user once, and creates its subtasks. `genomes[i]` are the genomes
    /// routing chose for part i: one normally, three for a critical query (each its own attempt).
    public func ingest(_ q: QueryJob, parts: [Splitter.Part], genomes: [[String]] = [], namespace: String? = nil) async throws -> IngestOutcome {
        let user = q.user.flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
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
        let rows = IngestRows(q: q, user: user, parts: parts, firstGenome: parts.indices.map { i in i < genomes.count ? genomes[i].first ?? "" : "" },
                              perPart: perPart, critical: critical, namespace: namespace)
        return try await db.withSession { s in
            let (inserted, backlog) = try insertIfPaid(s, rows)
            if inserted { return .enqueue(tasks, userBacklog: backlog) }
            return try s.transaction { tx in try insertStepByStep(tx, rows, tasks: tasks, backlog: backlog, budget: budget) }
        }
    }

    /// The common case in one round trip: BEGIN, the grant, the user's lock, the query with its charge and
    /// parts (only when it is new and the balance covers the price), and COMMIT travel together. Returns
    /// whether it was inserted, and the parts of the user's other running queries.
    private func insertIfPaid(_ s: PostgresSession, _ rows: IngestRows) throws -> (Bool, Int) {
        try s.transaction { tx in
            tx.send(Store.grantSQL, grantParameters(rows.user))
            let r = try tx.queries([
                ("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [rows.user]),
                (Store.backlogSQL, [rows.user]),
                (Store.insertIfPaidSQL, rows.fastParameters),
                (Store.foldSQL, [rows.user]),
                ("COMMIT", []),
            ])
            return (r[2].rows.count > 0, try r[1].firstRecord?.decode("backlog", as: Int.self) ?? 0)
        }
    }

    /// Anything but the common case, decided step by step under the user's lock: a redelivery (its open
    /// attempts sent again, or its end announced again), an id taken by another query, too few credits
    /// (the query recorded failed with the reason), else the query inserted at the price that applies.
    private func insertStepByStep(_ tx: PostgresSession, _ rows: IngestRows, tasks: [TaskJob], backlog: Int, budget: Int?) throws -> IngestOutcome {
        let (q, user) = (rows.q, rows.user)
        tx.send(Store.grantSQL, grantParameters(user))
        let read = try tx.queries([
            ("SELECT \(Store.memberSQL) AS runs_nodes FROM users u WHERE u.id = $1 FOR UPDATE", [user]),
            ("SELECT status, answer, error, text, user_id FROM queries WHERE id = $1", [q.id]),
            (Store.balanceSQL, [user]),
        ])
        if let row = read[1].firstRecord {
            // The same id with another text or user is not a redelivery: it touches nothing of the query.
            if try row.decode("text", as: String.self) != q.query || row.decode("user_id", as: String.self) != user { throw IDTaken(id: q.id) }
            let state: QueryState = try row.decode("status")
            if state != .running {
                return .finished(AnswerEvent(queryID: q.id, status: state.rawValue, answer: try row.decode("answer", as: String?.self),
                                             error: try row.decode("error", as: String?.self), user: user))
            }
            // A specialist that finds an attempt recorded passes it straight to the verifier.
            return .enqueue(try tx.query(Store.openAttemptsSQL, [q.id]).records.map {
                TaskJob(queryID: q.id, subtaskID: try $0.decode("id"), index: try $0.decode("idx"), type: try $0.decode("type"),
                        text: try $0.decode("text"), attempt: try $0.decode("attempt"), genome: try $0.decode("genome", as: String?.self),
                        budget: budget)
            }, userBacklog: 0)
        }
        let runsNodes = try read[0].firstRecord?.decode("runs_nodes", as: Bool.self) ?? false
        let balance = try read[2].firstRecord?.decode("balance", as: Double.self) ?? 0
        let cost = Economy.price(rows.parts.map(\.type), runsNodes: runsNodes) * Double(rows.perPart)
        guard balance >= cost else { return try refuse(tx, q, user: user, balance: balance, cost: cost) }
        // Balances never go negative: the check above and this charge happen under the user's row lock.
        tx.send(Store.insertSQL, rows.parameters(price: cost))
        return .enqueue(tasks, userBacklog: backlog)
    }

    /// Too few credits: the query is recorded failed, with what to do about it.
    private func refuse(_ tx: PostgresSession, _ q: QueryJob, user: String, balance: Double, cost: Double) throws -> IngestOutcome {
        var error = String(format: "insufficient credits: user %@ has %.2f, this query costs %.2f", user, balance, cost)
        if try tx.query("SELECT 1 FROM credit_ledger WHERE idempotency_key = 'grant:' || $1", [user]).rows.isEmpty {
            error += "; no starting grant: at most \(grant.perHour) new users receive one per hour"
        }
        error += "; an operator adds credits with: dellm ops credits \(user) --top-up N"
        tx.send("INSERT INTO queries (id, user_id, text, status, error, finished_at) VALUES ($1, $2, $3, 'failed', $4, now())",
                [q.id, user, q.query, error])
        return .finished(AnswerEvent(queryID: q.id, status: "failed", answer: nil, error: error, user: user))
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
                return AnswerEvent(queryID: id, status: row[0] ?? "failed", answer: row[1], error: row[2], user: user)
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
            RETURNING q.status, q.answer, q.error, q.user_id
            """, [id, reason] + parameters)
        guard let row = r.first else { return nil }
        return AnswerEvent(queryID: id, status: row[0] ?? "failed", answer: row[1], error: row[2], user: row[3])
    }

    /// Ends a running query as failed on behalf of its synthesize entry, only once every part is
    /// settled (when a synthesize entry is due at all).
    public func failSettledQuery(id: String, reason: String) async throws -> AnswerEvent? {
        try await failRunning(id, reason: reason, if: "NOT EXISTS (SELECT 1 FROM subtasks s WHERE s.query_id = $1 AND s.status IN ('queued', 'waiting'))", [])
    }
}

extension TaskType: PostgresTextDecodable, PostgresBindable {}
extension QueryState: PostgresTextDecodable, PostgresBindable {}
extension SubtaskStatus: PostgresTextDecodable, PostgresBindable {}
extension SubtaskMode: PostgresTextDecodable, PostgresBindable {}
