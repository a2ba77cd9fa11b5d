import DellmCore
import DellmPostgres
import DellmRedis
import Dispatch
import Foundation
import Logging

/// Runs one role with N lanes until SIGTERM or SIGINT, then stops reading, lets each lane finish
/// the entry it holds (anything not acknowledged stays pending for this or another consumer), and returns.
public struct Worker: Sendable {
    public var role: any Role
    public var config: FleetConfig
    public var concurrency: Int
    public var logger: Logger

    /// The consumer names' prefix. A stable name (one per worker slot, as `ops/stack` gives) lets a
    /// restarted worker re-read the entries its predecessor left pending at once; the default,
    /// host-pid, leaves them to be reclaimed after the claim idle time.
    public var name: String

    /// Roles read by lanes of their own beside the main ones (a specialist's instant lane), with their lane counts.
    public var extraLanes: [(role: any Role, lanes: Int)]

    public init(role: any Role, config: FleetConfig, concurrency: Int, logger: Logger, name: String? = nil,
                extraLanes: [(role: any Role, lanes: Int)] = []) {
        self.name = name ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        self.role = role
        self.config = config
        self.concurrency = concurrency
        self.logger = logger
        self.extraLanes = extraLanes
    }


    /// Migrates the schema and seeds the genomes (safe when several workers start at once), retrying
    /// while PostgreSQL is unreachable.
    public static func prepareWithRetry(_ db: PostgresConnection, species: [Genome], logger: Logger) async throws {
        var attempt = 0
        while true {
            do {
                let applied = try await Store(db: db).prepare(species: species)
                if !applied.isEmpty { logger.info("schema migrated", metadata: ["versions": "\(applied)"]) }
                return
            } catch let e as PostgresError where e.kind == .connection {
                attempt += 1
                logger.warning("PostgreSQL not reachable yet; retrying", metadata: ["error": "\(e)", "attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(min(5_000, 200 << min(attempt, 5))))
            }
        }
    }

    /// One consumer loop per lane: the role's, then the extra roles' (each named for its slot, so a
    /// restarted worker of the same name re-reads what its lanes left pending).
    func laneLoops() -> [ConsumerLoop] {
        var lanes: [(role: any Role, consumer: String)] = (0..<concurrency).map { (role, "\(name)-\(role.name)-\($0)") }
        for (k, extra) in extraLanes.enumerated() {
            for i in 0..<extra.lanes { lanes.append((extra.role, "\(name)-\(extra.role.name)-x\(k)-\(i)")) }
        }
        return lanes.map { lane in
            var laneLogger = logger
            laneLogger[metadataKey: "consumer"] = "\(lane.consumer)"
            return ConsumerLoop(role: lane.role, config: config, consumer: lane.consumer, logger: laneLogger)
        }
    }

    public func run() async throws {
        let redisConfig = try config.redisConfiguration()
        logger.info("worker starting", metadata: ["role": "\(role.name)", "lanes": "\(concurrency)", "config": "\(config.summary)"])
        let migrationDB = PostgresConnection(url: config.databaseURL, name: "migrate")
        try await Worker.prepareWithRetry(migrationDB, species: config.species, logger: logger)
        await migrationDB.close()

        let signals = SignalWatcher(signals: [SIGTERM, SIGINT])
        let loops = laneLoops()
        await withTaskGroup(of: Void.self) { group in
            for loop in loops {
                group.addTask {
                    let redis = RedisConnection(configuration: redisConfig, name: loop.consumer)
                    let db = PostgresConnection(url: config.databaseURL, name: loop.consumer)
                    await loop.run(redis: redis, db: db)
                    await redis.close()
                    await db.close()
                }
            }
            // One trimmer for the process's streams, not one per lane.
            let trimmer = StreamTrimmer(streams: loops.flatMap { $0.role.streams }), trimLog = logger
            group.addTask {
                let redis = RedisConnection(configuration: redisConfig, name: "trimmer")
                await trimmer.run(redis: redis, logger: trimLog)
                await redis.close()
            }
            let role = self.role, databaseURL = config.databaseURL, heartbeatLog = logger
            group.addTask {
                // Heartbeats, on a connection of their own; a failure is logged and retried next time.
                let db = PostgresConnection(url: databaseURL, name: "heartbeat")
                while !Task.isCancelled {
                    do { try await role.heartbeat(store: Store(db: db)) } catch {
                        heartbeatLog.warning("heartbeat failed", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .seconds(30))
                }
                await db.close()
            }
            group.addTask {
                let signal = await signals.next()
                logger.notice("signal \(signal): stopping; in-flight entries finish or stay pending for redelivery")
            }
            await group.next()
            group.cancelAll()
            // Lanes finish the entry they hold; past the grace period we exit anyway, and what is still
            // unacknowledged stays pending for another consumer to reclaim.
            let grace = config.shutdownGraceMilliseconds
            let log = logger
            let watchdog = Task.detached {
                try await Task.sleep(for: .milliseconds(grace))
                log.warning("grace period of \(grace) ms is over; exiting with work in flight (it stays pending and will be reclaimed)")
                exit(0)
            }
            await group.waitForAll()
            watchdog.cancel()
        }
        logger.info("worker stopped", metadata: ["role": "\(role.name)"])
    }
}

/// Turns SIGTERM/SIGINT into an awaitable event.
final class SignalWatcher: @unchecked Sendable {
    // `sources` is written once in init and only kept alive afterwards; `continuation` and
    // `received` are guarded by `lock`.
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?
    private var continuation: CheckedContinuation<Int32, Never>?

    init(signals: [Int32]) {
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(s) }
            source.resume()
            sources.append(source)
        }
    }

    private func fire(_ s: Int32) {
        lock.lock()
        if received != nil { lock.unlock(); return }
        received = s
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: s)
    }

    func next() async -> Int32 {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
                lock.lock()
                if let r = received { lock.unlock(); c.resume(returning: r); return }
                continuation = c
                lock.unlock()
            }
        } onCancel: {
            self.fire(0)
        }
    }
}
