import ArgumentParser
import DellmCore
import DellmFleet
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run an eval file through the fleet and print the score per type and latency percentiles.",
        discussion: "QUERIES.jsonl lines have id, query, type and check, as in ../shared/eval/; the checks are those of score.py (Python tests run in the sandbox). --out writes the answers in score.py's format.")
    @Argument(help: "The eval file (JSONL).") var file: String
    @Option(help: "Also write the answers here (JSONL: id, answer, status, seconds).") var out: String?
    @Option(help: "Seconds to wait for all answers.") var timeout: Double = 1800
    @Option(help: "Only the first N queries.") var limit: Int?
    @Option(help: "The user charged (env DELLM_USER, else $USER).") var user: String?
    @Flag(help: "Print each failed query.") var verbose = false
    @Option(help: "At most this many queries in flight (default: all at once). With the model's slot count, latencies measure the fleet rather than the queue in front of the model.")
    var parallel: Int?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    typealias Item = (id: String, query: String, type: String, check: EvalCheck)

    func run() async throws {
        let (config, _) = try global.bootstrap()
        var items = try readItems()
        if let limit { items = Array(items.prefix(limit)) }
        let client = try FleetClient(config: config)
        let box = AnswerBox()
        let started = ContinuousClock.now
        writeStandardError("evaluating \(items.count) queries from \(file)\n")
        let who = user ?? defaultUser(), queries = items.map(\.query), wait = Duration.seconds(timeout)
        let results: [FleetClient.BatchResult]
        if let parallel, parallel > 0, parallel < queries.count {
            results = try await slidingWindow(queries, slots: parallel, config: config, user: who, timeout: wait) { done in
                box.progress("\r  \(done)/\(queries.count) answered, \(Int((ContinuousClock.now - started).components.seconds)) s")
            }
        } else {
            results = try await client.runBatch(queries, user: who, timeout: wait) { n, total in
                box.progress("\r  \(n)/\(total) answered, \(Int((ContinuousClock.now - started).components.seconds)) s")
            }
        }
        try await report(items, results, client: client)
    }

    /// The file's lines: id, query, type, check.
    func readItems() throws -> [Item] {
        guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)") }
        var items: [Item] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let q = o["query"] as? String, let c = o["check"] else { throw fail("\(file):\(n + 1): expected id, query, type, check") }
            do {
                items.append(((o["id"] as? String) ?? "line-\(n + 1)", q, (o["type"] as? String) ?? "?", try EvalCheck(json: c)))
            } catch { throw fail("\(file):\(n + 1): \(error)") }
        }
        return items
    }

    /// A sliding window: `slots` queries in flight, each slot with its own client (a waiting read holds
    /// a connection); a slot that finishes takes the next query.
    func slidingWindow(_ queries: [String], slots: Int, config: FleetConfig, user: String, timeout: Duration,
                       progress: @escaping (Int) -> Void) async throws -> [FleetClient.BatchResult] {
        var clients: [FleetClient] = []
        for _ in 0..<slots { clients.append(try FleetClient(config: config)) }
        return try await withThrowingTaskGroup(of: (Int, Int, FleetClient.BatchResult).self) { group in
            var next = 0, out = [FleetClient.BatchResult?](repeating: nil, count: queries.count)
            func start(_ slot: Int) {
                guard next < queries.count else { return }
                let i = next, runner = clients[slot], query = queries[i]
                next += 1
                group.addTask { (slot, i, try await runner.runBatch([query], user: user, timeout: timeout)[0]) }
            }
            for slot in clients.indices { start(slot) }
            var done = 0
            while let (slot, i, r) = try await group.next() {
                out[i] = r
                done += 1
                progress(done)
                start(slot)
            }
            return out.compactMap { $0 }
        }
    }

    /// Scores each answer by its check, writes the lines (`--out`), prints the table per type.
    func report(_ items: [Item], _ results: [FleetClient.BatchResult], client: FleetClient) async throws {
        writeStandardError("\n")
        let checks = (try? await client.inspector.partChecks(queryIDs: results.compactMap { $0.event?.queryID })) ?? [:]
        var unprovenPerType: [String: Int] = [:]
        var perType: [String: (Int, Int)] = [:]
        var latencies: [Double] = []
        var lines: [String] = []
        var failedLines: [String] = []
        for (item, r) in zip(items, results) {
            let answer = r.event?.answer ?? ""
            let ok = r.event?.status == "answered" ? await item.check.passes(answer) : false
            var t = perType[item.type, default: (0, 0)]
            t.0 += ok ? 1 : 0
            t.1 += 1
            perType[item.type] = t
            if let s = r.seconds { latencies.append(s) }
            if !ok { failedLines.append("FAIL \(item.id): \(answer.replacingOccurrences(of: "\n", with: " ").prefix(120))") }
            var o: [String: Any] = ["id": item.id, "answer": answer, "status": r.event?.status ?? (r.refused == nil ? "timeout" : "refused"),
                                    "seconds": r.seconds ?? -1, "passed": ok]
            // The fleet's id of the query, to look its subtasks, attempts and verdicts up (`dellm ops query ID`).
            if let q = r.event?.queryID {
                o["query"] = q
                if let c = checks[q] {
                    o["checks"] = c
                    if c.contains("unproven") { unprovenPerType[item.type, default: 0] += 1 }
                }
            }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        }
        if let out { try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
        let total = perType.values.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        let histogram = Bench.Latencies(seconds: latencies)
        func pct(_ p: Double) -> Double { histogram.at(p) }
        if json {
            printJSON(["score": total.0, "total": total.1,
                       "per_type": Dictionary(uniqueKeysWithValues: perType.map { ($0.key, ["passed": $0.value.0, "total": $0.value.1, "unproven": unprovenPerType[$0.key] ?? 0]) }),
                       "latency_seconds": ["p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": histogram.max]])
            return
        }
        if verbose { failedLines.forEach { print($0) } }
        // "unproven": answers with a part that passed but no check could prove (a fact, untested code).
        for (t, (g, n)) in perType.sorted(by: { $0.key < $1.key }) {
            let u = unprovenPerType[t] ?? 0
            print("\(t.padding(toLength: 10, withPad: " ", startingAt: 0)) \(g)/\(n)" + (u > 0 ? "  (\(u) with an unproven part)" : ""))
        }
        print(String(format: "latency    p50 %.2f s, p90 %.2f s, p99 %.2f s, max %.2f s (submission to answer, %@)",
                     pct(0.5), pct(0.9), pct(0.99), histogram.max,
                     parallel.map { "\($0) in flight" } ?? "all queries at once"))
        print("score: \(total.0)/\(total.1)")
    }
}

