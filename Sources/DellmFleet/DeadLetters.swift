import DellmCore
import DellmPostgres
import DellmRedis
import Foundation

/// What a dead letter keeps of its entry, and which query it may fail.
enum DeadLetters {
    /// A dead letter keeps at most this much of each original field (a 10 MB job is not copied whole).
    static let maxField = Wire.maxQueryBytes + 4_096
    static let maxReason = 2_000

    /// The original fields as `orig_<name>`, each cut to `maxField` bytes; a cut field is named in
    /// `truncated` (its original size), and such a dead letter cannot be replayed.
    static func originalFields(_ fields: [(String, String)]) -> [(String, String)] {
        var out: [(String, String)] = []
        var cut: [String] = []
        for (name, value) in fields.prefix(32) {
            if value.utf8.count > maxField {
                out.append(("orig_" + String(name.prefix(64)), String(decoding: value.utf8.prefix(maxField), as: UTF8.self)))
                cut.append("\(name.prefix(64)):\(value.utf8.count)")
            } else {
                out.append(("orig_" + String(name.prefix(64)), value))
            }
        }
        if fields.count > 32 { cut.append("fields:\(fields.count)") }
        if !cut.isEmpty { out.append(("truncated", cut.joined(separator: ","))) }
        return out
    }

    /// What a dead entry can prove it belongs to, read with the same strict decoders the roles use. A
    /// job that does not decode belongs to nothing: it is dead-lettered and fails no query.
    enum Reference: Equatable {
        /// A query entry: it may fail its own query only (a new id, or the same text and user).
        case query(QueryJob)
        /// A task entry: it may fail its query only if it is a task the coordinator issued (its open
        /// subtask, type, text, and an attempt asked for).
        case task(TaskJob)
        /// A verify entry: it may fail its query only if the attempt it names was recorded.
        case verify(VerifyJob)
        /// A synthesize entry: it may fail its query only once every part is settled.
        case synthesis(queryID: String)
    }

    static func reference(_ entry: StreamEntry, keys: Keys) -> Reference? {
        let v = entry["v"], job = entry["job"]
        if let owner = keys.user(ofQueries: entry.stream) {
            // A submitter's own stream: the query is theirs, whoever it names.
            guard case .query(var q)? = reference(StreamEntry(stream: keys.queries, id: entry.id, fields: entry.fields), keys: keys) else { return nil }
            q.user = owner
            return .query(q)
        }
        if entry.stream == keys.queries {
            if let q = try? Wire.decode(QueryJob.self, v: v, job: job) { return .query(q) }
            // A job that does not decode but names a valid id (and perhaps a valid user): that id ends
            // failed, if it is new. Its text is unknown (empty), which no stored query has, so an
            // existing query of that id is never touched.
            guard let job, job.utf8.count <= Wire.maxJobBytes, let f = try? JSONFields(job), let id = try? f.string("id"), (try? QueryJob.validate(id: id)) != nil else { return nil }
            let user = (try? f.optionalString("user")).flatMap { $0 }.flatMap { (try? QueryJob.validate(user: $0)) != nil ? $0 : nil }
            return .query(QueryJob(id: id, query: "", user: user))
        }
        if entry.stream == keys.verify {
            guard let j = try? Wire.decode(VerifyJob.self, v: v, job: job) else { return nil }
            return .verify(j)
        }
        if entry.stream == keys.synthesize {
            guard let j = try? Wire.decode(SynthesizeJob.self, v: v, job: job) else { return nil }
            return .synthesis(queryID: j.queryID)
        }
        if keys.kind(ofTaskStream: entry.stream) != nil {
            guard let j = try? Wire.decode(TaskJob.self, v: v, job: job) else { return nil }
            return .task(j)
        }
        return nil
    }
}

extension ConsumerLoop {
    /// Moves an entry to the dead-letter stream (XADD before XACK) and ends the query it provably
    /// belongs to as failed. The dead letter never depends on that: if the query cannot be failed
    /// (a bad row, a constraint), the entry is dead-lettered and acknowledged all the same; only an
    /// unreachable PostgreSQL leaves it to be tried again.
    func deadLetter(_ entry: StreamEntry, reason: String, redis: RedisConnection, context: LaneContext, outbox: inout Outbox) async throws {
        var emits: [Emit] = []
        if role.handsIn == nil, let event = try await failOwnQuery(entry, reason: String(reason.prefix(DeadLetters.maxReason)), store: context.store) {
            emits += announce(event, config)
        }
        stage(entry, emits: [], dead: (reason, emits), into: &outbox)
        try await outbox.flush(redis)
    }

    func deadLetter(_ entry: StreamEntry, reason: String, redis: RedisConnection, context: LaneContext) async throws {
        var outbox = Outbox()
        try await deadLetter(entry, reason: reason, redis: redis, context: context, outbox: &outbox)
    }

    /// The failure to announce, when the entry's query was failed by it.
    func failOwnQuery(_ entry: StreamEntry, reason: String, store: Store) async throws -> AnswerEvent? {
        guard let ref = DeadLetters.reference(entry, keys: config.keys) else { return nil }
        do {
            switch ref {
            case .query(let q):
                return try await store.failQuery(id: q.id, user: q.user, text: q.query, reason: reason)
            case .task(let t):
                return try await store.failQuery(issued: t, reason: reason)
            case .verify(let j):
                return try await store.failQuery(recorded: j, reason: reason)
            case .synthesis(let queryID):
                return try await store.failSettledQuery(id: queryID, reason: reason)
            }
        } catch let e as PostgresError where e.kind == .connection {
            throw e
        } catch {
            logger.error("the dead entry's query could not be marked failed; the entry is dead-lettered all the same",
                         metadata: ["stream": "\(entry.stream)", "id": "\(entry.id)", "error": "\(error)"])
            return nil
        }
    }
}
