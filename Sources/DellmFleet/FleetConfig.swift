import DellmCore
import DellmModel
import DellmRedis
import DellmSupport
import Foundation

/// What a worker or a CLI command needs to reach the fleet. Read from the environment
/// (`DELLM_REDIS_URL`, `DELLM_DATABASE_URL`, `DELLM_MODEL_URL`, `DELLM_NAMESPACE`, …), with defaults on
/// the standard local ports. Secrets stay inside the URLs and are never printed (see `summary`).
public struct FleetConfig: Sendable {
    public var redisURL: String
    public var databaseURL: String
    public var modelURL: String
    public var modelAPI: ModelAPI
    public var modelName: String
    public var namespace: String
    /// How long a model call may take.
    public var modelTimeoutMilliseconds: Int
    /// How long XREADGROUP blocks waiting for new entries.
    public var blockMilliseconds: Int
    /// Entries idle longer than this in another consumer's pending list are taken over. A consumer
    /// busy with a long job re-claims it every third of this, so it only needs to exceed a few seconds.
    public var claimMinIdleMilliseconds: Int
    /// Attempts per subtask before it fails.
    public var maxAttempts: Int
    /// How long a stopping worker may take to finish what it holds.
    public var shutdownGraceMilliseconds: Int
    /// Requests in flight to the model endpoint from one process.
    public var modelConcurrency: Int
    /// Deliveries of one entry without success before it is dead-lettered.
    public var maxDeliveries: Int
    /// Approximate cap on the answers and dead-letter streams, which no group consumes.
    public var followStreamMaxLength: Int

    public init(environment env: [String: String] = ProcessInfo.processInfo.environment) throws {
        redisURL = env["DELLM_REDIS_URL"] ?? "redis://127.0.0.1:6379"
        databaseURL = env["DELLM_DATABASE_URL"] ?? "postgresql://dellm@127.0.0.1:5432/dellm"
        modelURL = env["DELLM_MODEL_URL"] ?? "http://127.0.0.1:8080"
        let api = env["DELLM_MODEL_API"] ?? "openai"
        guard let parsed = ModelAPI(rawValue: api) else {
            throw ConfigurationError("DELLM_MODEL_API must be one of \(ModelAPI.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(api)')")
        }
        modelAPI = parsed
        modelName = env["DELLM_MODEL_NAME"] ?? "SmolLM2-135M-Instruct"
        namespace = env["DELLM_NAMESPACE"] ?? "dellm"
        guard !namespace.isEmpty, !namespace.contains(where: { $0.isWhitespace }) else {
            throw ConfigurationError("DELLM_NAMESPACE must be a non-empty word (got '\(namespace)')")
        }
        func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = env[key] else { return fallback }
            guard let v = Int(raw), range.contains(v) else {
                throw ConfigurationError("\(key) must be an integer in \(range.lowerBound)…\(range.upperBound) (got '\(raw)')")
            }
            return v
        }
        modelTimeoutMilliseconds = try int("DELLM_MODEL_TIMEOUT_MS", 60_000, 100...3_600_000)
        blockMilliseconds = try int("DELLM_BLOCK_MS", 1_000, 1...60_000)
        claimMinIdleMilliseconds = try int("DELLM_CLAIM_MIN_IDLE_MS", 30_000, 0...86_400_000)
        maxAttempts = try int("DELLM_MAX_ATTEMPTS", 3, 1...10)
        shutdownGraceMilliseconds = try int("DELLM_SHUTDOWN_GRACE_MS", 30_000, 0...3_600_000)
        modelConcurrency = try int("DELLM_MODEL_CONCURRENCY", 4, 1...1_024)
        maxDeliveries = try int("DELLM_MAX_DELIVERIES", 5, 1...1_000)
        followStreamMaxLength = try int("DELLM_ANSWERS_MAXLEN", 100_000, 100...100_000_000)
        _ = try RedisConfiguration(url: redisURL)
    }

    public var keys: Keys { Keys(namespace: namespace) }

    public func redisConfiguration() throws -> RedisConfiguration { try RedisConfiguration(url: redisURL) }

    public func model() -> ModelClient {
        ModelClient(baseURL: modelURL, api: modelAPI, model: modelName, timeoutMilliseconds: modelTimeoutMilliseconds)
    }

    /// One line for logs: endpoints without credentials.
    public var summary: String {
        "redis=\(ConnectionURL.redact(redisURL)) db=\(ConnectionURL.redact(databaseURL)) model=\(modelURL) (\(modelAPI.rawValue)) namespace=\(namespace)"
    }
}
