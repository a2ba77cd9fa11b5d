import DellmCore
import DellmRedis
import Foundation

/// What a registered node runs with: its name and a Redis URL with its own ACL user. Nothing else —
/// no PostgreSQL credential.
public struct NodeCredentials: Sendable, Equatable {
    public var node: String
    public var redisUser: String
    public var password: String
    public var redisURL: String
    public var types: [TaskType]
    /// The fleet's partitions of each task stream (`DELLM_TASK_PARTITIONS`): the node must read the same.
    public var taskPartitions = 1

    /// As environment lines for `dellm worker specialist` (the password is in the URL: keep the lines secret).
    public var environmentLines: [String] {
        ["DELLM_NODE=\(node)", "DELLM_REDIS_URL=\(redisURL)", "DELLM_TYPES=\(types.map(\.rawValue).joined(separator: ","))"]
            + (taskPartitions > 1 ? ["DELLM_TASK_PARTITIONS=\(taskPartitions)"] : [])
    }
}

/// Registers nodes a stranger may run: a row in PostgreSQL (owner, types, species) and a Redis ACL
/// user that may read the task streams of its types and append to its own stream — nothing else:
/// no `queries`, `verify`, `answers`, no other node's keys, no CONFIG, FLUSHALL or KEYS.
public struct NodeRegistrar: Sendable {
    public let config: FleetConfig
    public let redis: RedisConnection
    public let store: Store

    public init(config: FleetConfig, redis: RedisConnection, store: Store) {
        self.config = config
        self.redis = redis
        self.store = store
    }

    /// The Redis user of a node.
    public static func redisUser(_ node: String) -> String { "dellm-node-\(node)" }

    /// The ACL rules of a node (after `reset`): commands a node lane sends, on the keys of its types (and
    /// reading which types the operator paused);
    /// its own stream for XADD; its lanes' liveness marks for SET.
    ///
    /// A lane whose streams lie on several masters blocks on each with a connection of its own and wakes
    /// the others with CLIENT UNBLOCK when one answers (`RedisConnection.blockingSplitRead`). CLIENT
    /// UNBLOCK can wake any blocked client whose id is known: the woken read returns empty, as on its
    /// timeout, and reads or changes nothing, so granting it costs at most a spurious wake-up.
    public static let blockingReadRules = ["+client|id", "+client|unblock"]
    /// What a restricted user needs on a Redis Cluster: the slot map, and ASKING during a migration.
    public static let clusterRules = ["+cluster|slots", "+asking"]

    public static func aclRules(node: String, types: [TaskType], keys: Keys) -> [String] {
        var streams = types.flatMap { keys.taskStreams($0.rawValue) + keys.taskStreams($0.rawValue, bulk: true) }
        if types.contains(.math) || types.contains(.reasoning) { streams += keys.taskStreams("instant") }
        return ["-@all", "+ping", "+hello", "+auth", "+select", "+client|setname", "+xreadgroup", "+xpending", "+xgroup|create", "+eval", "+smembers", "+get"]
            + clusterRules + blockingReadRules
            + streams.map { "~" + $0 } + ["%R~" + keys.paused, "%R~" + keys.partitionsKey]
            + ["(+xadd ~\(keys.attempts(node: node)))", "(+set ~\(keys.alive(group: "specialist", consumer: node))~*)"]
    }

    /// Registers (or re-registers with a new password) `node`, and returns its credentials. `persisted`:
    /// whether Redis saved the user to its ACL file (without one, the user lasts until Redis restarts).
    public func add(node: String, owner: String, types: [TaskType], species: String = "default") async throws -> (NodeCredentials, persisted: Bool) {
        try Wire.checkNode(node)
        try QueryJob.validate(user: owner)
        guard !types.isEmpty else { throw Wire.DecodeError("a node needs at least one task type") }
        let password = Self.newPassword()
        let user = Self.redisUser(node)
        _ = try await redis.command(["ACL", "SETUSER", user, "reset", "on", ">" + password] + Self.aclRules(node: node, types: types, keys: config.keys))
        try await store.nodes.register(node: node, owner: owner, types: types, species: species)
        _ = try await redis.command("SADD", config.keys.nodes, node)
        let persisted = (try? await redis.command("ACL", "SAVE")) != nil
        let url = try Self.url(config: config, user: user, password: password)
        return (NodeCredentials(node: node, redisUser: user, password: password, redisURL: url, types: types, taskPartitions: config.taskPartitions), persisted)
    }

    /// The fleet's Redis address with `user` and `password` in place of the operator's.
    static func url(config: FleetConfig, user: String, password: String) throws -> String {
        let r = try config.redisConfiguration()
        let db = r.database == 0 ? "" : "/\(r.database)"
        func hostPort(_ host: String, _ port: Int) -> String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
        // A cluster's URL names every seed (and says it is a cluster when there is only one).
        let hosts = r.cluster ? r.seeds.map { hostPort($0.host, $0.port) }.joined(separator: ",") : hostPort(r.host, r.port)
        return "redis://\(user):\(password)@\(hosts)\(db)" + (r.cluster && r.seeds.count == 1 ? "?cluster=1" : "")
    }

    /// Revokes `node`: its Redis user is deleted (its connections close), its work is no longer read.
    /// True when it was registered and not yet revoked.
    public func revoke(node: String) async throws -> Bool {
        try Wire.checkNode(node)
        _ = try await redis.command("ACL", "DELUSER", Self.redisUser(node))
        _ = try await redis.command("SREM", config.keys.nodes, node)
        _ = try? await redis.command("ACL", "SAVE")
        return try await store.nodes.revoke(node: node)
    }

    /// 32 random bytes as hex, from the system's generator.
    static func newPassword() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
