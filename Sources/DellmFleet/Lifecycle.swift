import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// How every long-running process (a worker, the evolver) runs its parts: as services of one
/// `ServiceGroup`, started once. The first SIGTERM or SIGINT starts a graceful shutdown — services stop
/// in the reverse of their order, so the lanes stop reading and finish the entry each holds before the
/// trimmer and the heartbeat stop. A second signal, or the grace period running out, exits at once:
/// what is not acknowledged stays pending and another consumer reclaims it.
public enum Lifecycle {
    public static func run(_ services: [any Service], grace: Duration, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var seen = 0
                for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    seen += 1
                    guard seen == 1 else {
                        logger.warning("second signal \(signal): exiting now; unacknowledged entries stay pending and are reclaimed")
                        exit(1)
                    }
                    logger.notice("signal \(signal): stopping; in-flight entries finish or stay pending for redelivery (a second signal exits at once)")
                    await group.triggerGracefulShutdown()
                    Task.detached {
                        try await Task.sleep(for: grace)
                        logger.warning("grace period of \(grace) is over; exiting with work in flight (it stays pending and will be reclaimed)")
                        exit(0)
                    }
                }
            }
            // The group ends when its services have stopped (or one failed): the signal watch goes too.
            defer { tasks.cancelAll() }
            try await tasks.next()
        }
    }
}

/// A worker's lanes as one service: on graceful shutdown every lane is cancelled at once (each finishes
/// the entry it holds), not one after another.
struct LanesService: Service {
    let loops: [ConsumerLoop]
    let redis: RedisConfiguration
    let databaseURL: String

    func run() async throws {
        let loops = self.loops, redis = self.redis, databaseURL = self.databaseURL
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for loop in loops {
                    group.addTask {
                        let r = RedisConnection(configuration: redis, name: loop.consumer)
                        let db = PostgresConnection(url: databaseURL, name: loop.consumer)
                        await loop.run(redis: r, db: db)
                        await r.close()
                        await db.close()
                    }
                }
            }
        }
    }
}

/// A task repeated until graceful shutdown (heartbeats, the trimmer, evolution's checks): each round's
/// failure is logged and the next round comes at its time.
struct PeriodicService: Service {
    let name: String
    let every: Duration
    let logger: Logger
    let round: @Sendable () async throws -> Void

    func run() async throws {
        let name = self.name, every = self.every, logger = self.logger, round = self.round
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await round() } catch {
                    logger.warning("\(name) failed; trying again in \(every)", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: every)
            }
        }
    }
}

/// The metrics endpoint as a service: it serves from start to the end of the shutdown (it is the first
/// service, so the last stopped: a scrape during shutdown still gets an answer), then closes its port.
public struct MetricsService: Service {
    let server: MetricsServer

    public init(server: MetricsServer) {
        self.server = server
    }

    public func run() async throws {
        try? await gracefulShutdown()
        server.stop()
    }
}
