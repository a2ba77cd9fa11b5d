import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Dispatch
import Foundation
import Logging
import ServiceLifecycle

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

    /// Services of the process beside the lanes (the metrics endpoint): started first, stopped last.
    public var services: [any Service]

    /// Streams this process trims besides its own (the verifier trims the task streams, which nodes may not).
    public var trimmedBesides: [String] = []

    public init(role: any Role, config: FleetConfig, concurrency: Int, logger: Logger, name: String? = nil,
                extraLanes: [(role: any Role, lanes: Int)] = [], services: [any Service] = []) {
        self.services = services
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
        let applied = try await Backoff(baseMilliseconds: 200).retrying({ ($0 as? PostgresError)?.kind == .connection }, onRetry: { e, attempt in
            logger.warning("PostgreSQL not reachable yet; retrying", metadata: ["error": "\(e)", "attempt": "\(attempt)"])
        }) { try await Store(db: db).prepare(species: species) }
        if !applied.isEmpty { logger.info("schema migrated", metadata: ["versions": "\(applied)"]) }
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
        let loops = laneLoops()
        // A node holds no database credential: no migration, heartbeats on its own stream, and no trimming
        // (the coordinator trims the task streams; the node's XADDs cap its own stream).
        let node = role.handsIn != nil
        let beatRedis = RedisConnection(configuration: redisConfig, name: "heartbeat")
        try await FleetLayout.agree(config: config, redis: beatRedis, logger: logger)
        let heartbeatDB = PostgresConnection(url: config.databaseURL, name: "heartbeat")
        let trimRedis = RedisConnection(configuration: redisConfig, name: "trimmer")
        var own: [any Service] = []
        let role = self.role
        if node {
            own.append(PeriodicService(name: "heartbeat", every: .seconds(30), logger: logger) { try await role.heartbeat(redis: beatRedis) })
        } else {
            let migrationDB = PostgresConnection(url: config.databaseURL, name: "migrate")
            try await Worker.prepareWithRetry(migrationDB, species: config.species, logger: logger)
            await migrationDB.close()
            // One trimmer for the process's streams (and those that come and go), not one per lane.
            let dynamic = loops.map(\.role).filter { $0 is RecorderRole }
            let trimmer = StreamTrimmer(streams: loops.flatMap { $0.role.streams } + trimmedBesides) { dynamic.flatMap(\.streams) }
            own.append(PeriodicService(name: "heartbeat", every: .seconds(30), logger: logger) { try await role.heartbeat(store: Store(db: heartbeatDB)) })
            own.append(trimmer.service(redis: trimRedis, logger: logger))
        }
        // Stopped in reverse order: the lanes first, then the trimmer and the heartbeat.
        try await Lifecycle.run(services + own + [LanesService(loops: loops, redis: redisConfig, databaseURL: config.databaseURL)],
                                grace: .milliseconds(config.shutdownGraceMilliseconds), logger: logger)
        await trimRedis.close()
        await heartbeatDB.close()
        await beatRedis.close()
        logger.info("worker stopped", metadata: ["role": "\(role.name)"])
    }
}
