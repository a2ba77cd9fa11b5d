import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Logging
import ServiceLifecycle

/// Work a node took and did not hand in. Nodes neither acknowledge nor claim task entries (the
/// recorder acknowledges a task once its attempt is recorded), so every task a node read and has not
/// answered stays in the specialists' pending list, under the consumer that read it. The coordinator
/// reissues such a task — a copy at the end of its stream, the old entry acknowledged — when its
/// consumer is gone (no liveness mark for three heartbeats) or has held it past its deadline
/// (`DELLM_TASK_DEADLINE_MS`); a deadline missed counts against the node (`NodeStore.missed`). Entries
/// are first claimed by the sweeper, so two sweepers never reissue one task twice. Node lanes idle
/// for an hour with nothing pending are forgotten. A task reissued
/// more than `DELLM_MAX_DELIVERIES` times (it crashes every node it reaches) is dead-lettered and its
/// query failed.
public struct TaskSweeper: Sendable {
    public let config: FleetConfig
    public static let consumer = "coordinator-sweeper"
    static let group = "specialist"

    public init(config: FleetConfig) {
        self.config = config
    }

    public func service(redis: RedisConnection, db: PostgresConnection, logger: Logger) -> any Service {
        let every = Duration.milliseconds(max(500, config.consumerHeartbeatMilliseconds))
        let decayed = Locked(ContinuousClock.now - .seconds(3600))
        let lost = LostTasks(config: config)
        let lostChecked = Locked(ContinuousClock.now)
        return PeriodicService(name: "task sweeping", every: every, logger: logger) {
            _ = try await sweepOnce(redis: redis, store: Store(db: db), logger: logger)
            // Every few seconds: parts whose task no stream holds (a write lost in a failover).
            if ContinuousClock.now - lostChecked.value > .milliseconds(min(5_000, config.taskDeadlineMilliseconds / 2)) {
                lostChecked.value = .now
                _ = try await lost.resend(redis: redis, store: Store(db: db), logger: logger)
            }
            // Once a minute: offline nodes' uptime and trust decay (heartbeats keep the others current).
            if ContinuousClock.now - decayed.value > .seconds(60) {
                decayed.value = .now
                try await Store(db: db).nodes.decayOffline()
            }
        }
    }

    /// One round over every task stream; returns how many tasks were reissued.
    @discardableResult
    public func sweepOnce(redis: RedisConnection, store: Store, logger: Logger) async throws -> Int {
        var reissued = 0
        for stream in config.keys.taskStreams {
            guard try await redis.command("EXISTS", stream).int == 1 else { continue }
            let all = try await consumers(of: stream, redis: redis)
            // Consumers that hold nothing and were idle for an hour (stopped node lanes) are forgotten,
            // so the backlog shows the live ones: nodes may not delete consumers themselves.
            for c in all where c.pending == 0 && c.idleMilliseconds > 3_600_000 {
                _ = try await redis.command("XGROUP", "DELCONSUMER", stream, Self.group, c.name)
            }
            let holding = all.filter { $0.pending > 0 }
            guard !holding.isEmpty else { continue }
            let marks = try await redis.pipeline(holding.map { ["EXISTS", config.keys.alive(group: Self.group, consumer: $0.name)] })
            for (c, mark) in zip(holding, marks) {
                let gone = mark.int == 0
                let idle = gone ? min(config.claimMinIdleMilliseconds, 3 * config.consumerHeartbeatMilliseconds) : config.taskDeadlineMilliseconds
                let n = try await reissue(stream: stream, consumer: c.name, minIdle: idle, redis: redis, store: store)
                guard n > 0 else { continue }
                reissued += n
                if !gone, c.name != Self.consumer, let node = Self.node(ofConsumer: c.name) {
                    for _ in 0..<n { try await store.nodes.missed(node: node) }
                }
                logger.warning(gone ? "reissued the tasks of a node that is gone" : "reissued tasks a node held past their deadline",
                               metadata: ["stream": "\(stream)", "consumer": "\(c.name)", "count": "\(n)"])
            }
        }
        return reissued
    }

    /// The group's consumers; none when the group does not exist yet.
    func consumers(of stream: String, redis: RedisConnection) async throws -> [StreamConsumerInfo] {
        do { return try await redis.xinfoConsumers(stream: stream, group: Self.group) } catch let e as RedisError where e.kind == .server {
            return [] // NOGROUP: no specialist has read this stream yet
        }
    }

    /// Claims `consumer`'s entries idle at least `minIdle`, and puts each back at the end of the stream.
    func reissue(stream: String, consumer: String, minIdle: Int, redis: RedisConnection, store: Store) async throws -> Int {
        let ids = try await redis.xpending(stream: stream, group: Self.group, count: 100, minIdleMilliseconds: minIdle, consumer: consumer).map(\.id)
        guard !ids.isEmpty else { return 0 }
        let claimed = try await redis.xclaim(stream: stream, group: Self.group, consumer: Self.consumer, minIdleMilliseconds: minIdle, ids: ids)
        var commands: [[String]] = []
        for e in claimed {
            let times = (e["reissued"].flatMap { Int($0) } ?? 0) + 1
            if times > config.maxDeliveries {
                commands += try await deadLetter(e, times: times, store: store)
            } else {
                let fields = e.fields.filter { $0.0 != "reissued" } + [("reissued", String(times))]
                commands.append(RedisConnection.xaddArgs(stream, fields))
            }
        }
        // Entries claimed but deleted meanwhile come back empty: acknowledged all the same.
        commands.append(["XACK", stream, Self.group] + ids)
        _ = try await redis.pipeline(commands)
        return claimed.count
    }

    func deadLetter(_ e: StreamEntry, times: Int, store: Store) async throws -> [[String]] {
        let reason = "reissued \(times - 1) times without an attempt handed in (every node that took it failed to answer)"
        var commands: [[String]] = []
        if let t = try? Wire.decode(TaskJob.self, v: e["v"], job: e["job"]), let event = try await store.failQuery(issued: t, reason: reason) {
            commands += announce(event, config).map(\.args)
        }
        let fields: [(String, String)] = [("reason", reason), ("stream", e.stream), ("id", e.id), ("group", Self.group), ("consumer", Self.consumer)]
            + DeadLetters.originalFields(e.fields)
        commands.append(RedisConnection.xaddArgs(config.keys.dead, fields, maxLengthApprox: config.followStreamMaxLength))
        return commands
    }

    /// The node a consumer name belongs to: node workers name their lanes `<node>~<slot>-specialist-<lane>`.
    static func node(ofConsumer name: String) -> String? {
        guard let r = name.firstIndex(of: "~") else { return nil }
        let node = String(name[..<r])
        return (try? Wire.checkNode(node)) != nil ? node : nil
    }
}
