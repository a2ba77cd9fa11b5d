import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation

/// The operator's queue controls: pausing a task type, cancelling a running query (with a refund of
/// the work not done), running a failed query again, and what is in flight in a group. The CLI's
/// `ops pause|resume|cancel|retry|pending` call these.
public struct QueueControls: Sendable {
    public let config: FleetConfig
    public let redis: RedisConnection
    public let store: Store

    public init(config: FleetConfig, redis: RedisConnection, store: Store) {
        self.config = config
        self.redis = redis
        self.store = store
    }

    /// What `pause` takes: a task type, or `instant` (the calculator's and the exact tools' lane).
    public static let pausable: [String] = TaskType.allCases.map(\.rawValue) + ["instant"]

    /// Specialists stop taking `kind`'s tasks within about a second; what they hold is finished.
    public func pause(_ kind: String) async throws {
        guard Self.pausable.contains(kind) else { throw Wire.DecodeError("'\(kind)' is not a task type (\(Self.pausable.joined(separator: ", ")))") }
        _ = try await redis.command("SADD", config.keys.paused, kind)
    }

    /// True when it was paused.
    public func resume(_ kind: String) async throws -> Bool {
        guard Self.pausable.contains(kind) else { throw Wire.DecodeError("'\(kind)' is not a task type (\(Self.pausable.joined(separator: ", ")))") }
        return try await redis.command("SREM", config.keys.paused, kind).int == 1
    }

    public func paused() async throws -> [String] {
        (try await redis.command("SMEMBERS", config.keys.paused).array ?? []).compactMap(\.string).sorted()
    }

    public enum CancelOutcome: Sendable, Equatable {
        /// Ended `cancelled`; `refund` credits went back to `user` for the parts not settled.
        case cancelled(user: String, refund: Double, openParts: Int)
        /// It had ended already (answered, failed or cancelled).
        case finished(QueryState)
        case unknown
    }

    /// Cancels a running query: its open parts end failed ("cancelled") and are not started (a
    /// specialist holding one finds it settled and drops it), the query ends `cancelled`, its end is
    /// announced, and the share of its charge for the parts not settled is refunded once (a `refund`
    /// ledger entry keyed to the query).
    public func cancel(queryID: String) async throws -> CancelOutcome {
        try QueryJob.validate(id: queryID)
        let outcome = try await store.db.withSession { s in try s.transaction { tx in try Self.cancel(tx, queryID: queryID) } }
        if case .cancelled(let user, _, _) = outcome {
            let event = AnswerEvent(queryID: queryID, status: QueryState.cancelled.rawValue, answer: nil, error: Self.reason, user: user)
            _ = try await redis.pipeline(announce(event, config).map(\.args))
            try await removeTasks(of: queryID)
        }
        return outcome
    }

    /// Deletes the cancelled query's tasks from the task streams, so no node spends model time on them (a
    /// node reads nothing but its task, so it cannot know). A task a node already holds is finished and
    /// dropped by the recorder. Reads each stream in pages of 1,000.
    func removeTasks(of queryID: String) async throws {
        for stream in config.keys.taskStreams {
            var start = "-"
            while true {
                let page = (try await redis.command("XRANGE", stream, start, "+", "COUNT", "1000").array ?? [])
                    .compactMap { try? RedisConnection.parseEntry(stream: stream, $0) }
                let mine = page.filter { e in (try? Wire.decode(TaskJob.self, v: e["v"], job: e["job"]))?.queryID == queryID }.map(\.id)
                if !mine.isEmpty { _ = try await redis.command(["XDEL", stream] + mine) }
                guard page.count == 1000, let last = page.last else { break }
                start = "(" + last.id
            }
        }
    }

    static let reason = "cancelled by the operator"

    static func cancel(_ tx: PostgresSession, queryID: String) throws -> CancelOutcome {
        guard let q = try tx.query("SELECT user_id, status FROM queries WHERE id = $1 FOR UPDATE", [queryID]).firstRecord else { return .unknown }
        let state: QueryState = try q.decode("status")
        guard state == .running else { return .finished(state) }
        let user: String = try q.decode("user_id")
        let parts = try tx.query("SELECT type, status FROM subtasks WHERE query_id = $1", [queryID]).records.map {
            (type: try $0.decode("type", as: TaskType.self), open: !(try $0.decode("status", as: SubtaskStatus.self)).settled)
        }
        let charged = try tx.query("SELECT coalesce(-sum(amount), 0)::float8 AS charged FROM credit_ledger WHERE query_id = $1 AND kind = 'charge'",
                                   [queryID]).firstRecord?.decode("charged", as: Double.self) ?? 0
        let open = parts.filter(\.open).map(\.type)
        let whole = Economy.price(parts.map(\.type), runsNodes: true)
        let refund = whole > 0 ? (charged * Economy.price(open, runsNodes: true) / whole * 10_000).rounded(.down) / 10_000 : 0
        tx.send("UPDATE subtasks SET status = 'failed', error = $2, updated_at = now() WHERE query_id = $1 AND status IN ('queued', 'waiting')",
                [queryID, reason])
        tx.send("UPDATE queries SET status = 'cancelled', error = $2, finished_at = now() WHERE id = $1", [queryID, reason])
        if refund > 0 {
            tx.send("""
                INSERT INTO credit_ledger (user_id, amount, kind, query_id, idempotency_key) VALUES ($1, $2, 'refund', $3, 'refund:' || $3)
                ON CONFLICT (idempotency_key) DO NOTHING
                """, [user, String(refund), queryID])
        }
        return .cancelled(user: user, refund: refund, openParts: open.count)
    }

    /// Runs a failed or cancelled query again as a new query (`<id>-retry-<n>`, the same text and user),
    /// charged once like any query; returns the new id. Nil when the query is unknown; an error when it
    /// is running or answered.
    public func retry(queryID: String) async throws -> String? {
        try QueryJob.validate(id: queryID)
        guard let q = try await store.db.query("SELECT user_id, text, status, critical FROM queries WHERE id = $1", [queryID]).firstRecord else { return nil }
        let state: QueryState = try q.decode("status")
        guard state == .failed || state == .cancelled else { throw Wire.DecodeError("query \(queryID) is \(state.rawValue): only a failed or cancelled query is retried") }
        let base = queryID.range(of: "-retry-").map { String(queryID[..<$0.lowerBound]) } ?? queryID
        let earlier = try await store.db.query("SELECT count(*)::int AS n FROM queries WHERE id LIKE $1", [base + "-retry-%"]).firstRecord?.decode("n", as: Int.self) ?? 0
        let id = "\(base.prefix(Wire.maxIDBytes - 12))-retry-\(earlier + 1)"
        let job = QueryJob(id: id, query: try q.decode("text"), user: try q.decode("user_id"), critical: try q.decode("critical", as: Bool.self) ? true : nil)
        _ = try await redis.xadd(config.keys.queries, Wire.fields(job))
        return id
    }
}

/// A Redis set as this process last read it (SMEMBERS), re-read at most every `every` by whichever lane
/// asks first: the paused kinds a node's lanes skip, the registered submitters ingest reads.
final class RedisSetMirror: Sendable {
    let every: Duration
    private let state = Locked<(members: Set<String>, at: ContinuousClock.Instant?)>(([], nil))
    init(every: Duration) { self.every = every }

    var members: Set<String> { state.value.members }

    func refresh(key: String, redis: RedisConnection) async throws {
        let due = state.withLock { s -> Bool in
            if let at = s.at, ContinuousClock.now - at < every { return false }
            s.at = .now
            return true
        }
        guard due else { return }
        let members = Set((try await redis.command("SMEMBERS", key).array ?? []).compactMap(\.string))
        state.withLock { $0.members = members }
    }
}
