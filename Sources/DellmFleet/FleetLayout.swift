import DellmCore
import DellmRedis
import DellmSupport
import Logging

/// Every process of a fleet must put a task in, and look for it in, the same partition of its type's
/// stream (`Keys.partitions`). The first process to start records its `DELLM_TASK_PARTITIONS` in
/// `{ns}:partitions`; a process that disagrees refuses to start, before it reads or writes a task.
public enum FleetLayout {
    public static func agree(config: FleetConfig, redis: RedisConnection, logger: Logger) async throws {
        try await Backoff(baseMilliseconds: 200).retrying({ ($0 as? RedisError)?.kind == .connection }, onRetry: { e, attempt in
            logger.warning("Redis not reachable yet; retrying", metadata: ["error": "\(e)", "attempt": "\(attempt)"])
        }) { try await check(config: config, redis: redis) }
    }

    static func check(config: FleetConfig, redis: RedisConnection) async throws {
        let key = config.keys.partitionsKey, mine = String(config.taskPartitions)
        var fleet: String?
        do { fleet = try await redis.command("GET", key).string } catch let e as RedisError where e.message.hasPrefix("NOPERM") {
            // A node registered before the key existed may not read it: it reads the streams its ACL
            // names, which are the partitions of when it was registered (`ops nodes add` again updates both).
            return
        }
        if fleet == nil {
            // (A registered node may only read the key: the coordinator writes it.)
            _ = try? await redis.command("SET", key, mine, "NX")
            fleet = try await redis.command("GET", key).string
        }
        if let fleet, fleet != mine {
            throw ConfigurationError("DELLM_TASK_PARTITIONS is \(mine) here, but the fleet of namespace \(config.namespace) uses \(fleet) "
                + "(in \(key), written by its first process): start every process with DELLM_TASK_PARTITIONS=\(fleet). "
                + "To change it, stop the fleet with its task streams empty (dellm ops backlog), DEL \(key), and start all with the new value.")
        }
    }
}
