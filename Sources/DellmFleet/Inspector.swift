import DellmCore
import DellmPostgres
import Foundation

/// What operators and users read: a query's status and trace, recent queries, nodes, a user's ledger,
/// the performance matrix, how each part was checked and what the model spent. Reads only; every
/// write is the `Store`'s.
public struct Inspector: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }

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
                   (SELECT count(*) FROM subtasks s WHERE s.query_id = q.id AND s.status NOT IN ('queued', 'waiting')) AS settled
            FROM queries q WHERE q.id = $1
            """, [queryID])
        guard let row = r.firstRecord else { return nil }
        return QueryStatus(id: queryID, status: try row.decode("status"), answer: try row.decode("answer", as: String?.self),
                           error: try row.decode("error", as: String?.self), subtasks: try row.decode("subtask_count"), settled: try row.decode("settled"))
    }


    // MARK: traces

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
                SELECT user_id, status, text, answer, error, created_at::text AS created_at, finished_at::text AS finished_at,
                       extract(epoch FROM finished_at - created_at)::float8 AS seconds
                FROM queries WHERE id = $1
                """, [queryID]).firstRecord else { return nil }
            let subtasks = try s.query("SELECT id, idx, type, text, route_rule, status, mode, error FROM subtasks WHERE query_id = $1 ORDER BY idx", [queryID])
            let attempts = try s.query("""
                SELECT a.subtask_id, a.attempt, a.node_id, a.tool, a.answer, a.error, a.confidence, a.latency_ms, a.votes::text AS votes,
                       v.passed, v.reason, v.verifier, a.created_at::text AS created_at, a.genome, v.proven
                FROM attempts a JOIN subtasks st ON st.id = a.subtask_id
                LEFT JOIN verdicts v ON v.subtask_id = a.subtask_id AND v.attempt = a.attempt
                WHERE st.query_id = $1 ORDER BY a.subtask_id, a.attempt
                """, [queryID])
            let all = try attempts.records.map { a in
                let verdict = try a.decode("passed", as: Bool?.self).map { passed in
                    passed ? (try a.decode("proven", as: Bool?.self) == false ? "unproven" : "passed") : "failed"
                }
                let attempt = Trace.Attempt(attempt: try a.decode("attempt"), node: try a.decode("node_id"), tool: try a.decode("tool", as: String?.self),
                                            answer: try a.decode("answer", as: String?.self), error: try a.decode("error", as: String?.self),
                                            confidence: try a.decode("confidence", as: Double?.self),
                                            latencyMilliseconds: try a.decode("latency_ms", as: Int?.self), votes: try a.decode("votes", as: String?.self) ?? "[]",
                                            verdict: verdict, verdictReason: try a.decode("reason", as: String?.self),
                                            verifier: try a.decode("verifier", as: String?.self), genome: try a.decode("genome", as: String?.self),
                                            at: try a.decode("created_at", as: String?.self) ?? "")
                return (subtask: try a.decode("subtask_id", as: String.self), attempt: attempt)
            }
            let parts = try subtasks.records.map { st -> Trace.Part in
                let id: String = try st.decode("id")
                return Trace.Part(index: try st.decode("idx"), type: try st.decode("type"), text: try st.decode("text"),
                                  route: try st.decode("route_rule", as: String?.self), status: try st.decode("status"),
                                  mode: try st.decode("mode", as: String?.self) ?? "normal", note: try st.decode("error", as: String?.self),
                                  attempts: all.filter { $0.subtask == id }.map(\.attempt))
            }
            return Trace(id: queryID, user: try q.decode("user_id"), status: try q.decode("status"), text: try q.decode("text"),
                         answer: try q.decode("answer", as: String?.self), error: try q.decode("error", as: String?.self),
                         submittedAt: try q.decode("created_at"), finishedAt: try q.decode("finished_at", as: String?.self),
                         seconds: try q.decode("seconds", as: Double?.self), parts: parts)
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
            SELECT id, user_id, status, left(text, 200) AS text, error, created_at::text AS created_at FROM queries
            WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2
            """, [status, String(limit)])
        return try r.records.map {
            QueryRow(id: try $0.decode("id"), user: try $0.decode("user_id"), status: try $0.decode("status"), text: try $0.decode("text"),
                     error: try $0.decode("error", as: String?.self), createdAt: try $0.decode("created_at"))
        }
    }

    // MARK: the economy

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
            SELECT n.id, n.role, n.species, n.owner_user, n.trust, n.verified, n.correct, n.uptime, n.last_seen::text AS last_seen,
                   coalesce((SELECT sum(amount) FROM credit_ledger l JOIN attempts a ON a.subtask_id = l.subtask_id AND a.attempt = l.attempt
                             WHERE l.kind = 'earn' AND a.node_id = n.id), 0) AS earned
            FROM nodes n ORDER BY n.trust DESC, n.id
            """)
        return try r.records.map {
            NodeRow(id: try $0.decode("id"), role: try $0.decode("role"), species: try $0.decode("species"),
                    owner: try $0.decode("owner_user", as: String?.self), trust: try $0.decode("trust"), verified: try $0.decode("verified"),
                    correct: try $0.decode("correct"), uptime: try $0.decode("uptime"), lastSeen: try $0.decode("last_seen"),
                    earned: try $0.decode("earned"))
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
            SELECT amount, kind, query_id, subtask_id, attempt, created_at::text AS created_at FROM credit_ledger
            WHERE user_id = $1 ORDER BY id DESC LIMIT $2
            """, [user, String(limit)]).records.map {
            LedgerEntry(amount: try $0.decode("amount"), kind: try $0.decode("kind"), queryID: try $0.decode("query_id", as: String?.self),
                        subtaskID: try $0.decode("subtask_id", as: String?.self), attempt: try $0.decode("attempt", as: Int?.self),
                        at: try $0.decode("created_at"))
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
