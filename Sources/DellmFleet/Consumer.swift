import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging

/// An entry to append to a stream once a job's effects are committed.
public struct Emit: Sendable {
    public var stream: String
    public var fields: [(String, String)]
    public var maxLengthApprox: Int?

    public init(stream: String, fields: [(String, String)], maxLengthApprox: Int? = nil) {
        self.stream = stream
        self.fields = fields
        self.maxLengthApprox = maxLengthApprox
    }

    public init<J: Encodable>(_ stream: String, _ job: J, maxLengthApprox: Int? = nil) {
        self.init(stream: stream, fields: Wire.fields(job), maxLengthApprox: maxLengthApprox)
    }
}

/// A job that can never succeed (malformed, unknown version, bad input): it goes to the dead-letter
/// stream with `reason`, and `emits` (such as the query's failure announcement) go out with it.
public struct Poison: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var emits: [Emit]
    public init(_ reason: String, emits: [Emit] = []) {
        self.reason = reason
        self.emits = emits
    }
    public var description: String { reason }
}

/// What one role does with one entry. The consumer loop owns reading, acknowledging and dead letters.
public protocol Role: Sendable {
    /// `ingest`, `specialist`, … — also the consumer group name.
    var name: String { get }
    var streams: [String] { get }
    /// Commits the entry's effects and returns what to append downstream. Throwing `Poison` dead-letters
    /// the entry; any other error leaves it pending, to be retried.
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit]
}

/// What a handler may use: its lane's own connections.
public struct LaneContext: Sendable {
    public var store: Store
    public var logger: Logger
    public var consumer: String
}

/// The one consumer loop every role runs, once per lane (`--concurrency N` gives N lanes, each with
/// its own Redis and PostgreSQL connection).
///
/// Delivery: at least once. It first re-reads its own pending entries (id `0`), then new ones (`>`);
/// it takes over entries a dead consumer left pending (XAUTOCLAIM); it acknowledges an entry only after
/// the handler committed its effects, in the same round trip as the downstream XADDs.
public struct ConsumerLoop: Sendable {
    public var role: any Role
    public var config: FleetConfig
    public var consumer: String
    public var logger: Logger
    public var batch: Int = 16

    public init(role: any Role, config: FleetConfig, consumer: String, logger: Logger) {
        self.role = role
        self.config = config
        self.consumer = consumer
        self.logger = logger
    }

    public func run(redis: RedisConnection, db: PostgresConnection) async {
        let context = LaneContext(store: Store(db: db), logger: logger, consumer: consumer)
        let backoff = Backoff()
        var failures = 0
        var readPending = true
        var lastClaim = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            do {
                if failures == 0 || readPending {
                    for s in role.streams { try await redis.ensureGroup(stream: s, group: role.name) }
                }
                var entries: [StreamEntry] = []
                if ContinuousClock.now - lastClaim > .milliseconds(max(1_000, config.claimMinIdleMilliseconds / 4)) {
                    lastClaim = ContinuousClock.now
                    for s in role.streams {
                        let claimed = try await redis.xautoclaim(stream: s, group: role.name, consumer: consumer,
                                                                 minIdleMilliseconds: config.claimMinIdleMilliseconds, count: batch)
                        if !claimed.entries.isEmpty {
                            logger.warning("reclaimed entries left by a stopped consumer", metadata: ["stream": "\(s)", "count": "\(claimed.entries.count)"])
                        }
                        entries += claimed.entries
                    }
                }
                if entries.isEmpty {
                    entries = try await redis.xreadgroup(group: role.name, consumer: consumer, streams: role.streams,
                                                         id: readPending ? "0" : ">", count: batch,
                                                         blockMilliseconds: readPending ? nil : config.blockMilliseconds)
                    if readPending && entries.isEmpty { readPending = false; continue }
                }
                for entry in entries {
                    if Task.isCancelled { break }
                    try await process(entry, redis: redis, context: context)
                }
                failures = 0
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                readPending = true // whatever was in flight is still pending: read it again
                logger.error("\(role.name) lane paused after an error; retrying", metadata: [
                    "error": "\(error)", "attempt": "\(failures)",
                ])
                try? await backoff.sleep(attempt: failures)
            }
        }
    }

    func process(_ entry: StreamEntry, redis: RedisConnection, context: LaneContext) async throws {
        var emits: [Emit]
        var dead: (reason: String, emits: [Emit])?
        if entry.fields.isEmpty {
            // The entry was trimmed away while pending: nothing to do but acknowledge it.
            emits = []
        } else {
            do {
                emits = try await role.handle(entry, context: context)
            } catch let p as Poison {
                emits = []
                dead = (p.reason, p.emits)
            }
        }
        var commands: [[String]] = emits.map { RedisConnection.xaddArgs($0.stream, $0.fields, maxLengthApprox: $0.maxLengthApprox) }
        if let dead {
            logger.warning("dead-lettered an entry", metadata: ["stream": "\(entry.stream)", "id": "\(entry.id)", "reason": "\(dead.reason)"])
            commands += dead.emits.map { RedisConnection.xaddArgs($0.stream, $0.fields, maxLengthApprox: $0.maxLengthApprox) }
            var fields: [(String, String)] = [("reason", dead.reason), ("stream", entry.stream), ("id", entry.id),
                                              ("group", role.name), ("consumer", consumer)]
            fields += entry.fields.map { ("orig_" + $0.0, $0.1) }
            commands.append(RedisConnection.xaddArgs(config.keys.dead, fields, maxLengthApprox: config.followStreamMaxLength))
        }
        // XADDs first, XACK last, one round trip: an entry is never acknowledged before what it produced exists.
        commands.append(["XACK", entry.stream, role.name, entry.id])
        let replies = try await redis.pipeline(commands)
        if let failed = replies.enumerated().first(where: { if case .error = $0.element { return true } else { return false } }) {
            throw RedisError(.server, "\(commands[failed.offset][0]) failed: \(failed.element)")
        }
    }
}
