import ArgumentParser
import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Metrics
import ServiceLifecycle

struct Result: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a finished query's answer.",
        discussion: "Exit status: 0 answered, 1 failed (the reason on stderr), 2 still running, 3 unknown id."
    )
    @Argument(help: "The query id printed by submit.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        if client.submitter != nil { return try await ownResult(client) }
        let status: Inspector.QueryStatus?
        do { status = try await client.inspector.status(queryID: id) } catch { throw fail("\(error)") }
        guard let s = status else { throw fail("no query \(id) (not submitted, or not yet taken by an ingest worker)", code: 3) }
        if json {
            var o: [String: Any] = ["id": s.id, "status": s.status, "subtasks": s.subtasks, "settled": s.settled]
            if let a = s.answer { o["answer"] = a }
            if let e = s.error { o["error"] = e }
            printJSON(o)
        }
        switch s.status {
        case "answered": if !json { print(s.answer ?? "") }
        case "failed": throw fail("query \(id) failed: \(s.error ?? "unknown reason")")
        case "cancelled": throw fail("query \(id) was cancelled: \(s.error ?? "by the operator")")
        default: throw fail("query \(id) is still running: \(s.settled)/\(s.subtasks) subtasks settled", code: 2)
        }
    }
}

extension Result {
    /// A submitter's own query, from its answers stream (it has no database to read).
    func ownResult(_ client: FleetClient) async throws {
        let event: AnswerEvent?
        do { event = try await client.ownResult(queryID: id) } catch { throw fail("\(error)") }
        guard let e = event else {
            throw fail("no answer to \(id) among your last 1,000 (still running, or not your query)", code: 2)
        }
        if json {
            var o: [String: Any] = ["id": e.queryID, "status": e.status]
            if let a = e.answer { o["answer"] = a }
            if let r = e.error { o["error"] = r }
            printJSON(o)
        } else if e.status == "answered" {
            print(e.answer ?? "")
        }
        if e.status != "answered" { throw fail("query \(id) failed: \(e.error ?? "unknown reason")") }
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker of one role until SIGTERM/SIGINT.",
        discussion: """
            Roles: ingest (split, classify and route queries), specialist (a node: answers subtasks with the model and tools, under the genome each task carries, and hands its attempts in on its own stream; it needs only Redis — DELLM_REDIS_URL, with the credentials `dellm ops nodes add` printed — and the model, never PostgreSQL), verifier (records the nodes' attempts, checks answers, keeps trust, spot-checks, reissues tasks a node did not return), synthesizer (assemble and announce answers), evolver (run a generation of genome evolution every DELLM_EVOLVE_EVERY_VERDICTS verdicts or DELLM_EVOLVE_EVERY_MINUTES minutes).

            Run as many processes of each role as you like against one Redis and one PostgreSQL. SIGTERM or SIGINT stops reading; an entry in flight is finished or left pending for another consumer.
            """
    )
    enum RoleName: String, ExpressibleByArgument, CaseIterable { case ingest, specialist, verifier, synthesizer, evolver }

    @Argument(help: "ingest | specialist | verifier | synthesizer | evolver") var role: RoleName
    @Option(help: "Task types a specialist takes, comma-separated (math,code,factual,reasoning,creative; default: env DELLM_TYPES, else all).")
    var types: String?
    var typeNames: String { types ?? ProcessInfo.processInfo.environment["DELLM_TYPES"] ?? TaskType.allCases.map(\.rawValue).joined(separator: ",") }
    @Option(help: "Parallel lanes in this process, each with its own connections (default 1). A specialist's lane takes one subtask at a time and asks the model for two votes at once, so its default is DELLM_MODEL_CONCURRENCY ÷ 2: no lane holds a subtask while waiting for the model, where another user's query could overtake it.")
    var concurrency: Int?
    @Option(help: "Specialists taking math: lanes of their own for arithmetic the calculator answers (the instant stream), so it never waits behind model calls; 0 for none.")
    var instantLanes: Int = 1
    @Option(help: "Specialists: the node's name, as registered with `dellm ops nodes add` (default: env DELLM_NODE, else host-types). Trust, earnings and missed deadlines are kept under it.") var node: String?
    @Option(help: "Consumer name prefix (default: host-pid). Give each worker slot a stable name so a restarted worker resumes its pending entries at once; never run two live workers under one name.")
    var name: String?
    @Option(help: "Specialists: the user credited with this node's earnings (default: env DELLM_USER, else operator).") var owner: String?
    @Option(help: "Specialists: a label for this node in ops trust (the performance matrix is kept per genome, whichever node expresses it).") var species = "default"
    @Option(help: "Serve Prometheus metrics on this port (GET /metrics); off when omitted.") var metricsPort: Int?
    @Option(help: "The address the metrics port binds (loopback by default; 0.0.0.0 to let another host scrape it).") var metricsHost = "127.0.0.1"
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let concurrency, !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be 1…256") }
        for t in typeNames.split(separator: ",") where TaskType(rawValue: String(t)) == nil {
            throw ValidationError("unknown task type '\(t)'; known: \(TaskType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let (config, logger) = try global.bootstrap()
        let host = ProcessInfo.processInfo.hostName
        let typeList = typeNames.split(separator: ",").compactMap { TaskType(rawValue: String($0)) }
        var l = logger
        l[metadataKey: "role"] = "\(role.rawValue)"
        var services: [any Service] = []
        if let metricsPort {
            do { services.append(MetricsService(server: try MetricsEndpoint.start(port: metricsPort, host: metricsHost, logger: l))) } catch {
                throw fail("metrics: \(error)")
            }
        }
        let r: any Role
        var extra: [(role: any Role, lanes: Int)] = []
        var workerName = name, trimmed: [String] = []
        switch role {
        case .evolver:
            var evolver = EvolverService(config: config, logger: l)
            evolver.services = services
            do { return try await evolver.run() } catch { throw fail("evolver: \(error)") }
        case .ingest: r = IngestRole(config: config)
        case .specialist:
            let env = ProcessInfo.processInfo.environment
            let nodeName = node ?? env["DELLM_NODE"] ?? Self.defaultNode(host: host, types: typeList)
            do { try Wire.checkNode(nodeName) } catch { throw fail("--node: \(error)") }
            let s = SpecialistRole(config: config, types: typeList, node: nodeName, owner: owner ?? env["DELLM_USER"] ?? "operator", species: species)
            r = s
            if typeList.contains(.math), instantLanes > 0 { extra = [(s.instantLane, instantLanes)] }
            // Lanes are named `<node>~<slot>-specialist-<lane>`: the coordinator counts a missed deadline
            // against the node a lane belongs to.
            workerName = "\(nodeName)~\(name ?? String(getpid()))"
        case .verifier:
            r = VerifierRole(config: config, verifierID: node ?? "\(host)/verifier")
            // The coordinator's side of the nodes' work: recording their attempts, reissuing what they did not return.
            extra = [(RecorderRole(config: config), concurrency ?? 1)]
            let sweeper = TaskSweeper(config: config)
            services.append(sweeper.service(redis: RedisConnection(configuration: try config.redisConfiguration(), name: "sweeper"),
                                            db: PostgresConnection(url: config.databaseURL, name: "sweeper"), logger: l))
            trimmed = config.keys.taskStreams
        case .synthesizer: r = SynthesizerRole(config: config)
        }
        do {
            let lanes = concurrency ?? (role == .specialist ? max(1, config.modelConcurrency / 2) : 1)
            var worker = Worker(role: r, config: config, concurrency: lanes, logger: l, name: workerName, extraLanes: extra, services: services)
            worker.trimmedBesides = trimmed
            try await worker.run()
        } catch {
            throw fail("\(role.rawValue) worker: \(error)")
        }
    }
}

extension WorkerCommand {
    /// `host-math+code`, with anything a node name may not hold replaced.
    static func defaultNode(host: String, types: [TaskType]) -> String {
        let clean = String(host.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" }.prefix(40))
        return (clean.isEmpty ? "node" : clean) + "-" + types.map(\.rawValue).joined(separator: "+")
    }
}

struct Ops: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect and operate the fleet.", subcommands: [Backlog.self, TraceCommand.self, QueriesCommand.self, Dead.self, Exporter.self, TrustCommand.self, CreditsCommand.self, MatrixCommand.self, LeaderboardCommand.self, GenomesCommand.self, EvolveCommand.self, SlotsCommand.self, NodesCommand.self, UsersCommand.self, RolesCommand.self, PauseCommand.self, ResumeCommand.self, CancelCommand.self, RetryCommand.self, PendingCommand.self])
}

struct Backlog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per stream: length, each group's pending, lag, last-delivered id and oldest pending age, each consumer's pending and idle time.",
        discussion: "The numbers come straight from XLEN, XINFO GROUPS, XINFO CONSUMERS and XPENDING, so they agree with redis-cli. --watch redraws every --interval seconds until Ctrl-C; piped (not a terminal) it writes each snapshot after the last without screen codes, and with --json one line of JSON per snapshot.")
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Redraw live, like top.") var watch = false
    @Option(help: "Seconds between redraws with --watch.") var interval: Double = 1
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        // Screen codes only for a terminal: piped, snapshots follow one another.
        let clear = watch && isatty(STDOUT_FILENO) == 1 ? "\u{1B}[H\u{1B}[2J" : ""
        repeat {
            let info: [FleetClient.StreamInfo]
            do { info = try await client.backlog() } catch {
                if watch {
                    print("\(clear)\(Date()): \(error) — retrying")
                    fflush(nil)  // (all streams: a snapshot leaves at once when piped)
                    try await Task.sleep(for: .seconds(interval))
                    continue
                }
                throw fail("\(error)")
            }
            let paused = Set((try? await QueueControls(config: config, redis: client.redis, store: client.store).paused()) ?? [])
            if json {
                try printEncoded(info.map { s in
                    var s = s
                    if let kind = Self.kind(of: s.stream, namespace: config.namespace), paused.contains(kind) { s.paused = true }
                    return s
                }, compact: watch)
            } else {
                print(clear + Self.render(info, namespace: config.namespace, watching: watch, paused: paused))
            }
            fflush(nil)  // (all streams: a snapshot leaves at once when piped)
            if watch { try await Task.sleep(for: .seconds(interval)) }
        } while watch
    }

    /// The task type (or `instant`) of a task stream, in either key layout.
    static func kind(of stream: String, namespace: String) -> String? {
        Keys(namespace: namespace).kind(ofTaskStream: stream)
    }

    /// The sum over the partitions of `s`'s tier: length, and its groups' pending, lag and oldest pending.
    static func total(of s: FleetClient.StreamInfo, in info: [FleetClient.StreamInfo], namespace: String)
        -> (name: String, length: Int, pending: Int, lag: Int, oldest: Int?, partitions: Int)? {
        let keys = Keys(namespace: namespace)
        guard let kind = s.kind, let mine = keys.taskStreamParts(s.stream) else { return nil }
        let tier = info.filter { $0.kind == kind && keys.taskStreamParts($0.stream)?.bulk == mine.bulk }
        let groups = tier.flatMap(\.groups)
        return ("tasks:" + kind + (mine.bulk ? ":bulk" : ""), tier.map(\.length).reduce(0, +), groups.map(\.pending).reduce(0, +),
                groups.compactMap(\.lag).reduce(0, +), groups.compactMap(\.oldestPendingMilliseconds).max(), tier.count)
    }

    static func render(_ info: [FleetClient.StreamInfo], namespace: String, watching: Bool, paused: Set<String> = []) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        func age(_ ms: Int) -> String { ms < 1000 ? "\(ms)ms" : ms < 120_000 ? "\(ms / 1000)s" : "\(ms / 60_000)m" }
        var out = watching ? "dellm backlog — namespace \(namespace) — \(Date())\n\n" : ""
        out += pad("STREAM", 24) + pad("LEN", 8) + pad("GROUP", 13) + pad("PENDING", 8) + pad("LAG", 7) + pad("OLDEST", 8) + pad("CONSUMERS", 10) + "LAST-DELIVERED\n"
        var totalled: Set<String> = []
        for s in info {
            var short = Keys(namespace: namespace).short(s.stream)
            // A partitioned type: its tier's partitions added up on a line of their own, before them.
            if s.partition != nil, let total = Self.total(of: s, in: info, namespace: namespace), totalled.insert(total.name).inserted {
                out += pad(total.name, 24) + pad(String(total.length), 8) + pad(Set(info.filter { $0.kind == s.kind }.flatMap(\.groups).map(\.name)).sorted().joined(separator: ","), 13) + pad(String(total.pending), 8)
                    + pad(String(total.lag), 7) + pad(total.oldest.map(age) ?? "-", 8) + "(\(total.partitions) partitions)\n"
            }
            if s.partition != nil { short = "  " + short }
            // A paused type's streams (`ops pause`): specialists do not read them until `ops resume`.
            if let kind = kind(of: s.stream, namespace: namespace), paused.contains(kind) { short += " (paused)" }
            if s.groups.isEmpty {
                out += pad(short, 24) + pad(String(s.length), 8) + (short == "dead" && s.length > 0 ? "← dead letters: dellm ops dead list" : "-") + "\n"
                continue
            }
            for g in s.groups {
                out += pad(short, 24) + pad(String(s.length), 8) + pad(g.name, 13) + pad(String(g.pending), 8)
                    + pad(g.lag.map(String.init) ?? "?", 7) + pad(g.oldestPendingMilliseconds.map(age) ?? "-", 8)
                    + pad(String(g.consumers), 10) + g.lastDeliveredID + "\n"
                for c in g.consumerDetails {
                    out += "    " + pad(c.name, 44) + "pending \(c.pending), idle \(age(c.idleMilliseconds))\n"
                }
            }
        }
        return out
    }
}

struct Exporter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the streams' backlog as Prometheus gauges (length, pending, lag, oldest pending age, consumers).")
    @Option(help: "The port to serve GET /metrics on.") var port = 9464
    @Option(help: "The address to bind (loopback by default; 0.0.0.0 to let another host scrape it).") var host = "127.0.0.1"
    @Option(help: "Seconds between refreshes.") var interval: Double = 5
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, logger) = try global.bootstrap()
        let client = try FleetClient(config: config)
        do { try MetricsEndpoint.start(port: port, host: host, logger: logger) } catch { throw fail("metrics: \(error)") }
        while !Task.isCancelled {
            do {
                for s in try await client.backlog() {
                    Gauge(label: "dellm_stream_length", dimensions: [("stream", s.stream)]).record(s.length)
                    for g in s.groups {
                        let d = [("stream", s.stream), ("group", g.name)]
                        Gauge(label: "dellm_group_pending", dimensions: d).record(g.pending)
                        Gauge(label: "dellm_group_lag", dimensions: d).record(g.lag ?? 0)
                        Gauge(label: "dellm_group_consumers", dimensions: d).record(g.consumers)
                        Gauge(label: "dellm_group_oldest_pending_seconds", dimensions: d).record(Double(g.oldestPendingMilliseconds ?? 0) / 1000)
                    }
                }
                Gauge(label: "dellm_exporter_up").record(1)
            } catch {
                Gauge(label: "dellm_exporter_up").record(0)
                logger.warning("backlog refresh failed", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
