import DellmCore
import DellmRedis

/// Least privilege for the coordinator's roles: a Redis ACL user per role, limited to the keys that
/// role reads and writes, and to commands that are not administrative or dangerous (no CONFIG,
/// FLUSHALL, KEYS, ACL, SHUTDOWN, DEBUG, INFO). The operator's CLI keeps the operator's user; nodes and
/// submitters have users of their own (`NodeRegistrar`, `SubmitterRegistrar`).
public enum RoleAccess {
    /// The roles that talk to Redis (the evolver does not).
    public static let roles = ["ingest", "verifier", "synthesizer"]

    public static func redisUser(_ role: String) -> String { "dellm-role-\(role)" }

    /// The key patterns of a role: what its lanes read, write, trim and mark alive.
    public static func keyPatterns(role: String, keys: Keys) -> [String] {
        let ns = keys.namespace
        // (Every role checks the fleet's partition count at start: `FleetLayout`.)
        let announce = [keys.answers, keys.answers(user: "*"), keys.dead, keys.partitionsKey]
        switch role {
        case "ingest":
            return [keys.queries, keys.queries(user: "*"), keys.submitters, "\(ns):alive:ingest:*"] + keys.taskStreams + announce
        case "verifier": // with the recorder and the task sweeper, which reissues and trims the task streams
            return [keys.verify, keys.attempts(node: "*"), keys.nodes, keys.synthesize, "\(ns):alive:*"] + keys.taskStreams + announce
        case "synthesizer":
            // It reads whether a query's user is a registered submitter (whose answers stream carries the trace).
            return [keys.synthesize, keys.submitters, "\(ns):alive:synthesizer:*"] + announce
        default:
            return []
        }
    }

    public static func aclRules(role: String, keys: Keys) -> [String] {
        ["+@all", "-@dangerous", "-@admin"] + NodeRegistrar.blockingReadRules + keyPatterns(role: role, keys: keys).map { "~" + $0 }
    }

    /// Creates (or refreshes, with new passwords) every role's user; returns each role's Redis URL, and
    /// whether Redis saved the users to its ACL file.
    public static func setUp(config: FleetConfig, redis: RedisConnection) async throws -> (urls: [(role: String, redisURL: String)], persisted: Bool) {
        var urls: [(String, String)] = []
        for role in roles {
            let password = NodeRegistrar.newPassword()
            _ = try await redis.command(["ACL", "SETUSER", redisUser(role), "reset", "on", ">" + password] + aclRules(role: role, keys: config.keys))
            urls.append((role, try NodeRegistrar.url(config: config, user: redisUser(role), password: password)))
        }
        let persisted = (try? await redis.command("ACL", "SAVE")) != nil
        return (urls, persisted)
    }
}
