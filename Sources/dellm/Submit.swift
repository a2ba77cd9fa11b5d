import ArgumentParser
import DellmCore
import DellmFleet
import DellmSupport
import Foundation

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a query (or a file of queries) to the fleet.",
        discussion: """
            Prints the query id. With --wait, shows progress on stderr and prints the answer.

            With --file QUERIES.jsonl (lines with "id" and "query"), submits every line, waits for all of them, and writes one {"id","answer","status",...} line per query to --out (or stdout), in the file's order.

            Exits non-zero when a query failed or timed out, with the reason.
            """
    )

    @Argument(help: "The question to ask.") var query: String?
    @Flag(help: "Wait for the answer and print it.") var wait = false
    @Flag(help: "Print JSON instead of text.") var json = false
    @Flag(help: "With --wait: also print the trace (who answered what, votes, verdicts).") var trace = false
    @Option(help: "Submit every line of this JSONL file (keys: id, query).") var file: String?
    @Option(help: "Where --file writes its answers (JSONL); stdout when omitted.") var out: String?
    @Option(help: "Seconds to wait for answers (default: 600; with --file, 300 plus 20 per query, since a small model on a CPU answers a slow question in tens of seconds).")
    var timeout: Double?
    @Option(help: "The user the query is charged to (env DELLM_USER, else $USER).") var user: String?
    @Option(help: "Use this query id (a UUID) instead of a new one; a retried id is the same query.") var id: String?
    @Flag(help: "Critical: three genomes answer every part and the majority decides (costs three times the credits).") var critical = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if (query == nil) == (file == nil) { throw ValidationError("give either a QUERY or --file QUERIES.jsonl") }
        if out != nil && file == nil { throw ValidationError("--out goes with --file") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        var who = user ?? defaultUser()
        if let me = client.submitter {
            // A submitter's own credentials: its queries are its own, and it reads nothing but their ends.
            if let user, user != me { throw fail("these credentials submit as \(me), not \(user)", code: 64) }
            if file != nil || trace { throw fail("--file and --trace read PostgreSQL: they need the operator's credentials (a submitter's see only its own answers)", code: 64) }
            who = me
        }
        if let file { return try await runFile(file, client: client, user: who) }
        let text = query!
        do { try QueryJob.validate(query: text) } catch { throw fail("\(error.reason) — nothing was submitted") }
        let cursor: String
        let qid: String
        do {
            cursor = try await client.answersCursor()
            qid = try await client.submit(text, user: who, id: id ?? UUID().uuidString.lowercased(), critical: critical)
        } catch {
            throw fail("could not submit: \(error)")
        }
        guard wait else {
            if json { printJSON(["id": qid]) } else { print(qid) }
            return
        }
        if !json { writeStandardError("submitted \(qid)\n") }
        let timeout = self.timeout ?? 600
        let box = AnswerBox()
        let started = ContinuousClock.now
        let missing = try await client.waitForAnswers([qid], after: cursor, timeout: .seconds(timeout), onProgress: { p in
            guard !json, let first = p.first else { return }
            box.progress("  \(first.settled)/\(max(first.subtasks, 1)) subtasks settled\n")
        }, onAnswer: { box.set($0) })
        let seconds = (ContinuousClock.now - started).seconds
        if !missing.isEmpty { throw fail("no answer within \(Int(timeout)) s; the query is still running: dellm result \(qid)", code: 2) }
        let event = box.events.first!
        if json {
            var o: [String: Any] = ["id": qid, "status": event.status, "seconds": seconds]
            if client.submitter == nil {
                if let checks = try? await client.inspector.partChecks(queryIDs: [qid])[qid] { o["checks"] = checks }
                o["tokens"] = (try? await client.inspector.modelTokens(queryIDs: [qid])[qid]) ?? 0
            }
            if let a = event.answer { o["answer"] = a }
            if let e = event.error { o["error"] = e }
            printJSON(o)
        } else if let a = event.answer, event.status == "answered" {
            print(a)
        }
        if trace, let t = try await client.inspector.trace(queryID: qid) { writeStandardError((renderTrace(t) + "\n")) }
        if event.status != "answered" { throw fail("query \(qid) failed: \(event.error ?? "unknown reason")") }
    }

    /// A file of JSON lines, each with a "query" (and an "id"): its lines, or a clear error naming the line.
    static func readQueries(_ path: String) throws -> [(fileID: String, query: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(path)") }
        var items: [(fileID: String, query: String)] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let q = o["query"] as? String else {
                throw fail("\(path):\(n + 1): expected a JSON object with a \"query\" string")
            }
            let fid = (o["id"] as? String) ?? (o["id"] as? Int).map(String.init) ?? "line-\(n + 1)"
            items.append((fid, q))
        }
        if items.isEmpty { throw fail("\(path) holds no queries") }
        return items
    }

    func runFile(_ path: String, client: FleetClient, user: String) async throws {
        let items = try Self.readQueries(path)
        writeStandardError("submitting \(items.count) queries from \(path)\n")
        let box = AnswerBox()
        let started = ContinuousClock.now
        let timeout = self.timeout ?? Double(300 + 20 * items.count)
        let sampler = SlotSampler(client: client.config.model())
        let total = items.count
        let results = try await client.runBatch(items.map(\.query), users: { _ in user }, timeout: .seconds(timeout), critical: critical,
                                                onProgress: { p in
            box.progress("\r  \(p.done)/\(total) answered, \(p.running) running, \(p.queued) queued, \(Int((ContinuousClock.now - started).components.seconds)) s   ")
        }) { n, total in
            box.progress("\r  \(n)/\(total) answered, \(Int((ContinuousClock.now - started).components.seconds)) s   ")
        }
        let slots = sampler.stop()
        let wall = (ContinuousClock.now - started).seconds
        writeStandardError("\n\(results.filter { $0.event?.status == "answered" }.count) of \(items.count) answered in \(String(format: "%.1f", wall)) s; \(slots.text)\n")
        try await write(items, results, client: client, timeout: timeout)
    }

    /// One JSON line per query (id, status, answer, checks, tokens), to `--out` or standard output;
    /// fails naming the queries that got no answer.
    func write(_ items: [(fileID: String, query: String)], _ results: [FleetClient.BatchResult], client: FleetClient,
               timeout: Double) async throws {
        var lines: [String] = []
        var failures: [String] = []
        // How each part was checked: "proven", "unproven" (passed, but no check proves it), "failed".
        let checks = (try? await client.inspector.partChecks(queryIDs: results.map(\.queryID))) ?? [:]
        let unproven = checks.values.filter { $0.contains("unproven") }.count
        if unproven > 0 { writeStandardError("\(unproven) of \(items.count) answers have a part no check could prove (\"checks\" in each line)\n") }
        // What the model spent (completion tokens of every vote), per query: the cost of the samples.
        let tokens = (try? await client.inspector.modelTokens(queryIDs: results.map(\.queryID))) ?? [:]
        let spent = tokens.values.reduce(0, +)
        writeStandardError("model completion tokens: \(spent) in all, \(spent / max(1, items.count)) per query\n")
        for (item, r) in zip(items, results) {
            var o: [String: Any] = ["id": item.fileID, "query_id": r.queryID]
            if let c = checks[r.queryID] { o["checks"] = c }
            o["tokens"] = tokens[r.queryID] ?? 0
            if let reason = r.refused {
                o["status"] = "refused"; o["error"] = reason; o["answer"] = ""
                failures.append("\(item.fileID): refused: \(reason)")
            } else if let e = r.event {
                o["status"] = e.status; o["answer"] = e.answer ?? ""
                if let s = r.seconds { o["seconds"] = (s * 1000).rounded() / 1000 }
                if let err = e.error { o["error"] = err }
                if e.status != "answered" { failures.append("\(item.fileID): \(e.error ?? "failed")") }
            } else {
                o["status"] = "timeout"; o["answer"] = ""
                failures.append("\(item.fileID): no answer within \(Int(timeout)) s")
            }
            let d = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
            lines.append(String(decoding: d, as: UTF8.self))
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let out {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw fail("cannot write \(out): \(error)") }
            writeStandardError("wrote \(lines.count) answers to \(out)\n")
        } else {
            print(text, terminator: "")
        }
        if !failures.isEmpty {
            for f in failures.prefix(20) { writeStandardError("  \(f)\n") }
            throw fail("\(failures.count) of \(items.count) queries did not get an answer")
        }
    }
}

/// Collects answer events from the wait callbacks.
final class AnswerBox: Sendable {
    private struct State {
        var events: [AnswerEvent] = []
        var lastProgress = ""
        var lastPrinted = ContinuousClock.now - .seconds(10)
    }
    private let state = Locked(State())
    private let terminal = isatty(2) == 1

    func set(_ e: AnswerEvent) { state.withLock { $0.events.append(e) } }
    var events: [AnswerEvent] { state.withLock { $0.events } }
    var count: Int { state.withLock { $0.events.count } }
    /// Progress on stderr: redrawn in place on a terminal; in a log, a line at most every few seconds.
    func progress(_ line: String) {
        let terminal = self.terminal
        let text = state.withLock { s -> String? in
            if line == s.lastProgress { return nil }
            s.lastProgress = line
            if terminal { return line }
            guard ContinuousClock.now - s.lastPrinted >= .seconds(5) else { return nil }
            s.lastPrinted = ContinuousClock.now
            let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
            return trimmed + "\n"
        }
        if let text { writeStandardError(text) }
    }
}

