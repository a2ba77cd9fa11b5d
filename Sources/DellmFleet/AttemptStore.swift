import DellmCore
import DellmPostgres
import Foundation

/// The specialist's statements: whether a task is still open, and recording its attempt once.
public struct AttemptStore: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }
}

extension AttemptStore {
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
    public func state(_ job: TaskJob) async throws -> AttemptState {
        let r = try await db.query("""
            SELECT EXISTS (SELECT 1 FROM attempts WHERE subtask_id = $1 AND attempt = $2), s.status, s.attempts, s.type, s.text
            FROM subtasks s WHERE s.id = $1 AND s.query_id = $3
            """, [job.subtaskID, String(job.attempt), job.queryID])
        guard let row = r.first, let issued = row[2].flatMap({ Int($0) }), job.attempt <= issued,
              row[3] == job.type.rawValue, row[4] == job.text else { return .unknown }
        if row[0] == "t" { return .recorded }
        return row[1] == "queued" ? .open : .unneeded
    }

    /// Whether `node` recorded an attempt at the subtask before `attempt` (a second opinion must come
    /// from another node).
    public func answeredBefore(_ job: TaskJob, node: String) async throws -> Bool {
        !(try await db.query("SELECT 1 FROM attempts WHERE subtask_id = $1 AND node_id = $2 AND attempt < $3",
                             [job.subtaskID, node, String(job.attempt)]).rows.isEmpty)
    }

    /// `register`: also bring the node's owner and species up to date (a node's first attempt after it
    /// starts); otherwise the owner and the node are only inserted when missing, which writes and locks
    /// nothing (an update of the node's row on every attempt queued attempts behind each other and the
    /// verifier's trust update).
    public func record(_ job: TaskJob, node: String, owner: String = "operator", species: String = "default",
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
                  String(ExactTools.isExact(record.tool) ? 0 : record.votes.count), owner, species])
    }
}
