import DellmCore
import DellmPostgres
import DellmRedis
import Foundation
import Logging

/// Tasks that are in no stream: a part PostgreSQL holds as `queued`, past the task deadline, with no
/// attempt recorded, whose task entry no stream still holds (undelivered, or pending with a lane). A
/// write lost in a Redis failover (asynchronous replication) leaves such a part; without this it would
/// wait for ever. Each is issued again from PostgreSQL; a task that turns out not to be lost is only
/// answered twice, and recorded once (attempts are recorded once per part and attempt). Only the
/// queries of this fleet's namespace are looked at (several may share a database).
struct LostTasks {
    let config: FleetConfig
    let directory = GenomeDirectory()

    static let candidatesSQL = """
        SELECT s.id, s.query_id, s.idx, s.type, s.text, n.attempt, CASE WHEN n.attempt = 1 THEN s.genome END AS genome
        FROM subtasks s JOIN queries q ON q.id = s.query_id
        CROSS JOIN LATERAL generate_series(1, greatest(s.attempts, 1)) AS n(attempt)
        WHERE s.status = 'queued' AND q.status = 'running' AND q.namespace = $2 AND s.updated_at < now() - make_interval(secs => $1::float8)
          AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.subtask_id = s.id AND a.attempt = n.attempt)
          AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.subtask_id = s.id AND v.attempt = n.attempt)
        ORDER BY s.updated_at LIMIT 100
        """

    /// Issues the lost tasks again; returns how many.
    func resend(redis: RedisConnection, store: Store, logger: Logger) async throws -> Int {
        let candidates = try await store.db.query(Self.candidatesSQL, [String(Double(config.taskDeadlineMilliseconds) / 1000), config.namespace]).records.map {
            TaskJob(queryID: try $0.decode("query_id"), subtaskID: try $0.decode("id"), index: try $0.decode("idx"),
                    type: try $0.decode("type"), text: try $0.decode("text"), attempt: try $0.decode("attempt"),
                    genome: try $0.decode("genome", as: String?.self),
                    budget: SelfConsistency.share(of: config.queryTokens, parts: 1))
        }
        guard !candidates.isEmpty else { return 0 }
        let held = try await tasksInStreams(redis: redis)
        let lost = candidates.filter { !held.contains("\($0.subtaskID)#\($0.attempt)") }
        guard !lost.isEmpty else { return 0 }
        let issued = await directory.issue(lost, keys: config.keys, store: store, logger: logger)
        _ = try await redis.pipeline(issued.map { RedisConnection.xaddArgs(config.keys.stream(for: $0), Wire.fields($0)) })
        logger.warning("issued again tasks that no stream held (lost in a failover?)", metadata: [
            "count": "\(issued.count)", "subtasks": "\(issued.map(\.subtaskID).joined(separator: ","))",
        ])
        return issued.count
    }

    static func range(_ redis: RedisConnection, _ stream: String, from: String, to: String, count: Int) async throws -> [StreamEntry] {
        let r = try await redis.command("XRANGE", stream, from, to, "COUNT", String(count))
        return try (r.array ?? []).compactMap { try RedisConnection.parseEntry(stream: stream, $0) }
    }

    /// "subtask#attempt" of every task a stream still holds: entries not yet delivered to the
    /// specialists' group, and entries a lane holds (pending).
    func tasksInStreams(redis: RedisConnection) async throws -> Set<String> {
        var out = Set<String>()
        for stream in config.keys.taskStreams {
            guard try await redis.command("EXISTS", stream).int == 1 else { continue }
            let group = try? await redis.xinfoGroups(stream: stream).first { $0.name == TaskSweeper.group }
            var entries = try await Self.range(redis, stream, from: group.map { "(" + $0.lastDeliveredID } ?? "-", to: "+", count: 10_000)
            if let group, group.pending > 0 {
                // The pending entries, read in one round trip (not one XRANGE each).
                let ids = try await redis.xpending(stream: stream, group: TaskSweeper.group, count: 10_000).map(\.id)
                for reply in try await redis.pipeline(ids.map { ["XRANGE", stream, $0, $0] }) {
                    entries += try (reply.array ?? []).compactMap { try RedisConnection.parseEntry(stream: stream, $0) }
                }
            }
            for e in entries {
                if let job = try? Wire.decode(TaskJob.self, v: e["v"], job: e["job"]) { out.insert("\(job.subtaskID)#\(job.attempt)") }
            }
        }
        return out
    }
}
