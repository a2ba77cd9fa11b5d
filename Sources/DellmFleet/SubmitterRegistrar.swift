import DellmCore
import DellmRedis
import Foundation

/// Submitters with a credential of their own: a Redis ACL user that may append to the user's own
/// query stream and read the user's own answers stream — nothing else. What arrives on that stream is
/// charged to that user, whatever user the job names; the user sees the ends of their own queries
/// only. (The shared `{ns}:queries` stream stays the operator's: a client that can write to it can
/// name any user.)
public struct SubmitterRegistrar: Sendable {
    public let config: FleetConfig
    public let redis: RedisConnection

    public init(config: FleetConfig, redis: RedisConnection) {
        self.config = config
        self.redis = redis
    }

    public static let userPrefix = "dellm-user-"
    public static func redisUser(_ user: String) -> String { userPrefix + user }

    public static func aclRules(user: String, keys: Keys) -> [String] {
        ["-@all", "+ping", "+hello", "+auth", "+select", "+client|setname", "+xadd", "+xread", "+xrange", "+xrevrange",
         "%W~" + keys.queries(user: user), "%R~" + keys.answers(user: user)] + NodeRegistrar.clusterRules
    }

    /// Registers (or re-registers with a new password) `user`; returns the Redis URL it submits with and
    /// whether Redis saved the ACL user to its file.
    public func add(user: String) async throws -> (redisURL: String, persisted: Bool) {
        try QueryJob.validate(user: user)
        let password = NodeRegistrar.newPassword()
        _ = try await redis.command(["ACL", "SETUSER", Self.redisUser(user), "reset", "on", ">" + password] + Self.aclRules(user: user, keys: config.keys))
        _ = try await redis.command("SADD", config.keys.submitters, user)
        let persisted = (try? await redis.command("ACL", "SAVE")) != nil
        return (try NodeRegistrar.url(config: config, user: Self.redisUser(user), password: password), persisted)
    }

    /// True when the user was registered.
    public func revoke(user: String) async throws -> Bool {
        try QueryJob.validate(user: user)
        let deleted = try await redis.command("ACL", "DELUSER", Self.redisUser(user)).int ?? 0
        _ = try await redis.command("SREM", config.keys.submitters, user)
        _ = try? await redis.command("ACL", "SAVE")
        return deleted > 0
    }

    public func list() async throws -> [String] {
        (try await redis.command("SMEMBERS", config.keys.submitters).array ?? []).compactMap(\.string).sorted()
    }
}
