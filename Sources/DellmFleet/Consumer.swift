import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging
import Metrics

/// An entry to append to a stream once a job's effects are committed (or, `ack`, an entry of another
/// stream to acknowledge: the recorder's acknowledgement of a node's task).
public struct Emit: Sendable {
    public var stream: String
    public var fields: [(String, String)]
    public var maxLengthApprox: Int?
    /// The command to send instead of an XADD.
    var command: [String]?

    /// Acknowledges `id` of `stream` for `group`, with the job's other effects.
    public static func ack(_ stream: String, group: String, id: String) -> Emit {
        var e = Emit(stream: stream, fields: [])
        e.command = ["XACK", stream, group, id]
        return e
    }

    var args: [String] { command ?? RedisConnection.xaddArgs(stream, fields, maxLengthApprox: maxLengthApprox) }

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

/// Thrown by a handler to have its entry handled again after `wait`, the lane going on meanwhile; no
/// failure is counted (a recorder puts a declined task back only after a pause).
public struct NotYet: Error, Sendable {
    public var wait: Duration
    public init(wait: Duration) { self.wait = wait }
}

/// What one role does with one entry. The consumer loop owns reading, acknowledging and dead letters.
public protocol Role: Sendable {
    /// `ingest`, `specialist`, … — also the consumer group name.
    var name: String { get }
    var streams: [String] { get }
    /// Commits the entry's effects and returns what to append downstream. Throwing `Poison` dead-letters
    /// the entry; any other error leaves it pending, to be retried.
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit]
    /// Called by each lane before it reads (a recorder brings its list of node streams up to date).
    func refresh(context: LaneContext) async throws
    /// Called about every 30 s while the worker runs (nodes record their uptime).
    func heartbeat(store: Store) async throws
    /// Whether a job may take longer than the claim idle time (a model call): such a job re-claims its
    /// entry while it runs. Quick roles skip that, and the task it costs.
    var jobsMayRunLong: Bool { get }
    /// A node's own stream, where it hands in its work and the entries it could not read; nil for the
    /// coordinator's roles. A node holds no database credential and may write no other key: it does not
    /// acknowledge its entries (the recorder does, once the work is recorded), claims no one else's
    /// (the coordinator reissues work a node did not return) and fails no query itself.
    var handsIn: String? { get }
    /// Called about every 30 s by a node (it has no database): say it is up, on its own stream.
    func heartbeat(redis: RedisConnection) async throws
}

extension Role {
    public func heartbeat(store: Store) async throws {}
    public func heartbeat(redis: RedisConnection) async throws {}
    public func refresh(context: LaneContext) async throws {}
    public var jobsMayRunLong: Bool { false }
    public var handsIn: String? { nil }
}

/// What a handler may use: its lane's own connections (a node's lane never opens its PostgreSQL one).
public struct LaneContext: Sendable {
    public var store: Store
    public var redis: RedisConnection
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
    /// The loop's metric handles, made once per label set instead of per job.
    let metrics = LoopMetrics()
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
        let context = LaneContext(store: Store(db: db, grant: config.grant, queryTokens: config.queryTokens), redis: redis, logger: logger,
                                  consumer: consumer)
        // The lane marks its consumer alive, and keeps every entry it holds claimed (see `keepAlive`).
        let keeper = ClaimKeeper([])
        let keeping = keepAlive(keeper, redis: redis)
        defer { keeping.cancel() }
        let backoff = Backoff()
        var lane = LaneState(retries: RetryQueue(backoff: backoff))
        while !Task.isCancelled {
            do {
                try await role.refresh(context: context)
                try await prepareGroups(&lane, redis: redis)
                if lane.local.isEmpty { lane.local = lane.retries.takeDue() }
                if lane.local.isEmpty {
                    if try await takeRedelivered(&lane, redis: redis, context: context) { continue }
                    // Wait no longer than the next retry is due.
                    let block = lane.retries.millisecondsUntilDue.map { max(1, min($0, config.blockMilliseconds)) } ?? config.blockMilliseconds
                    lane.local = try await readNew(redis: redis, blockMilliseconds: block, sweep: !lane.idle)
                    lane.idle = lane.local.isEmpty
                }
                try await handleBatch(&lane, redis: redis, context: context, keeper: keeper)
                lane.failures = 0
            } catch is CancellationError {
                break
            } catch {
                await pause(after: error, &lane, backoff: backoff)
            }
        }
    }

    /// What one lane holds between reads.
    struct LaneState {
        /// Outages (Redis or PostgreSQL unreachable) in a row: the lane's own backoff.
        var failures = 0
        var readPending = true
        /// The last read found nothing: the next blocks at once (no first-entry sweep of empty streams).
        var idle = false
        /// Where the re-read of this consumer's own pending entries has got to, per stream: each is taken
        /// once per re-read (a node's entries stay pending until the recorder acknowledges them, so
        /// re-reading from the start would hand it the same entry again and again).
        var pendingAfter: [String: String] = [:]
        /// The streams whose group is known to exist (a recorder's streams grow as nodes join).
        var prepared: Set<String> = []
        var lastClaim = ContinuousClock.now - .seconds(3600)
        /// Entries read but not finished. An entry interrupted by an outage stays here and is retried from
        /// memory, so an outage does not inflate its delivery count in Redis.
        var local: [StreamEntry] = []
        /// Entries whose handler failed, each with its own failure count and the time of its next try: a
        /// failing entry waits aside while the lane goes on with the others (it never stalls the lane).
        var retries: RetryQueue
        /// Downstream XADDs and XACKs of committed entries, sent together in one round trip.
        var outbox = Outbox()

        /// Forgets everything held in memory (committed entries whose XADDs and XACKs were not sent, and
        /// entries not yet handled): all are still pending, and are re-read from the start of the pending
        /// list. Not from where an earlier re-read had got to: the entries that re-read handed out would
        /// be skipped, and stay pending under a live consumer for ever (the PostgreSQL-restart fault lost
        /// 3–20 queries of 200 so: a second outage during the re-read after the first).
        mutating func rereadPending(backoff: Backoff) {
            outbox = Outbox()
            local = []
            retries = RetryQueue(backoff: backoff)
            readPending = true
            pendingAfter = [:]
        }
    }

    /// The role's groups exist (after a reconnect, again), and stopped consumers are forgotten.
    func prepareGroups(_ lane: inout LaneState, redis: RedisConnection) async throws {
        for s in role.streams where !lane.prepared.contains(s) {
            try await redis.ensureGroup(stream: s, group: role.name)
            if role.handsIn == nil { try await forgetStaleConsumers(stream: s, redis: redis) }
            lane.prepared.insert(s)
        }
    }

    /// Entries to handle again: those of consumers that are gone (checked once a heartbeat), then the
    /// lane's own pending ones (once, at start and after an outage). An entry delivered too often without
    /// an acknowledgement crashes its handler: it is dead-lettered instead. True when any were found.
    func takeRedelivered(_ lane: inout LaneState, redis: RedisConnection, context: LaneContext) async throws -> Bool {
        var redelivered: [StreamEntry] = []
        if role.handsIn == nil, ContinuousClock.now - lane.lastClaim > .milliseconds(config.consumerHeartbeatMilliseconds) {
            lane.lastClaim = ContinuousClock.now
            let retries = lane.retries
            // A lane about to re-read all its pending entries has none it lost track of.
            let held = lane.readPending ? nil : Set(retries.waiting.map(\.id))
            redelivered += try await reclaim(redis: redis, holding: held).filter { !retries.holds($0.id) }
        }
        if redelivered.isEmpty && lane.readPending && !role.streams.isEmpty {
            let streams = role.streams
            let got = try await redis.xreadgroup(group: role.name, consumer: consumer, streams: streams,
                                                 ids: streams.map { lane.pendingAfter[$0] ?? "0" }, count: readCount, blockMilliseconds: nil)
            for e in got { lane.pendingAfter[e.stream] = e.id }
            if got.isEmpty {
                lane.readPending = false
                lane.pendingAfter = [:]
            }
            // Entries waiting aside are pending too: the re-read must not take them twice.
            let retries = lane.retries
            redelivered = got.filter { !retries.holds($0.id) }
        }
        guard !redelivered.isEmpty else { return false }
        for i in redelivered.indices { redelivered[i].redelivered = true }
        let counts = try await deliveryCounts(redelivered, redis: redis)
        for e in redelivered {
            if let n = counts[e.id], n > config.maxDeliveries {
                try await deadLetter(e, reason: "delivered \(n) times without being acknowledged (a worker dies handling it)",
                                     redis: redis, context: context)
            } else {
                lane.local.append(e)
            }
        }
        return true
    }

    /// Handles the entries read, one at a time; a failing one waits aside (or is dead-lettered after
    /// `maxDeliveries` failures) while the lane goes on. Results are flushed when the batch is done, or
    /// when fast handlers have held them for 2 ms: few round trips under load, no waiting downstream
    /// when jobs are slow.
    func handleBatch(_ lane: inout LaneState, redis: RedisConnection, context: LaneContext, keeper: ClaimKeeper) async throws {
        while var entry = lane.local.first, !Task.isCancelled {
            keeper.value = (lane.local + lane.retries.waiting).map { ($0.stream, $0.id) }
            let failed = lane.retries.failures(of: entry.id)
            // Retried after a failure: its effects may be committed already.
            if failed > 0 { entry.redelivered = true }
            do {
                try await process(entry, redis: redis, context: context, keeper: keeper, outbox: &lane.outbox)
                lane.retries.forget(entry.id)
            } catch let later as NotYet {
                // Waits aside while the lane goes on (a handler that slept would hold up every entry behind it).
                lane.retries.add(entry, after: later.wait)
            } catch where !isTransient(error) {
                let n = failed + 1
                if n >= config.maxDeliveries {
                    lane.retries.forget(entry.id)
                    count("failed", entry.stream)
                    try await deadLetter(entry, reason: "failed \(n) times; last error: \(error)", redis: redis, context: context, outbox: &lane.outbox)
                } else {
                    logger.warning("\(role.name) job failed; it is retried later, the lane goes on", metadata: [
                        "stream": "\(entry.stream)", "id": "\(entry.id)", "error": "\(error)", "failures": "\(n)",
                    ])
                    lane.retries.add(entry, failures: n)
                }
            }
            lane.local.removeFirst()
            if lane.local.isEmpty || lane.outbox.age > .milliseconds(2) { try await lane.outbox.flush(redis) }
        }
        try await lane.outbox.flush(redis)
        keeper.value = lane.retries.waiting.map { ($0.stream, $0.id) }
    }

    /// After an outage or a failed round trip the lane waits its backoff. What it holds stays: the
    /// entry that failed and those after it are handled again from memory, and the outbox of committed
    /// entries goes out with theirs (so an outage of PostgreSQL neither re-reads nor re-counts a
    /// delivery). Only an outbox that failed while being sent is in doubt (Redis may have applied part
    /// of it): then everything held is forgotten and re-read from pending (a redelivery changes nothing),
    /// and the entries it acknowledged although an XADD was refused are handled again from memory.
    func pause(after error: Error, _ lane: inout LaneState, backoff: Backoff) async {
        lane.failures += 1
        let cause = (error as? Outbox.SendFailed)?.error ?? error
        if let e = cause as? RedisError, e.kind == .connection { lane.prepared = [] }
        if let failed = error as? Outbox.SendFailed {
            lane.rereadPending(backoff: backoff)
            // Acknowledged, but what they produced was refused: handled again from memory (a redelivery
            // changes nothing and sends it again).
            lane.local = failed.acknowledged
        }
        // A transient error (a failover, a slot that moved, Redis restarting) is a warning until it lasts.
        let level: Logger.Level = isTransient(error) && lane.failures < 5 ? .warning : .error
        logger.log(level: level, "\(role.name) lane paused after an error; retrying", metadata: [
            "error": "\(error)", "attempt": "\(lane.failures)", "transient": "\(isTransient(error))",
        ])
        try? await backoff.sleep(attempt: lane.failures)
    }

    /// Removes consumers that hold nothing and have been idle for an hour (stopped workers), so the
    /// backlog shows the live ones. A consumer with pending entries is never removed.
    func forgetStaleConsumers(stream: String, redis: RedisConnection) async throws {
        for c in try await redis.xinfoConsumers(stream: stream, group: role.name)
        where c.name != consumer && c.pending == 0 && c.idleMilliseconds > 3_600_000 {
            try await redis.command("XGROUP", "DELCONSUMER", stream, role.name, c.name)
        }
    }

    func isTransient(_ error: Error) -> Bool {
        if let e = error as? Outbox.SendFailed { return isTransient(e.error) }
        if let e = error as? RedisError { return e.isTransient }
        if let e = error as? PostgresError { return e.isRetryable }
        return false
    }

    /// Delivery counts of entries in this group's pending list, from XPENDING (one call per stream).
    func deliveryCounts(_ entries: [StreamEntry], redis: RedisConnection) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (stream, group) in Dictionary(grouping: entries, by: \.stream) {
            let ids = group.map(\.id).sorted { StreamID($0) < StreamID($1) }
            guard let first = ids.first, let last = ids.last else { continue }
            for p in try await redis.xpending(stream: stream, group: role.name, start: first, end: last, count: max(ids.count, batch) * 4) {
                out[p.id] = p.deliveries
            }
        }
        return out
    }

    /// The task type of a stream (`…:tasks:math` → math), else the role.
    func kind(of stream: String) -> String {
        metrics.kind(of: stream, role: role.name)
    }

    func count(_ outcome: String, _ stream: String, by n: Int = 1) {
        metrics.counter(role: role.name, type: kind(of: stream), outcome: outcome).increment(by: n)
    }

    func process(_ entry: StreamEntry, redis: RedisConnection, context: LaneContext, keeper: ClaimKeeper, outbox: inout Outbox) async throws {
        var emits: [Emit] = []
        var dead: (reason: String, emits: [Emit])?
        let inflight = metrics.inflight(role: role.name)
        inflight.increment()
        defer { inflight.decrement() }
        let started = ContinuousClock.now
        // An entry trimmed away while pending has no fields: nothing to do but acknowledge it.
        if !entry.fields.isEmpty {
            do {
                do { emits = try await role.handle(entry, context: context) } catch let bad as PostgresDecodingError {
                    // A row this job read is not what the schema promises (planted, or written by hand):
                    // retrying reads it again, so the job fails with the column named, and the lane goes on.
                    throw Poison("a stored row could not be read: \(bad)")
                }
            } catch let p as Poison {
                // A role that did not end the entry's query itself: it ends failed if the entry provably
                // belongs to it (see `failOwnQuery`), else nothing but the entry is touched.
                var emits = p.emits
                if emits.isEmpty, role.handsIn == nil, let event = try await failOwnQuery(entry, reason: String(p.reason.prefix(DeadLetters.maxReason)), store: context.store) {
                    emits = announce(event, config)
                }
                dead = (p.reason, emits)
            } catch let later as NotYet {
                throw later
            } catch {
                count("retried", entry.stream)
                throw error
            }
        }
        stage(entry, emits: emits, dead: dead, into: &outbox)
        metrics.timer(role: role.name, type: kind(of: entry.stream)).recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        count(dead == nil ? "done" : "dead", entry.stream)
    }

    /// How many entries one read takes: a lane whose jobs may run long (a model call) takes one at a
    /// time, so it never holds work it is not doing while a sibling lane is idle; quick roles take a batch.
    var readCount: Int { role.jobsMayRunLong ? 1 : batch }

    /// New entries. A lane of long jobs reads its streams one at a time, in a rotating order, without
    /// blocking (one entry, from the stream whose turn it is), bulk-tier streams only when the others
    /// are empty, and blocks on all of them only when all are empty: XREADGROUP's COUNT is per stream,
    /// so one read of ten streams could hand it ten.
    /// `sweep: false` (the last read found nothing) skips the first-entry script and blocks at once:
    /// an idle lane of many streams then costs one blocking read per `DELLM_BLOCK_MS`, not a script
    /// per stream besides.
    func readNew(redis: RedisConnection, blockMilliseconds: Int, sweep: Bool = true) async throws -> [StreamEntry] {
        let streams = role.streams
        if streams.isEmpty { // a recorder before any node joined
            try await Task.sleep(for: .milliseconds(blockMilliseconds))
            return []
        }
        guard role.jobsMayRunLong, streams.count > 1, sweep else {
            return try await redis.xreadgroup(group: role.name, consumer: consumer, streams: streams, id: ">", count: readCount,
                                              blockMilliseconds: blockMilliseconds)
        }
        // The first tier, then the bulk tier (`Admission`): each in a rotating order, tried in one round
        // trip by a script (XREADGROUP without BLOCK is allowed in scripts).
        var tiers: [[String]] = []
        for tier in [streams.filter { !$0.hasSuffix(":bulk") }, streams.filter { $0.hasSuffix(":bulk") }] where !tier.isEmpty {
            let start = Int.random(in: 0..<tier.count)
            tiers.append((0..<tier.count).map { tier[(start + $0) % tier.count] })
        }
        guard redis.configuration.cluster else {
            let order = tiers.flatMap { $0 }
            let reply = try await redis.command(["EVAL", ConsumerLoop.firstEntryScript, String(order.count)] + order + [role.name, consumer])
            let got = try RedisConnection.parseStreams(reply)
            return got.isEmpty ? try await redis.xreadgroup(group: role.name, consumer: consumer, streams: streams, id: ">", count: 1,
                                                            blockMilliseconds: blockMilliseconds) : got
        }
        let got = try await sweepByMaster(tiers, redis: redis)
        return got.isEmpty ? try await redis.xreadgroup(group: role.name, consumer: consumer, streams: streams, id: ">", count: 1,
                                                        blockMilliseconds: blockMilliseconds) : got
    }

    /// On a cluster: the first entry of the tiers' streams, with one script per master and tier (its
    /// streams of several slots, `allow-cross-slot-keys`), the masters in the rotated order of their
    /// first stream; a master that refuses (a slot moving) is swept slot by slot.
    func sweepByMaster(_ tiers: [[String]], redis: RedisConnection) async throws -> [StreamEntry] {
        for tier in tiers {
            for group in try await redis.groupedByMaster(tier) {
                let reply = try await redis.pipeline([["EVAL", ConsumerLoop.nodeFirstEntryScript, "1", group[0], role.name, consumer] + group.dropFirst()])[0]
                if case .error = reply {
                    for run in ClusterSlots.runs(group) {
                        let got = try RedisConnection.parseStreams(
                            try await redis.command(["EVAL", ConsumerLoop.firstEntryScript, String(run.count)] + run + [role.name, consumer]))
                        if !got.isEmpty { return got }
                    }
                    continue
                }
                let got = try RedisConnection.parseStreams(reply)
                if !got.isEmpty { return got }
            }
        }
        return []
    }

    /// The same for streams of several slots on one cluster master: the first stream is the declared key
    /// (it routes the script), the others follow the group and consumer in ARGV.
    static let nodeFirstEntryScript = """
        #!lua flags=allow-cross-slot-keys
        local keys = {KEYS[1]}
        for i = 3, #ARGV do keys[#keys + 1] = ARGV[i] end
        for _, key in ipairs(keys) do
          local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', key, '>')
          if r then return r end
        end
        return false
        """

    /// One entry from the first of KEYS that has one for this group and consumer (ARGV), as XREADGROUP
    /// replies, or nil.
    static let firstEntryScript = """
        for _, key in ipairs(KEYS) do
          local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', key, '>')
          if r then return r end
        end
        return false
        """

    /// The lane's heartbeat: every `DELLM_CONSUMER_HEARTBEAT_MS` it marks its consumer alive (a key that
    /// lives three beats), and, for roles whose jobs may run long, re-claims every entry it holds
    /// (XCLAIM JUSTID resets the idle time without counting a delivery), so `ops backlog` shows live
    /// work as live. One task per lane, not a timer per job.
    func keepAlive(_ keeper: ClaimKeeper, redis: RedisConnection) -> Task<Void, Never> {
        let interval = config.consumerHeartbeatMilliseconds
        let key = config.keys.alive(group: role.name, consumer: consumer)
        let group = role.name, consumer = self.consumer, long = role.jobsMayRunLong && role.handsIn == nil
        return Task {
            while !Task.isCancelled {
                var commands = [["SET", key, "1", "PX", String(3 * interval)]]
                if long {
                    for (stream, held) in Dictionary(grouping: keeper.value, by: \.stream) {
                        commands.append(["XCLAIM", stream, group, consumer, "0"] + held.map(\.id) + ["JUSTID"])
                    }
                }
                _ = try? await redis.pipeline(commands)
                try? await Task.sleep(for: .milliseconds(interval))
            }
        }
    }

    /// Takes over the pending entries of consumers that are gone: no liveness mark for three heartbeats.
    /// A live consumer's entries are never taken, however long its job runs. An entry is taken once it
    /// has been idle for the shorter of three heartbeats and `DELLM_CLAIM_MIN_IDLE_MS`, so two lanes
    /// reclaiming at once never both take it.
    /// Also this lane's own orphans: entries pending under its consumer, idle as long, that it does not
    /// hold (`holding`: the entries waiting aside; it is called between batches, when it holds no
    /// others; nil when the lane re-reads all its pending entries next). Nothing should leave one, but a
    /// lane that lost track of an entry would otherwise keep it pending for ever, its consumer being alive.
    /// Every stream's consumers are read in one pipeline, their liveness marks in another: a lane that
    /// finds no one gone has spent one round trip, whatever the number of its streams.
    func reclaim(redis: RedisConnection, holding held: Set<String>?) async throws -> [StreamEntry] {
        let streams = role.streams
        let infos = try await redis.pipeline(streams.map { ["XINFO", "CONSUMERS", $0, role.name] })
        var holding: [(stream: String, consumer: String)] = []
        for (stream, info) in zip(streams, infos) {
            for c in try RedisConnection.consumers(info) where c.pending > 0 { holding.append((stream, c.name)) }
        }
        // Whose entries may be taken: consumers without a liveness mark, and this lane's own (orphans).
        let others = Array(Set(holding.map(\.consumer).filter { $0 != consumer }))
        var gone = Set<String>()
        if !others.isEmpty {
            let marks = try await redis.pipeline(others.map { ["EXISTS", config.keys.alive(group: role.name, consumer: $0)] })
            gone = Set(zip(others, marks).filter { $0.1.int == 0 }.map(\.0))
        }
        let minIdle = min(config.claimMinIdleMilliseconds, 3 * config.consumerHeartbeatMilliseconds)
        var taken: [StreamEntry] = []
        for (stream, name) in holding {
            let own = name == consumer
            guard own ? held != nil : gone.contains(name) else { continue }
            let ids = try await redis.xpending(stream: stream, group: role.name, count: batch, minIdleMilliseconds: minIdle, consumer: name)
                .map(\.id).filter { !own || held?.contains($0) == false }
            // XCLAIM counts a delivery: an orphan that crashes its handler still ends dead-lettered.
            let claimed = try await redis.xclaim(stream: stream, group: role.name, consumer: consumer, minIdleMilliseconds: minIdle, ids: ids)
            guard !claimed.isEmpty else { continue }
            count("reclaimed", stream, by: claimed.count)
            if own {
                logger.error("took up again entries this lane had lost track of (a fault in the consumer loop)",
                             metadata: ["stream": "\(stream)", "count": "\(claimed.count)", "ids": "\(claimed.prefix(5).map(\.id))"])
            } else {
                logger.warning("took over entries of a consumer that is gone (no heartbeat)",
                               metadata: ["stream": "\(stream)", "from": "\(name)", "count": "\(claimed.count)"])
            }
            taken += claimed
        }
        return taken
    }

    /// Queues what an entry produced and its acknowledgement: XADDs are sent before the XACK, so an
    /// entry is never acknowledged before what it produced exists.
    func stage(_ entry: StreamEntry, emits: [Emit], dead: (reason: String, emits: [Emit])?, into outbox: inout Outbox) {
        var commands: [[String]] = emits.map(\.args)
        if let dead {
            logger.warning("dead-lettered an entry", metadata: ["stream": "\(entry.stream)", "id": "\(entry.id)", "reason": "\(dead.reason)"])
            commands += dead.emits.map(\.args)
            var fields: [(String, String)] = [("reason", String(dead.reason.prefix(DeadLetters.maxReason))), ("stream", entry.stream), ("id", entry.id),
                                              ("group", role.name), ("consumer", consumer)]
            fields += DeadLetters.originalFields(entry.fields)
            // A node's dead letters go to its own stream: the recorder fails the query, files them, and acknowledges.
            commands.append(RedisConnection.xaddArgs(role.handsIn ?? config.keys.dead, fields, maxLengthApprox: config.followStreamMaxLength))
        }
        outbox.add(commands, ack: role.handsIn == nil ? entry : nil, group: role.name)
    }
}

/// Committed entries' downstream XADDs and their XACKs, sent in one pipeline: every XADD, then one
/// XACK per stream with all the ids.
struct Outbox {
    private var adds: [[String]] = []
    private var acks: [(stream: String, group: String, entries: [StreamEntry])] = []
    private var since: ContinuousClock.Instant?

    var isEmpty: Bool { adds.isEmpty && acks.isEmpty }
    var age: Duration { since.map { ContinuousClock.now - $0 } ?? .zero }

    /// `ack` nil: the entry is acknowledged by someone else (a node's work, by the recorder).
    mutating func add(_ commands: [[String]], ack entry: StreamEntry?, group: String) {
        if since == nil { since = ContinuousClock.now }
        adds += commands
        guard let entry else { return }
        if let i = acks.firstIndex(where: { $0.stream == entry.stream && $0.group == group }) {
            acks[i].entries.append(entry)
        } else {
            acks.append((entry.stream, group, [entry]))
        }
    }

    var commands: [[String]] { adds + acks.map { ["XACK", $0.stream, $0.group] + $0.entries.map(\.id) } }

    /// Sending failed: how much of it Redis applied is not known, or (`acknowledged`) Redis refused an
    /// XADD but applied the XACKs after it (a pipeline is no transaction: an XADD refused for memory, an
    /// XACK let through). Those entries are no longer pending, so only the lane can handle them again.
    struct SendFailed: Error, CustomStringConvertible {
        var error: Error
        var acknowledged: [StreamEntry] = []
        var description: String { "\(error)" }
    }

    mutating func flush(_ redis: RedisConnection) async throws {
        guard !isEmpty else { return }
        let commands = self.commands
        let replies: [RedisValue]
        do { replies = try await redis.pipeline(commands) } catch { throw SendFailed(error: error) }
        func refused(_ r: RedisValue) -> Bool { if case .error = r { return true } else { return false } }
        if let failed = replies.indices.first(where: { refused(replies[$0]) }) {
            let error = RedisError(.server, "\(commands[failed][0]) failed: \(replies[failed])")
            guard failed < adds.count else { throw SendFailed(error: error) }
            let acknowledged = zip(acks, replies[adds.count...]).filter { !refused($0.1) }.flatMap(\.0.entries)
            throw SendFailed(error: error, acknowledged: acknowledged)
        }
        self = Outbox()
    }
}

/// Entries whose handler failed, waiting aside until their next try: each with its own failure count
/// and backoff, so one bad entry neither stalls its lane nor makes the next entry wait longer.
struct RetryQueue {
    let backoff: Backoff
    private var queue: [(entry: StreamEntry, due: ContinuousClock.Instant)] = []
    private var counts: [String: Int] = [:]

    init(backoff: Backoff) { self.backoff = backoff }

    func failures(of id: String) -> Int { counts[id, default: 0] }
    var waiting: [StreamEntry] { queue.map(\.entry) }
    func holds(_ id: String) -> Bool { queue.contains { $0.entry.id == id } }

    mutating func add(_ entry: StreamEntry, failures: Int) {
        counts[entry.id] = failures
        queue.append((entry, .now + .milliseconds(backoff.delayMilliseconds(attempt: failures))))
    }

    /// An entry its handler asked to come back to later (`NotYet`): no failure counted.
    mutating func add(_ entry: StreamEntry, after wait: Duration) {
        queue.append((entry, .now + wait))
    }

    mutating func forget(_ id: String) { counts[id] = nil }

    /// The entries due now, oldest first, taken out of the queue (their counts stay until forgotten).
    mutating func takeDue() -> [StreamEntry] {
        let now = ContinuousClock.now
        let due = queue.filter { $0.due <= now }.map(\.entry)
        queue.removeAll { $0.due <= now }
        return due
    }

    var millisecondsUntilDue: Int? {
        queue.map(\.due).min().map { max(0, ($0 - .now).milliseconds) }
    }
}

/// The entries a lane holds (stream, id): read and not yet acknowledged, for its heartbeat to keep claimed.
typealias ClaimKeeper = Locked<[(stream: String, id: String)]>

/// A stream id `ms-seq`, ordered numerically.
struct StreamID: Comparable {
    var ms: UInt64
    var seq: UInt64
    init(_ s: String) {
        let parts = s.split(separator: "-")
        ms = parts.first.flatMap { UInt64($0) } ?? 0
        seq = parts.count > 1 ? UInt64(parts[1]) ?? 0 : 0
    }
    static func < (a: StreamID, b: StreamID) -> Bool { (a.ms, a.seq) < (b.ms, b.seq) }
}

/// Metric handles by label set. Creating a handle asks the metrics backend to look it up (a lock and a
/// hash of the labels); a job touches three, so they are kept here.
final class LoopMetrics: Sendable {
    private let counters = Locked<[String: Counter]>([:])
    private let timers = Locked<[String: Metrics.Timer]>([:])
    private let meters = Locked<[String: Meter]>([:])
    private let kinds = Locked<[String: String]>([:])

    func kind(of stream: String, role: String) -> String {
        kinds.withLock { kinds in
            if let k = kinds[stream] { return k }
            let k = stream.range(of: ":tasks:").map { String(stream[$0.upperBound...]) } ?? role
            kinds[stream] = k
            return k
        }
    }

    func counter(role: String, type: String, outcome: String) -> Counter {
        counters.withLock {
            let key = role + "|" + type + "|" + outcome
            if let c = $0[key] { return c }
            let c = Counter(label: "dellm_jobs_total", dimensions: [("role", role), ("type", type), ("outcome", outcome)])
            $0[key] = c
            return c
        }
    }

    func timer(role: String, type: String) -> Metrics.Timer {
        timers.withLock {
            let key = role + "|" + type
            if let t = $0[key] { return t }
            let t = Metrics.Timer(label: "dellm_job_duration_seconds", dimensions: [("role", role), ("type", type)])
            $0[key] = t
            return t
        }
    }

    func inflight(role: String) -> Meter {
        meters.withLock {
            if let m = $0[role] { return m }
            let m = Meter(label: "dellm_inflight_jobs", dimensions: [("role", role)])
            $0[role] = m
            return m
        }
    }
}
