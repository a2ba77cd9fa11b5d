import ArgumentParser
import DellmCore
import DellmFleet
import DellmModel
import DellmPostgres
import DellmRedis
import Foundation

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check Redis, PostgreSQL, the model endpoint and the sandbox, and say what to do about each failure.",
        discussion: "Exit status 0 when every check passes. --quick checks only Redis and PostgreSQL (a container healthcheck); --node checks as a node does, without PostgreSQL.")
    @Flag(help: "Only Redis and PostgreSQL.") var quick = false
    @Flag(help: "Print JSON: one object per check (name, ok, detail, fix).") var json = false
    @Flag(help: "Check as a node (a specialist): Redis with the node's own user (PING: it may not read INFO), the model and the sandbox; never PostgreSQL, which a node has no credential for.") var node = false
    @OptionGroup var global: GlobalOptions

    struct Finding: Encodable {
        var name: String
        var ok: Bool
        var detail: String
        var fix: String?
    }

    func run() async throws {
        let (config, _) = try global.bootstrap()
        var findings = node ? await Self.nodeRedis(config) : await Self.redis(config) + Self.postgres(config)
        if !quick { findings += await Self.model(config) + Self.sandbox() }
        if json { try printEncoded(findings) }
        for f in findings where !json {
            print("\(f.ok ? "ok  " : "FAIL") \(f.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(f.detail)")
            if let fix = f.fix, !f.ok { print("     → \(fix)") }
        }
        if findings.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    static func redis(_ config: FleetConfig) async -> [Finding] {
        do {
            let redis = RedisConnection(configuration: try config.redisConfiguration(), name: "doctor")
            let info = try await redis.command("INFO", "server").string ?? ""
            let version = Self.field("redis_version", in: info) ?? "?"
            let parts = version.split(separator: ".").compactMap { Int($0) }
            let recent = parts.count >= 2 && (parts[0] > 6 || (parts[0] == 6 && parts[1] >= 2))
            let persistence = try await redis.command("INFO", "persistence").string ?? ""
            let aof = Self.field("aof_enabled", in: persistence) == "1"
            return [Finding(name: "redis", ok: recent, detail: "\(redis.configuration.endpoint), version \(version)",
                            fix: recent ? nil : "upgrade Redis to 6.2 or later: the fleet reclaims work with XAUTOCLAIM"),
                    Finding(name: "redis persistence", ok: aof, detail: aof ? "AOF on" : "AOF off",
                            fix: aof ? nil : "turn on AOF (appendonly yes): without it a Redis restart can lose queued jobs")]
        } catch {
            return [Finding(name: "redis", ok: false, detail: "\(error)",
                            fix: "start Redis (./ops/stack up) or set DELLM_REDIS_URL to a reachable server")]
        }
    }

    static func nodeRedis(_ config: FleetConfig) async -> [Finding] {
        do {
            let redis = RedisConnection(configuration: try config.redisConfiguration(), name: "doctor")
            let user = redis.configuration.user ?? "default"
            _ = try await redis.command("PING")
            return [Finding(name: "redis (node)", ok: true, detail: "\(redis.configuration.endpoint) as \(user)")]
        } catch {
            return [Finding(name: "redis (node)", ok: false, detail: "\(error)",
                            fix: "use the DELLM_REDIS_URL that `dellm ops nodes add` printed for this node (a revoked node's user is gone)")]
        }
    }

    static func postgres(_ config: FleetConfig) async -> [Finding] {
        let db = PostgresConnection(url: config.databaseURL, name: "doctor")
        do {
            let version = try await db.query("SHOW server_version").first?[0] ?? "?"
            let applied = try await db.query("SELECT coalesce(max(version), 0) FROM schema_migrations").first?[0] ?? "0"
            let latest = Schema.migrations.map(\.version).max() ?? 0
            let migrated = Int(applied) == latest
            return [Finding(name: "postgresql", ok: true, detail: "\(db.endpoint), version \(version)"),
                    Finding(name: "schema", ok: migrated, detail: "at migration \(applied) of \(latest)",
                            fix: migrated ? nil : "run: dellm migrate (workers also migrate on start)")]
        } catch let e as PostgresError where e.sqlState == "42P01" {
            return [Finding(name: "postgresql", ok: true, detail: db.endpoint),
                    Finding(name: "schema", ok: false, detail: "not migrated", fix: "run: dellm migrate")]
        } catch {
            return [Finding(name: "postgresql", ok: false, detail: "\(error)",
                            fix: "start PostgreSQL (./ops/stack up) or set DELLM_DATABASE_URL (user, password, host, port, database)")]
        }
    }

    static func model(_ config: FleetConfig) async -> [Finding] {
        let model = config.model()
        do {
            guard try await model.health() else {
                return [Finding(name: "model", ok: false, detail: "\(config.modelURL) is loading its model (HTTP 503)",
                                fix: "wait: it answers once the model is loaded")]
            }
            let r = try await model.chat(ChatRequest(messages: [.user("Say OK.")], maxTokens: 1))
            return [Finding(name: "model", ok: true, detail: "\(config.modelURL) (\(config.modelAPI.rawValue)) answered in \(r.milliseconds) ms")]
        } catch {
            return [Finding(name: "model", ok: false, detail: "\(error)",
                            fix: "start the model server (./ops/stack up starts llama-server) or set DELLM_MODEL_URL and DELLM_MODEL_API")]
        }
    }

    static func sandbox() async -> [Finding] {
        let run = await Sandbox.shared.run("print(6 * 7)")
        let sandboxOK = run.succeeded && run.stdout.contains("42")
        var detail = "bubblewrap runs Python: " + Sandbox.shared.description
        if case .unavailable(let why) = run.status { detail = why } else if !sandboxOK { detail = "bubblewrap failed: \(run.stderr.prefix(200))" }
        return [Finding(name: "sandbox", ok: sandboxOK, detail: detail,
                        fix: sandboxOK ? nil : "install bubblewrap and python3 (apt-get install bubblewrap python3); in a container allow user namespaces. Code answers fail their check until then; code is never run unsandboxed")]
    }

    static func field(_ name: String, in info: String) -> String? {
        info.split(whereSeparator: \.isNewline).first { $0.hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)) }
    }
}
