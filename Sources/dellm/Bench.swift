import ArgumentParser
import Histogram
import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks of the queue itself (see ./ops/bench, which sets up everything).",
        subcommands: [Pipeline.self, Overhead.self, Single.self, SingleWorker.self])

    /// CPU time (µs), RSS and PSS (KiB) of a process, from /proc. RSS counts the shared Swift and
    /// Foundation libraries in full in every process; PSS shares them out.
    static func usage(_ pid: Int32) -> (cpuMicroseconds: Double, rssKiB: Int, pssKiB: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let name = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[name.upperBound...].split(separator: " ")
        guard fields.count > 12 else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpu = ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks * 1e6
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        let pss = rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return (cpu, rss, pss)
    }

    static func commandsProcessed(_ redis: RedisConnection) async throws -> Int {
        let info = try await redis.command("INFO", "stats").string ?? ""
        return Int(Doctor.field("total_commands_processed", in: info)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
    }

    /// Latencies in an HdrHistogram (microseconds, 3 significant digits, up to an hour).
    struct Latencies {
        private var h = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        init(seconds: [Double] = []) { seconds.forEach { record(seconds: $0) } }
        mutating func record(seconds: Double) { h.record(UInt64(Swift.max(0, Swift.min(3_600, seconds)) * 1_000_000)) }
        var count: UInt64 { h.totalCount }
        /// The value at percentile `p` (0…1), in seconds.
        func at(_ p: Double) -> Double { count == 0 ? 0 : Double(h.valueAtPercentile(p * 100)) / 1_000_000 }
        var max: Double { count == 0 ? 0 : Double(h.max) / 1_000_000 }
    }

    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive N queries through all four roles of a running fleet and report queries/s, latency, Redis commands and worker CPU per subtask.",
            discussion: "Run the workers with DELLM_MODEL_API=benchmark-instant and DELLM_BENCHMARK=1 to measure the queue's own overhead (./ops/bench does).")
        @Option(help: "Queries to submit.") var queries = 1000
        @Option(help: "Worker pids to measure CPU and RSS of (comma-separated).") var workerPids: String = ""
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            let client = try FleetClient(config: config)
            let pids = workerPids.split(separator: ",").compactMap { Int32($0) }
            let before = pids.map { Bench.usage($0) }
            let commandsBefore = try await Bench.commandsProcessed(client.redis)
            let texts = (0..<queries).map { "What is the capital of France? (\($0))" }
            let started = ContinuousClock.now
            // A new user has 100 credits and a one-part query costs 0.1: one user per 500 queries.
            let run = UUID().uuidString.prefix(8)
            let results = try await client.runBatch(texts, users: { "bench-\(run)-\($0 / 500)" }, timeout: .seconds(max(600, texts.count / 50)))
            let elapsed = ContinuousClock.now - started
            let seconds = elapsed.seconds
            let commands = try await Bench.commandsProcessed(client.redis) - commandsBefore
            let after = pids.map { Bench.usage($0) }
            let answered = results.filter { $0.event?.status == "answered" }.count
            let latencies = Bench.Latencies(seconds: results.compactMap(\.seconds))
            let subtasks = answered // one part each
            var cpu = 0.0, rss: [Int] = [], rssBefore: [Int] = [], pss: [Int] = []
            for (b, a) in zip(before, after) {
                if let b, let a {
                    cpu += a.cpuMicroseconds - b.cpuMicroseconds
                    rss.append(a.rssKiB)
                    rssBefore.append(b.rssKiB)
                    pss.append(a.pssKiB)
                }
            }
            let o: [String: Any] = [
                "queries": queries, "answered": answered, "seconds": seconds,
                "queries_per_second": Double(answered) / seconds, "subtasks_per_second": Double(subtasks) / seconds,
                "latency_p50_ms": latencies.at(0.5) * 1000, "latency_p90_ms": latencies.at(0.9) * 1000,
                "latency_p99_ms": latencies.at(0.99) * 1000, "latency_max_ms": latencies.max * 1000,
                "redis_commands_per_subtask": Double(commands) / Double(max(subtasks, 1)),
                "worker_cpu_us_per_subtask": cpu / Double(max(subtasks, 1)), "worker_rss_kib": rss,
                "worker_rss_before_kib": rssBefore, "worker_pss_kib": pss,
            ]
            if json { printJSON(o); return }
            print(String(format: "pipeline: %d/%d answered in %.2f s: %.0f queries/s, %.0f subtasks/s", answered, queries, seconds,
                         Double(answered) / seconds, Double(subtasks) / seconds))
            print(String(format: "  latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (HdrHistogram; all submitted at once; the model takes 0 ms)",
                         latencies.at(0.5) * 1000, latencies.at(0.9) * 1000, latencies.at(0.99) * 1000, latencies.max * 1000))
            print(String(format: "  Redis commands per subtask %.1f; worker CPU %.0f µs per subtask; worker RSS %@ KiB (before: %@), PSS %@ KiB",
                         Double(commands) / Double(max(subtasks, 1)), cpu / Double(max(subtasks, 1)), rss.map(String.init).joined(separator: ", "),
                         rssBefore.map(String.init).joined(separator: ", "), pss.map(String.init).joined(separator: ", ")))
            if answered < queries {
                let reason = results.first { $0.event?.status != "answered" }.map { $0.event?.error ?? $0.refused ?? "no answer in time" } ?? ""
                throw fail("\(queries - answered) queries were not answered; first reason: \(reason)")
            }
        }
    }

    struct Overhead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The fleet's own time per query, one query at a time, with the instant model: as the submitter sees it, and per stage as PostgreSQL recorded it.",
            discussion: "Stages are measured between the transactions' start times: ingest → specialist (ingest's commit, the hand-off, the specialist's look-up), specialist → verifier, verifier → synthesizer. Run the workers with DELLM_MODEL_API=benchmark-instant (./ops/bench does).")
        @Option(help: "Queries, one after another.") var queries = 200
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            let client = try FleetClient(config: config)
            var ids: [String] = []
            var seen = Bench.Latencies()
            let run = UUID().uuidString.prefix(8)
            for i in 0..<queries {
                // A new user has 100 credits and a one-part query costs 0.1 (1.5× for non-members).
                let r = try await client.runBatch(["What is the capital of France? (\(i))"], user: "overhead-\(run)-\(i / 500)", timeout: .seconds(60))
                guard let first = r.first, first.event?.status == "answered", let sec = first.seconds else {
                    throw fail("query \(i) was not answered: \(r.first?.event?.error ?? r.first?.refused ?? "no answer in time")")
                }
                if i >= 5 { seen.record(seconds: sec) } // the first few warm the connections and caches
                ids.append(first.queryID)
            }
            let rows = try await client.db.query("""
                SELECT extract(epoch FROM a.created_at - q.created_at), extract(epoch FROM v.created_at - a.created_at),
                       extract(epoch FROM q.finished_at - v.created_at), extract(epoch FROM q.finished_at - q.created_at)
                FROM queries q JOIN subtasks s ON s.query_id = q.id
                JOIN attempts a ON a.subtask_id = s.id AND a.attempt = 1 JOIN verdicts v ON v.subtask_id = s.id AND v.attempt = 1
                WHERE q.id = ANY($1::text[])
                """, [PostgresArray.literal(Array(ids.dropFirst(5)))]).rows
            var stages = [Bench.Latencies(), Bench.Latencies(), Bench.Latencies(), Bench.Latencies()]
            for r in rows { for i in 0..<4 { stages[i].record(seconds: Double(r[i] ?? "0") ?? 0) } }
            // The machine's floor, measured the same way (one at a time, idle in between): what one Redis
            // and one PostgreSQL round trip cost, and one hand-off to a C call's thread and back. A query
            // makes about a dozen of each; on a virtual machine whose idle CPUs sleep, waking them dominates.
            var redisTrip = Bench.Latencies(), pgTrip = Bench.Latencies(), hop = Bench.Latencies()
            let lane = BlockingThread(label: "dellm.bench.hop")
            for _ in 0..<200 {
                var t = ContinuousClock.now
                try await client.redis.command("PING")
                redisTrip.record(seconds: (ContinuousClock.now - t).seconds)
                t = ContinuousClock.now
                try await client.db.query("SELECT 1")
                pgTrip.record(seconds: (ContinuousClock.now - t).seconds)
                t = ContinuousClock.now
                _ = try await lane.run { 0 }
                hop.record(seconds: (ContinuousClock.now - t).seconds)
            }
            let floor = [("redis_round_trip", redisTrip), ("postgres_round_trip", pgTrip), ("thread_hand_off", hop)]
            let names = ["ingest → specialist", "specialist → verifier", "verifier → synthesizer", "server side (ingest → synthesized)"]
            if json {
                var o: [String: Any] = ["queries": queries, "client_p50_ms": seen.at(0.5) * 1000, "client_p99_ms": seen.at(0.99) * 1000]
                for (i, k) in ["ingest_to_specialist", "specialist_to_verifier", "verifier_to_synthesizer", "server_side"].enumerated() {
                    o[k + "_p50_ms"] = stages[i].at(0.5) * 1000
                    o[k + "_p99_ms"] = stages[i].at(0.99) * 1000
                }
                for (k, h) in floor { o[k + "_p50_us"] = h.at(0.5) * 1_000_000 }
                printJSON(o)
                return
            }
            print(String(format: "overhead, %d queries one at a time (the model takes 0 ms):", queries))
            print(String(format: "  submitter: p50 %.2f ms, p99 %.2f ms (XADD to the answer read back)", seen.at(0.5) * 1000, seen.at(0.99) * 1000))
            for (i, n) in names.enumerated() {
                print(String(format: "  %@: p50 %.2f ms, p99 %.2f ms", n, stages[i].at(0.5) * 1000, stages[i].at(0.99) * 1000))
            }
            print(String(format: "  this machine's floor, p50: Redis round trip %.0f µs, PostgreSQL round trip %.0f µs, thread hand-off and back %.0f µs",
                         redisTrip.at(0.5) * 1_000_000, pgTrip.at(0.5) * 1_000_000, hop.at(0.5) * 1_000_000))
        }
    }

    struct Single: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Single-stage no-op throughput: one stream, one group, W worker processes that read in batches and acknowledge, as the peer job queues are measured.")
        @Option(help: "Jobs.") var jobs = 10_000
        @Option(help: "Worker processes.") var workers = 1
        @Option(help: "Entries per XREADGROUP.") var batch = 100
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            let redis = RedisConnection(configuration: try config.redisConfiguration())
            let stream = "\(config.namespace):bench:single:\(UUID().uuidString.prefix(8))"
            try await redis.ensureGroup(stream: stream, group: "bench")
            // Enqueue first (measured on its own), then start the workers and time the drain.
            let enqueueStart = ContinuousClock.now
            var i = 0
            while i < jobs {
                let n = min(1000, jobs - i)
                _ = try await redis.pipeline((0..<n).map { k in
                    RedisConnection.xaddArgs(stream, [("v", "1"), ("job", "{\"n\":\(i + k)}")])
                })
                i += n
            }
            let enqueueSeconds = Self.seconds(ContinuousClock.now - enqueueStart)
            let commandsBefore = try await Bench.commandsProcessed(redis)
            let started = ContinuousClock.now
            var procs: [Process] = []
            for w in 0..<workers {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
                p.arguments = ["bench", "single-worker", "--stream", stream, "--consumer", "w\(w)", "--batch", String(batch), "--log-level", "error"]
                try p.run()
                procs.append(p)
            }
            var cpu = 0.0, rss: [Int] = []
            // Drained when every entry was delivered and acknowledged (XINFO GROUPS: entries-read, pending).
            var polls = 0
            while true {
                polls += 1
                if let g = try await redis.xinfoGroups(stream: stream).first, (g.entriesRead ?? 0) >= jobs, g.pending == 0 { break }
                for p in procs where !p.isRunning { throw fail("a bench worker exited early (status \(p.terminationStatus))") }
                try await Task.sleep(for: .milliseconds(5))
            }
            let drain = Self.seconds(ContinuousClock.now - started)
            for p in procs { if let u = Bench.usage(p.processIdentifier) { cpu += u.cpuMicroseconds; rss.append(u.rssKiB) } }
            // Our own polling is not the workers' traffic.
            let commands = try await Bench.commandsProcessed(redis) - commandsBefore - polls - 1
            for p in procs { p.terminate(); p.waitUntilExit() }
            try await redis.command("DEL", stream)
            let o: [String: Any] = ["jobs": jobs, "workers": workers, "batch": batch, "enqueue_jobs_per_second": Double(jobs) / enqueueSeconds,
                                    "process_jobs_per_second": Double(jobs) / drain, "seconds": drain,
                                    "redis_commands_per_job": Double(commands) / Double(jobs), "worker_cpu_us_per_job": cpu / Double(jobs),
                                    "worker_rss_kib": rss]
            if json { printJSON(o); return }
            print(String(format: "single-stage no-op, %d worker process%@: %.0f jobs/s (enqueue %.0f jobs/s), %.2f Redis commands and %.1f µs worker CPU per job, RSS %@ KiB",
                         workers, workers == 1 ? "" : "es", Double(jobs) / drain, Double(jobs) / enqueueSeconds,
                         Double(commands) / Double(jobs), cpu / Double(jobs), rss.map(String.init).joined(separator: ", ")))
        }

        static func seconds(_ d: Duration) -> Double { d.seconds }
    }

    /// The no-op job of the single-stage benchmark, run by the fleet's own consumer loop.
    struct NoopRole: Role {
        let stream: String
        var name: String { "bench" }
        var streams: [String] { [stream] }
        func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] { [] }
    }

    struct SingleWorker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "single-worker", abstract: "One worker of `bench single` (started by it).", shouldDisplay: false)
        @Option var stream: String
        @Option var consumer: String
        @Option var batch: Int
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, logger) = try global.bootstrap()
            var loop = ConsumerLoop(role: NoopRole(stream: stream), config: config, consumer: consumer, logger: logger)
            loop.batch = batch
            // The driver stops this process when the stream is drained.
            await loop.run(redis: RedisConnection(configuration: try config.redisConfiguration()),
                           db: PostgresConnection(url: config.databaseURL))
        }
    }
}
