import DellmCore
import DellmModel
import DellmRedis
import DellmSupport
import Foundation
import Yams

/// What a worker or a CLI command needs to reach the fleet. Read from the environment
/// (`DELLM_REDIS_URL`, `DELLM_DATABASE_URL`, `DELLM_MODEL_URL`, `DELLM_NAMESPACE`, …), with defaults on
/// the standard local ports. Secrets stay inside the URLs and are never printed (see `summary`).
public struct FleetConfig: Sendable {
    public var redisURL: String
    public var databaseURL: String
    /// The Redis password from `DELLM_REDIS_PASSWORD_FILE` (a secret file, as compose mounts one),
    /// used instead of a password in the URL.
    public var redisPassword: String?
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
    /// Most programs sampled for one word problem (program-aided answers): three first, two more only
    /// when no two of the first agree.
    public var programSamples: Int
    /// Completion tokens one query's model samples may spend in all (`DELLM_QUERY_TOKENS`, default 800;
    /// 0: no samples beyond the first votes and programs). Shared among its parts; a part asks more
    /// samples only while they disagree (`SelfConsistency`).
    public var queryTokens: Int
    /// Deliveries of one entry without success before it is dead-lettered.
    public var maxDeliveries: Int
    /// Approximate cap on the answers and dead-letter streams, which no group consumes.
    public var followStreamMaxLength: Int
    /// How often a lane marks its consumer alive; a consumer without a mark for three times this is
    /// gone, and its pending entries are taken over at once (`DELLM_CONSUMER_HEARTBEAT_MS`).
    public var consumerHeartbeatMilliseconds = 2_000
    /// Parts of one user's running queries after which their new parts wait in the bulk tier
    /// (`Admission`, `DELLM_FAIR_SHARE_PARTS`).
    public var fairShareParts = 8
    /// What a new user name receives, and how many may per hour (`DELLM_NEW_USER_CREDITS`,
    /// `DELLM_NEW_USER_GRANTS_PER_HOUR`).
    public var grant = Economy.Grant()
    /// Whose work the recorder reads (`DELLM_NODE_ACCESS`): `open` (any node that hands work in on its
    /// own stream, owned by whom it says: a fleet of one's own machines) or `registered` (only nodes
    /// added with `dellm ops nodes add` and not revoked, owned by whom they were registered for).
    public var nodeAccess = NodeAccess.open
    /// How long a node may hold a task it read before the coordinator reissues it to another node and
    /// counts a miss against it (`DELLM_TASK_DEADLINE_MS`).
    public var taskDeadlineMilliseconds = 600_000
    /// Partitions of each task type's stream (`DELLM_TASK_PARTITIONS`, `Keys.partitions`): the same on
    /// every process of a fleet.
    public var taskPartitions = 1

    public enum NodeAccess: String, Sendable { case open, registered }

    /// Keys of the configuration file and the environment variables they stand for. The environment
    /// overrides the file; the file overrides the defaults.
    static let fileKeys: [String: String] = [
        "namespace": "DELLM_NAMESPACE", "redis_url": "DELLM_REDIS_URL", "database_url": "DELLM_DATABASE_URL",
        "log_level": "DELLM_LOG_LEVEL",
        "model.url": "DELLM_MODEL_URL", "model.api": "DELLM_MODEL_API", "model.name": "DELLM_MODEL_NAME",
        "model.timeout_ms": "DELLM_MODEL_TIMEOUT_MS", "model.concurrency": "DELLM_MODEL_CONCURRENCY",
        "limits.block_ms": "DELLM_BLOCK_MS", "limits.claim_min_idle_ms": "DELLM_CLAIM_MIN_IDLE_MS",
        "limits.max_attempts": "DELLM_MAX_ATTEMPTS", "limits.max_deliveries": "DELLM_MAX_DELIVERIES",
        "limits.shutdown_grace_ms": "DELLM_SHUTDOWN_GRACE_MS", "limits.answers_maxlen": "DELLM_ANSWERS_MAXLEN",
        "limits.consumer_heartbeat_ms": "DELLM_CONSUMER_HEARTBEAT_MS", "limits.fair_share_parts": "DELLM_FAIR_SHARE_PARTS",
        "routing.strategy": "DELLM_ROUTING", "routing.epsilon": "DELLM_ROUTING_EPSILON", "routing.top": "DELLM_ROUTING_TOP",
        "routing.refresh_ms": "DELLM_ROUTING_REFRESH_MS",
        "verify.spot_rate": "DELLM_SPOT_RATE", "redis_password_file": "DELLM_REDIS_PASSWORD_FILE", "database_password_file": "DELLM_DATABASE_PASSWORD_FILE", "nodes.access": "DELLM_NODE_ACCESS", "nodes.task_deadline_ms": "DELLM_TASK_DEADLINE_MS", "limits.task_partitions": "DELLM_TASK_PARTITIONS",
        "credits.new_user": "DELLM_NEW_USER_CREDITS", "credits.new_users_per_hour": "DELLM_NEW_USER_GRANTS_PER_HOUR",
        "evolution.every_verdicts": "DELLM_EVOLVE_EVERY_VERDICTS", "evolution.every_minutes": "DELLM_EVOLVE_EVERY_MINUTES",
        "evolution.min_attempts": "DELLM_EVOLVE_MIN_ATTEMPTS", "evolution.max_per_type": "DELLM_EVOLVE_MAX_PER_TYPE",
        "evolution.models": "DELLM_EVOLVE_MODELS", "evolution.probes": "DELLM_EVOLVE_PROBES",
    ]

    /// Reads `path` (YAML) into environment-variable form, refusing unknown keys and non-scalar values
    /// with the key and the reason. `species` is kept for the evolution settings and not flattened.
    public typealias LoadedFile = (values: [String: String], origin: [String: String], species: [Genome]?)

    public static func loadFile(_ path: String) throws -> LoadedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(path): cannot read the configuration file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ConfigurationError("\(path): not valid YAML: \(error)")
        }
        guard let map = root as? [String: Any] else { throw ConfigurationError("\(path): expected a mapping of keys at the top") }
        var values: [String: String] = [:], origin: [String: String] = [:]
        func walk(_ m: [String: Any], prefix: String) throws {
            for (k, v) in m {
                let key = prefix.isEmpty ? k : "\(prefix).\(k)"
                if key == "species" { continue }
                if let sub = v as? [String: Any] {
                    try walk(sub, prefix: key)
                    continue
                }
                guard let env = fileKeys[key] else {
                    let known = fileKeys.keys.sorted().joined(separator: ", ")
                    throw ConfigurationError("\(path): unknown key '\(key)' (known: \(known), species)")
                }
                switch v {
                case let s as String: values[env] = s
                case let i as Int: values[env] = String(i)
                case let d as Double: values[env] = String(d)
                case let b as Bool: values[env] = String(b)
                default: throw ConfigurationError("\(path): key '\(key)' must be a single value")
                }
                origin[env] = "\(path): \(key)"
            }
        }
        try walk(map, prefix: "")
        return (values, origin, try map["species"].map { try loadSpecies($0, path: path) })
    }

    /// The path of the configuration file in force: `DELLM_CONFIG`, or none.
    public var configFile: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let file = environment["DELLM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let loaded = try file.map(FleetConfig.loadFile)
        let r = EnvironmentReader(environment: environment, file: loaded)
        configFile = file
        redisURL = r["DELLM_REDIS_URL"] ?? "redis://127.0.0.1:6379"
        databaseURL = r["DELLM_DATABASE_URL"] ?? "postgresql://dellm@127.0.0.1:5432/dellm"
        modelURL = r["DELLM_MODEL_URL"] ?? "http://127.0.0.1:8080"
        modelAPI = try Self.modelAPI(r)
        modelName = r["DELLM_MODEL_NAME"] ?? "SmolLM2-135M-Instruct"
        namespace = r["DELLM_NAMESPACE"] ?? "dellm"
        guard !namespace.isEmpty, !namespace.contains(where: { $0.isWhitespace }) else {
            throw ConfigurationError("\(r.source("DELLM_NAMESPACE")) must be a non-empty word (got '\(namespace)')")
        }
        // On a Redis Cluster every command must touch keys of one slot: the namespace becomes a hash
        // tag ("{dellm}:queries", "{dellm}:tasks:math"), so all the fleet's keys share a slot.
        if (try? RedisConfiguration(url: redisURL))?.cluster == true, !namespace.contains("{") { namespace = "{\(namespace)}" }
        modelTimeoutMilliseconds = try r.int("DELLM_MODEL_TIMEOUT_MS", 60_000, 100...3_600_000)
        blockMilliseconds = try r.int("DELLM_BLOCK_MS", 1_000, 1...60_000)
        claimMinIdleMilliseconds = try r.int("DELLM_CLAIM_MIN_IDLE_MS", 30_000, 0...86_400_000)
        maxAttempts = try r.int("DELLM_MAX_ATTEMPTS", 3, 1...10)
        shutdownGraceMilliseconds = try r.int("DELLM_SHUTDOWN_GRACE_MS", 30_000, 0...3_600_000)
        modelConcurrency = try r.int("DELLM_MODEL_CONCURRENCY", 4, 1...1_024)
        programSamples = try r.int("DELLM_PROGRAM_SAMPLES", 5, 0...20)
        queryTokens = try r.int("DELLM_QUERY_TOKENS", 800, 0...1_000_000)
        maxDeliveries = try r.int("DELLM_MAX_DELIVERIES", 5, 1...1_000)
        followStreamMaxLength = try r.int("DELLM_ANSWERS_MAXLEN", 100_000, 100...100_000_000)
        consumerHeartbeatMilliseconds = try r.int("DELLM_CONSUMER_HEARTBEAT_MS", 2_000, 100...60_000)
        fairShareParts = try r.int("DELLM_FAIR_SHARE_PARTS", 8, 1...1_000_000)
        grant = Economy.Grant(credits: Double(try r.int("DELLM_NEW_USER_CREDITS", Int(Economy.startingCredits), 0...1_000_000)),
                              perHour: try r.int("DELLM_NEW_USER_GRANTS_PER_HOUR", 600, 0...10_000_000))
        // Passwords from files (compose secrets), so they are in no URL of the environment.
        if let file = r["DELLM_REDIS_PASSWORD_FILE"] { redisPassword = try Self.secret(file, r.source("DELLM_REDIS_PASSWORD_FILE")) }
        if let file = r["DELLM_DATABASE_PASSWORD_FILE"] {
            let password = try Self.secret(file, r.source("DELLM_DATABASE_PASSWORD_FILE"))
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
            databaseURL += (databaseURL.contains("?") ? "&" : "?") + "password=" + encoded
        }
        do { _ = try RedisConfiguration(url: redisURL) } catch {
            // The message names DELLM_REDIS_URL; say so when the value came from the file.
            throw loaded?.origin["DELLM_REDIS_URL"].map { ConfigurationError("\($0): \(error)") } ?? error
        }
        logLevel = try Self.logLevel(r)
        router = try Self.router(r)
        routingRefreshMilliseconds = try r.int("DELLM_ROUTING_REFRESH_MS", 2_000, 0...3_600_000)
        spotRate = try r.fraction("DELLM_SPOT_RATE", 0.1)
        let access = r["DELLM_NODE_ACCESS"] ?? "open"
        guard let parsedAccess = NodeAccess(rawValue: access) else {
            throw ConfigurationError("\(r.source("DELLM_NODE_ACCESS")) must be open or registered (got '\(access)')")
        }
        nodeAccess = parsedAccess
        taskDeadlineMilliseconds = try r.int("DELLM_TASK_DEADLINE_MS", 600_000, 1_000...86_400_000)
        taskPartitions = try r.int("DELLM_TASK_PARTITIONS", 1, 1...64)
        evolveEveryVerdicts = try r.int("DELLM_EVOLVE_EVERY_VERDICTS", 200, 1...100_000_000)
        evolveEveryMinutes = try r.int("DELLM_EVOLVE_EVERY_MINUTES", 30, 1...100_000)
        evolution = try Self.evolution(r)
        species = loaded?.species ?? Genome.seeds
        probesFile = Self.probesFile(r, environment: environment, configFile: file)
    }

    static func modelAPI(_ r: EnvironmentReader) throws -> ModelAPI {
        let api = r["DELLM_MODEL_API"] ?? "openai"
        guard let parsed = ModelAPI(rawValue: api) else {
            throw ConfigurationError("\(r.source("DELLM_MODEL_API")) must be openai or ollama (got '\(api)')")
        }
        if parsed == .benchmarkInstant && r["DELLM_BENCHMARK"] != "1" {
            throw ConfigurationError("\(r.source("DELLM_MODEL_API"))=benchmark-instant answers without a model and is for benchmarks only (dellm bench, ops/bench set DELLM_BENCHMARK=1)")
        }
        return parsed
    }

    static func logLevel(_ r: EnvironmentReader) throws -> String {
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if let level = r["DELLM_LOG_LEVEL"], !levels.contains(level) {
            throw ConfigurationError("\(r.source("DELLM_LOG_LEVEL")) must be trace, debug, info, notice, warning, error or critical (got '\(level)')")
        }
        return r["DELLM_LOG_LEVEL"] ?? "info"
    }

    static func router(_ r: EnvironmentReader) throws -> Router {
        let strategy = r["DELLM_ROUTING"] ?? Router.Strategy.epsilonGreedy.rawValue
        guard let parsed = Router.Strategy(rawValue: strategy) else {
            throw ConfigurationError("\(r.source("DELLM_ROUTING")) must be epsilon-greedy or thompson (got '\(strategy)')")
        }
        return Router(strategy: parsed, epsilon: try r.fraction("DELLM_ROUTING_EPSILON", 0.1), top: try r.int("DELLM_ROUTING_TOP", 3, 1...100))
    }

    static func evolution(_ r: EnvironmentReader) throws -> Evolution.Settings {
        let models = (r["DELLM_EVOLVE_MODELS"] ?? "default").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return Evolution.Settings(minimumAttempts: try r.int("DELLM_EVOLVE_MIN_ATTEMPTS", 3, 1...100_000),
                                  maxPerType: try r.int("DELLM_EVOLVE_MAX_PER_TYPE", 6, 1...100),
                                  models: models.isEmpty ? ["default"] : models)
    }

    /// The probe file; a relative one named in the configuration file is relative to that file.
    static func probesFile(_ r: EnvironmentReader, environment: [String: String], configFile file: String?) -> String? {
        guard let probes = r["DELLM_EVOLVE_PROBES"], !probes.isEmpty else { return nil }
        guard !probes.hasPrefix("/"), environment["DELLM_EVOLVE_PROBES"] == nil, let file else { return probes }
        let dir = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return dir.isEmpty ? probes : dir + "/" + probes
    }

    /// Known-answer probes for newborn genomes (JSON lines, `evolution.probes`), or none.
    public var probesFile: String?

    /// Routing of subtasks to genomes by the performance matrix.
    public var router: Router
    /// How old the ingest worker's copy of the matrix and the population may get.
    public var routingRefreshMilliseconds: Int
    /// Share of passed answers without a decisive check that a second genome re-checks.
    public var spotRate: Double
    /// A generation every this many verdicts…
    public var evolveEveryVerdicts: Int
    /// …or every this many minutes (whichever comes first), when there is something to judge.
    public var evolveEveryMinutes: Int
    public var evolution: Evolution.Settings
    /// The seed species of generation 0 (the file's `species:` list, else the built-in five).
    public var species: [Genome]

    /// Reads the `species:` list of the configuration file: each entry a name, a specialization (a
    /// task type), two prompts (names from the catalogue or prompts of their own), two temperatures,
    /// optionally two models and max_tokens.
    static func loadSpecies(_ list: Any, path: String) throws -> [Genome] {
        guard let entries = list as? [[String: Any]] else { throw ConfigurationError("\(path): species must be a list of mappings") }
        return try entries.enumerated().map { i, e in
            let at = "\(path): species[\(i)]"
            let known: Set<String> = ["name", "specialization", "prompts", "temperatures", "models", "max_tokens"]
            if let bad = e.keys.first(where: { !known.contains($0) }) {
                throw ConfigurationError("\(at): unknown key '\(bad)' (known: \(known.sorted().joined(separator: ", ")))")
            }
            guard let name = e["name"] as? String, !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                throw ConfigurationError("\(at): name must be a word")
            }
            guard let spec = (e["specialization"] as? String).flatMap(TaskType.init(rawValue:)) else {
                throw ConfigurationError("\(at) (\(name)): specialization must be one of \(TaskType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let prompts = e["prompts"] as? [String], prompts.count == 2 else {
                throw ConfigurationError("\(at) (\(name)): prompts must be a list of two (one per vote)")
            }
            let temps = (e["temperatures"] as? [Any])?.compactMap { ($0 as? Double) ?? ($0 as? Int).map(Double.init) } ?? []
            guard temps.count == 2, temps.allSatisfy({ (0...2).contains($0) }) else {
                throw ConfigurationError("\(at) (\(name)): temperatures must be a list of two numbers in 0…2")
            }
            let models = (e["models"] as? [String]) ?? ["default", "default"]
            guard models.count == 2 else { throw ConfigurationError("\(at) (\(name)): models must be a list of two") }
            let tokens = (e["max_tokens"] as? Int) ?? 128
            guard (1...4096).contains(tokens) else { throw ConfigurationError("\(at) (\(name)): max_tokens must be 1…4096") }
            return Genome(id: name, species: name, specialization: spec, models: models, prompts: prompts, temperatures: temps, maxTokens: tokens)
        }
    }

    /// trace … critical.
    public var logLevel: String

    public var keys: Keys { Keys(namespace: namespace, partitions: taskPartitions) }

    public func redisConfiguration() throws -> RedisConfiguration {
        var c = try RedisConfiguration(url: redisURL)
        if let redisPassword { c.password = redisPassword }
        return c
    }

    /// A secret file's first line; an unreadable or empty file is a clear error naming the setting.
    static func secret(_ path: String, _ source: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigurationError("\(source): cannot read \(path)") }
        let value = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !value.isEmpty else { throw ConfigurationError("\(source): \(path) is empty") }
        return value
    }

    public func model(timeoutMilliseconds: Int? = nil) -> ModelClient {
        ModelClient(baseURL: modelURL, api: modelAPI, model: modelName, timeoutMilliseconds: timeoutMilliseconds ?? modelTimeoutMilliseconds)
    }

    /// One line for logs: endpoints without credentials.
    public var summary: String {
        "redis=\(ConnectionURL.redact(redisURL)) db=\(ConnectionURL.redact(databaseURL)) model=\(ConnectionURL.redact(modelURL)) (\(modelAPI.rawValue)) namespace=\(namespace)"
    }
}

/// Settings from the environment, over those of the configuration file (the environment wins), with
/// errors that name where a bad value came from (the variable, or the file's key).
struct EnvironmentReader {
    var values: [String: String]
    var origin: [String: String] = [:]

    init(environment: [String: String], file: FleetConfig.LoadedFile?) {
        values = environment
        for (k, v) in file?.values ?? [:] where environment[k] == nil {
            values[k] = v
            origin[k] = file?.origin[k]
        }
    }

    subscript(key: String) -> String? { values[key] }

    func source(_ key: String) -> String { origin[key] ?? key }

    func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard let raw = values[key] else { return fallback }
        guard let v = Int(raw), range.contains(v) else {
            throw ConfigurationError("\(source(key)) must be an integer in \(range.lowerBound)…\(range.upperBound) (got '\(raw)')")
        }
        return v
    }

    func fraction(_ key: String, _ fallback: Double) throws -> Double {
        guard let raw = values[key] else { return fallback }
        guard let v = Double(raw), (0...1).contains(v) else {
            throw ConfigurationError("\(source(key)) must be a number in 0…1 (got '\(raw)')")
        }
        return v
    }
}
