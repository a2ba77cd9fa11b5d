import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation

/// What users and operators do with a fleet: submit, follow answers, read results, inspect streams.
public struct FleetClient: Sendable {
    public let config: FleetConfig
    public let redis: RedisConnection
    public let db: PostgresConnection

    public init(config: FleetConfig) throws {
        self.config = config
        self.redis = RedisConnection(configuration: try config.redisConfiguration(), name: "client")
        self.db = PostgresConnection(url: config.databaseURL, name: "client")
    }

    public var store: Store { Store(db: db) }

    /// The registered submitter these credentials belong to (a Redis user `dellm-user-NAME`), or nil for
    /// the operator's. A submitter sends on its own query stream and reads its own answers stream only,
    /// and has no PostgreSQL credential.
    public var submitter: String? {
        guard let user = redis.configuration.user, user.hasPrefix(SubmitterRegistrar.userPrefix) else { return nil }
        return String(user.dropFirst(SubmitterRegistrar.userPrefix.count))
    }

    /// The stream the ends of this client's queries are announced on.
    var answersStream: String { submitter.map { config.keys.answers(user: $0) } ?? config.keys.answers }
    /// The read views (statuses, traces, nodes, the ledger, the matrix).
    public var inspector: Inspector { Inspector(db: db) }

    /// The id after which answers to queries submitted from now on will appear.
    public func answersCursor() async throws -> String {
        let r = try await redis.command("XREVRANGE", answersStream, "+", "-", "COUNT", "1")
        return r.array?.first?.array?.first?.string ?? "0-0"
    }

    /// Validates and enqueues one query; returns its id.
    @discardableResult
    public func submit(_ query: String, user: String, id: String = UUID().uuidString.lowercased(), critical: Bool = false) async throws -> String {
        try QueryJob.validate(query: query)
        try QueryJob.validate(id: id)
        if !user.isEmpty { try QueryJob.validate(user: user) }
        if let me = submitter, user != me, !user.isEmpty {
            throw Wire.DecodeError("these credentials submit as \(me), not \(user)")
        }
        let stream = submitter.map { config.keys.queries(user: $0) } ?? config.keys.queries
        let fields = Wire.fields(QueryJob(id: id, query: query, user: submitter ?? user, critical: critical ? true : nil))
        // Through a Redis restart or a cluster failover the submission is sent again, with the same id:
        // an entry that had arrived after all is one query (ingest records an id once).
        _ = try await Backoff(baseMilliseconds: 50, capMilliseconds: 1_000).retrying(until: .now + submitRetryWindow, { ($0 as? RedisError)?.isTransient == true }) {
            try await redis.xadd(stream, fields)
        }
        return id
    }

    /// How long a submission keeps trying through a Redis outage (a restart, a failover) before it fails.
    public var submitRetryWindow: Duration { .seconds(30) }

    public struct Progress: Sendable {
        public var id: String
        public var settled: Int
        public var subtasks: Int
        /// Whether any part has been answered yet (else it waits in a queue).
        public var started: Bool = false
    }

    /// Waits for the answers to `ids`, calling `onAnswer` as each arrives and `onProgress` about once
    /// a second. Reads the answers stream after `cursor`; falls back to PostgreSQL, the record of truth,
    /// so a trimmed stream or a query that ended before the call is still seen.
    /// Returns the ids still unanswered at the deadline. `checkFirst: false` skips the database look-up
    /// before the first read of the stream, for ids submitted just now (nothing older can answer them):
    /// it would run beside the ingest worker's first statements, slowing the very query waited for.
    public func waitForAnswers(_ ids: [String], after cursor: String, timeout: Duration, checkFirst: Bool = true,
                               onProgress: (@Sendable ([Progress]) -> Void)? = nil,
                               onAnswer: @Sendable (AnswerEvent) -> Void) async throws -> Set<String> {
        if submitter != nil { return try await waitForOwnAnswers(ids, after: cursor, timeout: timeout, onAnswer: onAnswer) }
        var waiting = Set(ids)
        var last = cursor
        let deadline = ContinuousClock.now + timeout
        var lastCheck = ContinuousClock.now - (checkFirst ? .seconds(3600) : .zero)
        var outage = 0
        let outageBackoff = Backoff(baseMilliseconds: 50, capMilliseconds: 1_000)
        while !waiting.isEmpty && ContinuousClock.now < deadline {
            do {
                // The database check catches answers the stream no longer holds; it looks up every waiting
                // id, so a big batch is checked less often (1 s per thousand waiting).
                if ContinuousClock.now - lastCheck >= .seconds(max(1, waiting.count / 1_000)) {
                    lastCheck = ContinuousClock.now
                    let (ended, progress) = try await stored(waiting)
                    for event in ended where waiting.remove(event.queryID) != nil { onAnswer(event) }
                    if !progress.isEmpty { onProgress?(progress) }
                    if waiting.isEmpty { break }
                }
                let remaining = deadline - ContinuousClock.now
                let block = max(1, min(1_000, Int(remaining.components.seconds * 1000)))
                let entries = try await redis.xread(streams: [config.keys.answers], afterIDs: [last], count: 500, blockMilliseconds: block)
                // Anyone who can write to the stream can write an event: one for a waited id is only a
                // hint, and the answer reported is the one PostgreSQL holds for the query (a forged
                // event for a running query is ignored).
                var hinted: [String] = []
                for e in entries {
                    last = e.id
                    guard let event = try? Wire.decode(AnswerEvent.self, v: e["v"], job: e["job"]) else { continue }
                    if waiting.contains(event.queryID) { hinted.append(event.queryID) }
                }
                if !hinted.isEmpty {
                    for event in try await finished(hinted) where waiting.remove(event.queryID) != nil { onAnswer(event) }
                }
                outage = 0
            } catch let e as RedisError where e.isTransient {
                // Redis restarting: keep waiting; PostgreSQL still answers for finished queries.
                outage += 1
                lastCheck = ContinuousClock.now - .seconds(10)
                try await outageBackoff.sleep(attempt: outage)
            } catch let e as PostgresError where e.isRetryable {
                outage += 1
                try await outageBackoff.sleep(attempt: outage)
            }
        }
        return waiting
    }

    /// The waited queries as PostgreSQL holds them: those that ended, and the progress of the others.
    func stored(_ waiting: Set<String>) async throws -> ([AnswerEvent], [Progress]) {
        let rows = try await db.query("""
            SELECT q.id, q.status, q.answer, q.error, q.subtask_count,
                   (SELECT count(*) FROM subtasks s WHERE s.query_id = q.id AND s.status NOT IN ('queued', 'waiting')) AS settled,
                   EXISTS (SELECT 1 FROM subtasks s JOIN attempts a ON a.subtask_id = s.id WHERE s.query_id = q.id) AS started
            FROM queries q WHERE q.id = ANY($1::text[])
            """, [PostgresArray.literal(Array(waiting))])
        var ended: [AnswerEvent] = [], progress: [Progress] = []
        for r in rows.records {
            let id: String = try r.decode("id")
            let state: QueryState = try r.decode("status")
            if state != .running {
                ended.append(AnswerEvent(queryID: id, status: state.rawValue, answer: try r.decode("answer", as: String?.self),
                                         error: try r.decode("error", as: String?.self)))
            } else {
                progress.append(Progress(id: id, settled: try r.decode("settled"), subtasks: try r.decode("subtask_count"),
                                         started: try r.decode("started")))
            }
        }
        return (ended, progress)
    }


    /// The queries of `ids` that have ended, as PostgreSQL records them.
    func finished(_ ids: [String]) async throws -> [AnswerEvent] {
        let rows = try await db.query("SELECT id, status, answer, error FROM queries WHERE id = ANY($1::text[]) AND status <> 'running'",
                                      [PostgresArray.literal(ids)])
        return rows.rows.compactMap { r in r[0].map { AnswerEvent(queryID: $0, status: r[1] ?? "failed", answer: r[2], error: r[3]) } }
    }

    // MARK: backlog

    public struct ConsumerInfo: Sendable, Codable {
        public var name: String
        public var pending: Int
        public var idleMilliseconds: Int
        enum CodingKeys: String, CodingKey { case name, pending, idleMilliseconds = "idle_ms" }
    }

    public struct GroupInfo: Sendable, Codable {
        public var name: String
        public var consumers: Int
        public var pending: Int
        public var lag: Int?
        public var lastDeliveredID: String
        /// How long the oldest unacknowledged entry has waited (Redis' clock), if any is pending.
        public var oldestPendingMilliseconds: Int?
        public var consumerDetails: [ConsumerInfo]
        enum CodingKeys: String, CodingKey {
            case name, consumers, pending, lag, lastDeliveredID = "last_delivered_id", consumerDetails = "consumer_details"
            case oldestPendingMilliseconds = "oldest_pending_ms"
        }
    }

    public struct StreamInfo: Sendable, Codable {
        public var stream: String
        /// The stream without its namespace ("tasks:math", "verify"), in either key layout.
        public var name: String?
        public var length: Int
        public var groups: [GroupInfo]
        /// A task stream of a type the operator paused (`ops pause`).
        public var paused: Bool?
        /// A task stream's kind (`instant` or a type) and, when the fleet partitions it, its partition.
        public var kind: String?
        public var partition: Int?
    }

    /// Per stream: length, and per group its consumers, pending count, lag and last-delivered id —
    /// straight from XLEN / XINFO GROUPS / XINFO CONSUMERS, so they agree with redis-cli.
    public func backlog() async throws -> [StreamInfo] {
        var out: [StreamInfo] = []
        let time = try await redis.command("TIME").array ?? []
        let nowMs = (Int(time.first?.string ?? "0") ?? 0) * 1000 + (Int(time.count > 1 ? time[1].string ?? "0" : "0") ?? 0) / 1000
        for stream in config.keys.allStreams {
            let length = try await redis.command("XLEN", stream).int ?? 0
            var groups: [GroupInfo] = []
            let exists = try await redis.command("EXISTS", stream).int ?? 0
            if exists == 1 {
                for g in try await redis.xinfoGroups(stream: stream) {
                    let details = try await redis.xinfoConsumers(stream: stream, group: g.name).map {
                        ConsumerInfo(name: $0.name, pending: $0.pending, idleMilliseconds: $0.idleMilliseconds)
                    }
                    var oldest: Int?
                    if g.pending > 0, let minID = try await redis.xpendingSummary(stream: stream, group: g.name).smallestID,
                       let ms = Int(minID.split(separator: "-").first ?? "") {
                        oldest = max(0, nowMs - ms)
                    }
                    groups.append(GroupInfo(name: g.name, consumers: g.consumers, pending: g.pending, lag: g.lag,
                                            lastDeliveredID: g.lastDeliveredID, oldestPendingMilliseconds: oldest, consumerDetails: details))
                }
            }
            let parts = config.keys.taskStreamParts(stream)
            out.append(StreamInfo(stream: stream, name: config.keys.short(stream), length: length, groups: groups, kind: parts?.kind, partition: parts?.partition))
        }
        return out
    }
}

// MARK: dead letters

extension FleetClient {
    public func deadLetters(count: Int) async throws -> [StreamEntry] {
        let r = try await redis.command("XRANGE", config.keys.dead, "-", "+", "COUNT", String(count))
        return (r.array ?? []).compactMap { try? RedisConnection.parseEntry(stream: config.keys.dead, $0) }
    }

    public func deadLetter(id: String) async throws -> StreamEntry? {
        let r = try await redis.command("XRANGE", config.keys.dead, id, id)
        return (r.array ?? []).compactMap { try? RedisConnection.parseEntry(stream: config.keys.dead, $0) }.first
    }

    /// XADDs the original fields back to their stream, then XDELs the dead letter. Returns the stream.
    public func replayDeadLetter(id: String) async throws -> String? {
        guard let e = try await deadLetter(id: id), let stream = e["stream"] else { return nil }
        if let cut = e["truncated"] {
            throw RedisError(.protocolShape, "dead letter \(id) keeps only part of its entry (\(cut)); it cannot be replayed")
        }
        guard stream.hasPrefix(config.namespace + ":") || config.keys.kind(ofTaskStream: stream) != nil else { throw RedisError(.protocolShape, "dead letter \(id) names a stream outside \(config.namespace): \(stream)") }
        let fields = e.fields.filter { $0.0.hasPrefix("orig_") }.map { (String($0.0.dropFirst(5)), $0.1) }
        guard !fields.isEmpty else { throw RedisError(.protocolShape, "dead letter \(id) has no original fields") }
        let replies = try await redis.pipeline([RedisConnection.xaddArgs(stream, fields), ["XDEL", config.keys.dead, id]])
        if case .error(let err) = replies[0] { throw RedisError(.server, err) }
        return stream
    }
}

// MARK: batches

extension FleetClient {
    public struct BatchResult: Sendable {
        public var queryID: String
        /// Refused before submission (empty, too large): the reason.
        public var refused: String?
        public var event: AnswerEvent?
        /// From submission to the answer, as the submitter saw it.
        public var seconds: Double?
    }

    /// Submits every query, waits for all answers until `timeout`, and returns one result per query in
    /// order. `onAnswer` is called with the number answered so far.
    public func runBatch(_ queries: [String], user: String, timeout: Duration, critical: Bool = false,
                         onAnswer: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> [BatchResult] {
        try await runBatch(queries, users: { _ in user }, timeout: timeout, critical: critical, onAnswer: onAnswer)
    }

    /// Where a batch stands: answered (or failed), running (a part answered), queued (the rest).
    public struct BatchProgress: Sendable, Equatable {
        public var done: Int
        public var running: Int
        public var queued: Int
    }

    /// The same, charging query i to `users(i)`; `onProgress` about once a second.
    public func runBatch(_ queries: [String], users: (Int) -> String, timeout: Duration, critical: Bool = false,
                         onProgress: (@Sendable (BatchProgress) -> Void)? = nil,
                         onAnswer: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> [BatchResult] {
        let cursor = try await answersCursor()
        let started = ContinuousClock.now
        var results: [BatchResult] = []
        for (i, q) in queries.enumerated() {
            let qid = UUID().uuidString.lowercased()
            do {
                try await submit(q, user: users(i), id: qid, critical: critical)
                results.append(BatchResult(queryID: qid))
            } catch let e as Wire.DecodeError {
                results.append(BatchResult(queryID: qid, refused: e.reason))
            }
        }
        let box = BatchBox()
        let waiting = results.filter { $0.refused == nil }.map(\.queryID)
        let total = waiting.count
        // Fresh ids: their answers can only come after the cursor.
        _ = try await waitForAnswers(waiting, after: cursor, timeout: timeout, checkFirst: false, onProgress: { running in
            let done = box.count
            let started = running.filter(\.started).count
            onProgress?(BatchProgress(done: done, running: started, queued: max(0, total - done - started)))
        }) { event in
            let n = box.add(event, seconds: (ContinuousClock.now - started).seconds)
            onAnswer(n, total)
        }
        let got = box.snapshot()
        return results.map { r in
            var r = r
            if let (e, s) = got[r.queryID] {
                r.event = e
                r.seconds = s
            }
            return r
        }
    }
}

/// Answers as they arrive, from the wait callback.
final class BatchBox: Sendable {
    private let events = Locked<[String: (AnswerEvent, Double)]>([:])
    func add(_ e: AnswerEvent, seconds: Double) -> Int {
        events.withLock {
            $0[e.queryID] = (e, seconds)
            return $0.count
        }
    }
    func snapshot() -> [String: (AnswerEvent, Double)] { events.value }
    var count: Int { events.withLock { $0.count } }
}

// MARK: a submitter's own answers

extension FleetClient {
    /// A submitter's wait: its own answers stream, which only the coordinator may write, holds the
    /// ends of its queries (it has no database to read them from).
    func waitForOwnAnswers(_ ids: [String], after cursor: String, timeout: Duration,
                           onAnswer: @Sendable (AnswerEvent) -> Void) async throws -> Set<String> {
        var waiting = Set(ids), last = cursor
        let deadline = ContinuousClock.now + timeout
        while !waiting.isEmpty && ContinuousClock.now < deadline {
            let block = max(1, min(1_000, Int((deadline - ContinuousClock.now).components.seconds * 1000)))
            for e in try await redis.xread(streams: [answersStream], afterIDs: [last], count: 500, blockMilliseconds: block) {
                last = e.id
                if let event = try? Wire.decode(AnswerEvent.self, v: e["v"], job: e["job"]), waiting.remove(event.queryID) != nil { onAnswer(event) }
            }
        }
        return waiting
    }

    /// The end of one of this submitter's queries, from its answers stream (the last 1,000), or nil.
    public func ownResult(queryID: String) async throws -> AnswerEvent? {
        try await ownEntry(queryID: queryID)?.event
    }

    /// The trace of one of this submitter's queries, as the synthesizer left it on its answers stream
    /// (queries that reached synthesis), or nil.
    public func ownTrace(queryID: String) async throws -> Inspector.Trace? {
        guard let text = try await ownEntry(queryID: queryID)?.entry["trace"] else { return nil }
        return try? JSONDecoder().decode(Inspector.Trace.self, from: Data(text.utf8))
    }

    func ownEntry(queryID: String) async throws -> (event: AnswerEvent, entry: StreamEntry)? {
        let r = try await redis.command("XREVRANGE", answersStream, "+", "-", "COUNT", "1000")
        for raw in r.array ?? [] {
            guard let e = try? RedisConnection.parseEntry(stream: answersStream, raw),
                  let event = try? Wire.decode(AnswerEvent.self, v: e["v"], job: e["job"]) else { continue }
            if event.queryID == queryID { return (event, e) }
        }
        return nil
    }
}
