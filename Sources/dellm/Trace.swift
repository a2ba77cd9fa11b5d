import ArgumentParser
import DellmCore
import DellmFleet
import Foundation

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Every step of one query: split, routes, votes, tools, verdicts, retries, timings.")
    @Argument(help: "The query id.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        // A submitter's own credentials: the trace its answers stream carries (its own queries only).
        let found = client.submitter != nil ? try await client.ownTrace(queryID: id) : try await client.inspector.trace(queryID: id)
        guard let t = found else {
            throw fail(client.submitter != nil ? "no trace of \(id) among your last 1,000 answers (still running, not yours, or it ended before its parts ran)" : "no query \(id)", code: 3)
        }
        if json {
            try printEncoded(t)
        } else {
            print(renderTrace(t))
        }
    }
}

func renderTrace(_ t: Inspector.Trace) -> String {
    var out = "query \(t.id)  user \(t.user)  \(t.status)"
    if let s = t.seconds { out += String(format: " in %.2f s", s) }
    out += "\n  \(t.text.prefix(200))\n"
    out += "  split into \(t.parts.count) part\(t.parts.count == 1 ? "" : "s")\n"
    // The plan as a graph: each part, and the earlier parts whose results it uses.
    if t.parts.count > 1 || t.parts.contains(where: { $0.route?.contains("uses the result of part") == true }) {
        out += "  plan: " + t.parts.map { p -> String in
            let uses = (p.route ?? "").ranges(of: "uses the result of part ").compactMap { r in
                Int((p.route ?? "")[r.upperBound...].prefix { $0.isNumber }).map { "[\($0 - 1)]" }
            }
            return "[\(p.index)] \(p.type)" + (uses.isEmpty ? "" : " ← " + uses.joined(separator: ", "))
        }.joined(separator: "   ") + "\n"
    }
    for p in t.parts {
        let mode = p.mode == "normal" ? "" : " [\(p.mode): \(p.mode == "critical" ? "three genomes, majority" : "re-checked by a second genome")]"
        out += "  [\(p.index)] \(p.type) (\(p.route ?? "rule?")) — \(p.status)\(mode)\n      \(p.text.prefix(160))\n"
        if let note = p.note { out += "      note: \(note)\n" }
        for a in p.attempts {
            var line = "      attempt \(a.attempt) by \(a.node)"
            if let g = a.genome { line += " as \(g)" }
            if let tool = a.tool { line += " with \(tool)" }
            if let ms = a.latencyMilliseconds { line += ", \(ms) ms" }
            if let c = a.confidence { line += String(format: ", confidence %.2f", c) }
            out += line + "\n"
            if let votes = try? JSONSerialization.jsonObject(with: Data(a.votes.utf8)) as? [[String: Any]] {
                for v in votes {
                    let text = (v["answer"] as? String ?? "").replacingOccurrences(of: "\n", with: " ")
                    let cost = (v["tokens"] as? Int).map { ", \($0) tokens" } ?? ""
                    out += "        vote \(v["source"] as? String ?? "?") (\(v["milliseconds"] as? Int ?? 0) ms\(cost)): \(text.prefix(100))\n"
                }
            }
            if let e = a.error { out += "        error: \(e)\n" }
            if let v = a.verdict { out += "        verdict: \(v) by \(a.verifier ?? "?") — \(a.verdictReason ?? "")\n" }
        }
    }
    if let a = t.answer { out += "  answer:\n    " + a.replacingOccurrences(of: "\n", with: "\n    ") }
    if let e = t.error { out += "  error: \(e)" }
    return out
}

struct QueriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queries", abstract: "Recent queries, newest first.")
    @Option(help: "Only this status: running, answered, failed.") var status: String?
    @Option(help: "At most this many.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let s = status, !["running", "answered", "failed"].contains(s) { throw ValidationError("--status is running, answered or failed") }
    }

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let rows = try await FleetClient(config: config).inspector.queries(status: status, limit: limit)
        if json {
            try printEncoded(rows)
            return
        }
        for r in rows {
            print("\(r.id)  \(r.status.padding(toLength: 8, withPad: " ", startingAt: 0))  \(r.createdAt.prefix(19))  \(r.text.replacingOccurrences(of: "\n", with: " ").prefix(60))")
            if let e = r.error { print("    \(e)") }
        }
    }
}
