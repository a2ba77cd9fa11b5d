import ArgumentParser
import DellmCore
import DellmFleet
import Foundation

func printEncoded<T: Encodable>(_ value: T) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try enc.encode(value), as: UTF8.self))
}

struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trust",
        abstract: "Every node's trust (0.6 × last-100 accuracy + 0.3 × lifetime accuracy + 0.1 × uptime), as only the verifier's verdicts move it.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let nodes = try await FleetClient(config: config).store.nodes()
        if json { return try printEncoded(nodes) }
        print("TRUST  ACCURACY        UPTIME  SPECIES     NODE")
        for n in nodes {
            let acc = n.verified > 0 ? String(format: "%5.1f%% of %d", 100 * Double(n.correct) / Double(n.verified), n.verified) : "no verdicts"
            print(String(format: "%.3f  %@  %5.0f%%  %@  %@", n.trust, acc.padding(toLength: 14, withPad: " ", startingAt: 0), n.uptime * 100,
                         n.species.padding(toLength: 10, withPad: " ", startingAt: 0), n.id))
        }
    }
}

struct CreditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credits",
        abstract: "A user's balance and latest ledger entries (grants, charges per query, earnings per verified attempt).")
    @Argument(help: "The user.") var user: String
    @Option(help: "Entries to show.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let store = try FleetClient(config: config).store
        let balance = try await store.balance(user: user)
        let entries = try await store.ledger(user: user, limit: limit)
        if json {
            struct Out: Encodable { var user: String; var balance: Double; var entries: [Store.LedgerEntry] }
            return try printEncoded(Out(user: user, balance: balance, entries: entries))
        }
        if entries.isEmpty { throw fail("no ledger entries for \(user)", code: 3) }
        print(String(format: "%@: %.4f credits", user, balance))
        for e in entries {
            var what = e.kind
            if let q = e.queryID { what += " query \(q)" }
            if let s = e.subtaskID, let a = e.attempt { what += " (subtask \(s), attempt \(a))" }
            print(String(format: "  %+10.4f  %@  %@", e.amount, String(e.at.prefix(19)), what))
        }
    }
}

struct MatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "matrix",
        abstract: "The performance matrix: task type × species, score = correctness × speed, from the verdicts.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let cells = try await FleetClient(config: config).store.matrix()
        if json { return try printEncoded(cells) }
        print("TYPE       SPECIES     ATTEMPTS  ACCURACY  MEAN      SCORE")
        for c in cells {
            print(String(format: "%@ %@ %8d  %7.1f%%  %6.0fms  %.3f", c.type.padding(toLength: 10, withPad: " ", startingAt: 0),
                         c.species.padding(toLength: 11, withPad: " ", startingAt: 0), c.attempts, c.accuracy * 100, c.meanMilliseconds, c.score))
        }
    }
}

struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leaderboard",
        abstract: "Nodes ranked by experience (credits earned and trust), with levels.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let nodes = try await FleetClient(config: config).store.nodes().filter { $0.role == "specialist" }
        let ranked = nodes.map { n in (n, Economy.experience(earned: n.earned, trust: n.trust)) }.sorted { $0.1.xp > $1.1.xp }
        if json {
            struct Row: Encodable { var rank: Int; var node: String; var owner: String?; var xp: Int; var level: Int; var earned: Double; var trust: Double }
            return try printEncoded(ranked.enumerated().map { i, r in
                Row(rank: i + 1, node: r.0.id, owner: r.0.owner, xp: r.1.xp, level: r.1.level, earned: r.0.earned, trust: r.0.trust)
            })
        }
        print("RANK  LEVEL  XP      EARNED     TRUST  NODE (OWNER)")
        for (i, r) in ranked.enumerated() {
            print(String(format: "%4d  %5d  %-6d  %9.4f  %.3f  %@ (%@)", i + 1, r.1.level, r.1.xp, r.0.earned, r.0.trust, r.0.id, r.0.owner ?? "?"))
        }
    }
}
