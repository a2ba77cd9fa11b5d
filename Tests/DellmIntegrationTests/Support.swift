import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Logging
import Testing

/// The servers `./ops/test` starts. Tests that need one are skipped when it is not given.
enum TestEnv {
    static let env = ProcessInfo.processInfo.environment
    static var redisURL: String? { env["DELLM_TEST_REDIS_URL"] }
    static var databaseURL: String? { env["DELLM_TEST_DATABASE_URL"] }
    static var modelURL: String? { env["DELLM_TEST_MODEL_URL"] }
    static var hasServers: Bool { redisURL != nil && databaseURL != nil }
    static var hasModel: Bool { hasServers && modelURL != nil }

    static func config(namespace: String = "t\(UUID().uuidString.prefix(8).lowercased())", extra: [String: String] = [:]) throws -> FleetConfig {
        var e: [String: String] = [
            "DELLM_REDIS_URL": redisURL ?? "redis://127.0.0.1:1",
            "DELLM_DATABASE_URL": databaseURL ?? "postgresql://127.0.0.1:1/none",
            "DELLM_MODEL_URL": modelURL ?? "http://127.0.0.1:1",
            "DELLM_NAMESPACE": namespace,
            "DELLM_BLOCK_MS": "200",
        ]
        e.merge(extra) { _, b in b }
        return try FleetConfig(environment: e)
    }

    /// A database of its own, for tests that change fleet-wide state (the genome population), so
    /// they do not disturb tests running beside them. Returns its URL.
    static func freshDatabase() async throws -> String {
        let base = try #require(databaseURL)
        let name = "g_" + UUID().uuidString.prefix(8).lowercased()
        let admin = PostgresConnection(url: base, name: "create-database")
        try await admin.query("CREATE DATABASE \(name)") // a name made here, not input
        await admin.close()
        let slash = try #require(base.lastIndex(of: "/"))
        return base[..<slash] + "/" + name
    }
}

/// A whole fleet in this process: one lane of each role, each with its own connections, stopped by
/// cancelling the task.
struct InProcessFleet {
    let config: FleetConfig
    let task: Task<Void, Never>

    static func start(_ config: FleetConfig, specialistTypes: [TaskType] = TaskType.allCases) async throws -> InProcessFleet {
        // (A cluster's namespace is a hash tag, "{t1234}": names have no braces.)
        let ns = config.namespace.filter { $0 != "{" && $0 != "}" }
        let specialist = SpecialistRole(config: config, types: specialistTypes, node: "test-node-\(ns)", owner: "owner-\(ns)")
        return try await start(config, roles: [IngestRole(config: config), specialist, VerifierRole(config: config, verifierID: "test-verifier"),
                                               SynthesizerRole(config: config)] + (specialistTypes.contains(.math) ? [specialist.instantLane] : []))
    }

    /// Only some roles (a query stays running while its specialist is away), each one lane. With a
    /// verifier (the coordinator's side) come a recorder lane and the task sweeper, as in a verifier process.
    static func start(_ config: FleetConfig, roles given: [any Role]) async throws -> InProcessFleet {
        let coordinator = given.contains { $0 is VerifierRole }
        let roles = given + (coordinator && !given.contains { $0 is RecorderRole } ? [RecorderRole(config: config)] : [])
        // Nodes alone (their own Redis user, no database) migrate nothing.
        if roles.contains(where: { $0.handsIn == nil }) {
            let db = PostgresConnection(url: config.databaseURL, name: "test-migrate")
            try await Store(db: db).prepare(species: config.species)
        }
        var logger = Logger(label: "test-fleet")
        logger.logLevel = .warning
        let redisConfig = try config.redisConfiguration()
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for (k, role) in roles.enumerated() {
                    // The first lane of a role keeps the role's name (tests leave entries pending for it).
                    var consumer = roles[..<k].contains { $0.name == role.name } ? "test-\(role.name)-\(k)" : "test-\(role.name)"
                    // A node's lanes are named after it (`<node>~…`): its liveness marks are the keys its ACL user may set.
                    if let node = role as? SpecialistRole { consumer = "\(node.node)~\(consumer)" }
                    let loop = ConsumerLoop(role: role, config: config, consumer: consumer, logger: logger)
                    group.addTask {
                        let redis = RedisConnection(configuration: redisConfig, name: consumer)
                        let pg = PostgresConnection(url: config.databaseURL, name: consumer)
                        await loop.run(redis: redis, db: pg)
                    }
                }
                // As a worker process does: one trimmer for all the lanes' streams (the verifier's, the task streams too).
                let recorders = roles.filter { $0 is RecorderRole }
                let trimmer = StreamTrimmer(streams: roles.filter { $0.handsIn == nil }.flatMap(\.streams) + (coordinator ? config.keys.taskStreams : [])) {
                    recorders.flatMap(\.streams)
                }
                let trimLog = logger
                group.addTask {
                    try? await trimmer.service(redis: RedisConnection(configuration: redisConfig, name: "trimmer"), logger: trimLog).run()
                }
                if coordinator {
                    group.addTask {
                        try? await TaskSweeper(config: config).service(redis: RedisConnection(configuration: redisConfig, name: "sweeper"),
                                                                       db: PostgresConnection(url: config.databaseURL, name: "sweeper"), logger: trimLog).run()
                    }
                }
            }
        }
        return InProcessFleet(config: config, task: task)
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Collects events from callbacks.
final class Collector<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ t: T) { lock.withLock { items.append(t) } }
    var all: [T] { lock.withLock { items } }
}
