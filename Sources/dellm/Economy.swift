import ArgumentParser
import DellmCore
import DellmFleet
import Foundation
import Logging

/// Prints a value as JSON: indented, or on one line (`compact`, for a stream of snapshots such as
/// `--watch --json`, one line each).
func printEncoded<T: Encodable>(_ value: T, compact: Bool = false) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try enc.encode(value), as: UTF8.self))
}

struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trust",
        abstract: "Every node's trust (0.6 × last-100 accuracy + 0.3 × lifetime accuracy + 0.1 × uptime), as only the verifier's verdicts move it.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let nodes = try await FleetClient(config: config).inspector.nodes()
        // What trust does (`TrustPolicy`): the node's spot rate for unprovable answers, quarantine.
        struct Out: Encodable { var node: Inspector.NodeRow; var spotRate: Double; var quarantined: Bool }
        let rows = nodes.map { n in
            let standing = TrustPolicy.Standing(trust: n.trust, verified: n.verified)
            return Out(node: n, spotRate: TrustPolicy.spotRate(base: config.spotRate, standing), quarantined: TrustPolicy.quarantined(standing))
        }
        if json { return try printEncoded(rows) }
        print("TRUST  ACCURACY        UPTIME  SPOT  SPECIES     NODE")
        for r in rows {
            let n = r.node
            let acc = n.verified > 0 ? String(format: "%5.1f%% of %d", 100 * Double(n.correct) / Double(n.verified), n.verified) : "no verdicts"
            let spot = r.quarantined ? "QUAR" : String(format: "%3.0f%%", r.spotRate * 100)
            print(String(format: "%.3f  %@  %5.0f%%  %@  %@  %@", n.trust, acc.padding(toLength: 14, withPad: " ", startingAt: 0), n.uptime * 100,
                         spot, n.species.padding(toLength: 10, withPad: " ", startingAt: 0), n.id))
        }
        if rows.contains(where: \.quarantined) {
            print("QUAR: quarantined (trust below \(TrustPolicy.floor) after \(TrustPolicy.probation) verdicts): every unprovable answer re-checked, no earnings")
        }
    }
}

struct CreditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credits",
        abstract: "A user's balance and latest ledger entries (grants, charges per query, earnings per verified attempt).")
    @Argument(help: "The user.") var user: String
    @Option(help: "Entries to show (0: the balance only).") var limit = 20
    @Option(help: "Add this many credits to the user's balance first (an operator's top-up, a 'topup' ledger entry).") var topUp: Double?
    @Option(help: "With --top-up: a key that makes it count once however often the command runs (default: a new one).") var key: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
    }

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let store = try FleetClient(config: config).store
        if let amount = topUp {
            do {
                _ = try await store.ledger.topUp(user: user, amount: amount, key: key ?? UUID().uuidString.lowercased())
            } catch let e as Wire.DecodeError {
                throw fail(e.reason, code: 64)
            }
        }
        let balance = try await store.ledger.balance(user: user)
        let entries = try await store.inspector.ledger(user: user, limit: limit)
        if json {
            struct Out: Encodable { var user: String; var balance: Double; var entries: [Inspector.LedgerEntry] }
            return try printEncoded(Out(user: user, balance: balance, entries: entries))
        }
        if entries.isEmpty && topUp == nil && limit > 0 { throw fail("no ledger entries for \(user)", code: 3) }
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
        abstract: "The performance matrix: task type × genome (and its species), score = correctness × speed, from the verdicts on model-made answers.",
        discussion: "Routing reads it: a subtask goes to one of the top 3 genomes of its type, weighted by score ÷ (1 + load), with ε-greedy exploration or Thompson sampling (DELLM_ROUTING). Answers computed by the calculator are not counted: they say nothing about a genome. Passes no check could prove (facts, code no example tests, word problems the calculator does not read) are counted apart as UNPROVEN, not in attempts or accuracy; one outvoted by the others counts as a failed attempt.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let cells = try await FleetClient(config: config).inspector.matrix()
        if json { return try printEncoded(cells) }
        print("TYPE       GENOME                         ATTEMPTS  ACCURACY  MEAN      SCORE  UNPROVEN")
        for c in cells {
            print(String(format: "%@ %@ %8d  %7.1f%%  %6.0fms  %.3f  %8d", c.type.padding(toLength: 10, withPad: " ", startingAt: 0),
                         c.species.padding(toLength: 30, withPad: " ", startingAt: 0), c.attempts, c.accuracy * 100, c.meanMilliseconds, c.score, c.unproven))
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
        let nodes = try await FleetClient(config: config).inspector.nodes().filter { $0.role == "specialist" }
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

struct GenomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "genomes",
        abstract: "The genomes: the active population with fitness, the generations, and rollback.",
        discussion: """
            A genome is two votes (model, prompt, temperature each), a specialization and a token budget. Fitness = correctness ÷ (1 + latency / 10 s + 0.1 × model calls per answer), from the verdicts on its model-made answers.

              dellm ops genomes                 the active population
              dellm ops genomes history         every generation: fleet fitness, band, culled, bred
              dellm ops genomes rollback GEN    make generation GEN's population active again (recorded as a new generation)
            """,
        subcommands: [List.self, History.self, Rollback.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The active genomes, by type, with their record and fitness.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            let store = try FleetClient(config: config).store
            let genomes = try await store.genomes.active()
            let stats = try await store.genomes.stats()
            if json {
                struct Row: Encodable { var genome: Genome; var stats: Evolution.Stats?; var fitness: Double? }
                return try printEncoded(genomes.map { Row(genome: $0, stats: stats[$0.id], fitness: stats[$0.id]?.fitness) })
            }
            print("TYPE       GENOME                         GEN  ANSWERS  CORRECT  MEAN     FITNESS  VOTES")
            for g in genomes {
                let st = stats[g.id]
                print(String(format: "%@ %@ %3d  %7d  %6.1f%%  %5.0fms  %@  %@", g.specialization.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                             g.id.padding(toLength: 30, withPad: " ", startingAt: 0), g.generation, st?.attempts ?? 0,
                             (st?.correctness ?? 0) * 100, (st?.meanSeconds ?? 0) * 1000,
                             st.map { String(format: "%7.3f", $0.fitness) } ?? "      -", g.summary))
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every generation: fleet fitness, band, mutation rate, culled and bred.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            let rows = try await FleetClient(config: config).store.genomes.generations(limit: 1000)
            if json { return try printEncoded(rows) }
            print("GEN  KIND      FITNESS  BAND        MUTATION  ACTIVE  CULLED  BRED  AT")
            for r in rows {
                print(String(format: "%3d  %@  %@  %@  %@  %6d  %6d  %4d  %@", r.number, r.kind.padding(toLength: 8, withPad: " ", startingAt: 0),
                             r.fleetFitness.map { String(format: "%7.3f", $0) } ?? "      -",
                             (r.band ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0),
                             r.mutationRate.map { String(format: "%8.1f", $0) } ?? "       -", r.population.count, r.culled.count, r.spawned.count,
                             String(r.at.prefix(19))))
                if let note = r.note { print("     \(note)") }
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a recorded generation's population the active one again.")
        @Argument(help: "The generation number (see: dellm ops genomes history).") var generation: Int
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (config, _) = try global.bootstrap()
            guard let row = try await FleetClient(config: config).store.genomes.rollback(to: generation) else {
                throw fail("no generation \(generation) (see: dellm ops genomes history)", code: 3)
            }
            print("generation \(row.number): rolled back to generation \(generation); active: \(row.population.joined(separator: ", "))")
        }
    }
}

struct EvolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evolve",
        abstract: "Run one generation of evolution now (the evolver worker does this on a schedule).",
        discussion: "Per task type: cull the bottom 20% of the genomes with enough verdicts, let the top 20% spawn mutated variants (temperature, prompt, model, token budget) and cross the best two; the fleet's fitness band sets the mutation rate. With DELLM_EVOLVE_PROBES (evolution.probes), each child first answers the known-answer probes of its type with the model and is admitted only if it passes as many as its best parent.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let store = try FleetClient(config: config).store
        try await store.prepare(species: config.species)
        let evolver = try Evolver(store: store, config: config, logger: Logger(label: "dellm.evolve"))
        let out = try await evolver.runGeneration(note: "run by dellm ops evolve")
        if json {
            struct Out: Encodable {
                var generation: Int; var stored: Bool; var fleetFitness: Double?; var band: String?; var culled: [String]; var spawned: [Genome]
                var notAdmitted: [String]; var probes: [String: Probation.Score]; var notes: [String]
            }
            let p = out.plan
            return try printEncoded(Out(generation: p.generation, stored: out.stored, fleetFitness: p.fleetFitness, band: p.band?.rawValue,
                                        culled: p.culled, spawned: p.spawned, notAdmitted: out.refused, probes: out.probes, notes: p.notes))
        }
        guard out.stored else { throw fail("no generation: \(out.plan.notes.joined(separator: "; "))", code: 2) }
        let p = out.plan
        print(String(format: "generation %d: fleet fitness %.3f (%@, mutation rate %.1f); culled %d, bred %d", p.generation, p.fleetFitness ?? 0,
                     p.band?.rawValue ?? "-", p.band?.mutationRate ?? 0, p.culled.count, p.spawned.count))
        for n in p.notes { print("  \(n)") }
        for g in p.spawned { print("  + \(g.id) from \(g.parents.joined(separator: " × ")): \(g.summary)") }
        for c in p.culled { print("  - \(c)") }
    }
}

struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nodes",
        abstract: "Register, list and revoke the nodes that may answer tasks (each with a Redis user of its own).",
        discussion: """
            A registered node runs `dellm worker specialist` with nothing but the lines `ops nodes add` prints: a Redis user that may read the task streams of its types and append to its own stream, and no PostgreSQL credential. Run the verifier with DELLM_NODE_ACCESS=registered so only registered nodes' work is recorded, and their earnings go to the owner they were registered for.
            """,
        subcommands: [NodesAdd.self, NodesList.self, NodesRevoke.self])
}

struct NodesAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add",
        abstract: "Register a node (again: a new password) and print its credentials as environment lines.")
    @Argument(help: "The node's name: 1–64 of A–Z a–z 0–9 . _ + -") var name: String
    @Option(help: "The user its earnings go to.") var owner: String
    @Option(help: "Task types it may take, comma-separated.") var types: String = TaskType.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "A label for ops trust.") var species = "default"
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        var typeList: [TaskType] = []
        for t in types.split(separator: ",") {
            guard let type = TaskType(rawValue: String(t)) else { throw fail("unknown task type '\(t)'", code: 64) }
            typeList.append(type)
        }
        let client = try FleetClient(config: config)
        let credentials: NodeCredentials, persisted: Bool
        do {
            (credentials, persisted) = try await NodeRegistrar(config: config, redis: client.redis, store: client.store)
                .add(node: name, owner: owner, types: typeList, species: species)
        } catch let e as Wire.DecodeError {
            throw fail(e.reason, code: 64)
        }
        if json {
            return printJSON(["node": credentials.node, "redis_user": credentials.redisUser, "redis_url": credentials.redisURL,
                              "types": credentials.types.map(\.rawValue), "acl_saved": persisted])
        }
        credentials.environmentLines.forEach { print($0) }
        if !persisted {
            FileHandle.standardError.write(Data("note: Redis has no ACL file (start it with --aclfile): the node's user lasts until Redis restarts\n".utf8))
        }
    }
}

struct NodesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Registered nodes: owner, types, trust, verdicts, missed deadlines, last seen.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let nodes = try await FleetClient(config: config).store.nodes.registered()
        if json {
            return printJSON(nodes.map { ["node": $0.id, "owner": $0.owner, "species": $0.species, "types": $0.types, "trust": $0.trust,
                                          "verified": $0.verified, "missed": $0.missed, "last_seen": $0.lastSeen, "revoked": $0.revoked] as [String: Any] })
        }
        if nodes.isEmpty { throw fail("no registered nodes (dellm ops nodes add NAME --owner USER)", code: 3) }
        print("NODE                  OWNER           TRUST  VERDICTS  MISSED  LAST SEEN            TYPES")
        for n in nodes {
            print(String(format: "%@  %@  %.3f  %8d  %6d  %@  %@%@", n.id.padding(toLength: 20, withPad: " ", startingAt: 0),
                         n.owner.padding(toLength: 14, withPad: " ", startingAt: 0), n.trust, n.verified, n.missed, n.lastSeen, n.types,
                         n.revoked ? "  (revoked)" : ""))
        }
    }
}

struct NodesRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke",
        abstract: "Revoke a node: its Redis user is deleted (its connections close) and its work is no longer recorded.")
    @Argument(help: "The node's name.") var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        let revoked: Bool
        do { revoked = try await NodeRegistrar(config: config, redis: client.redis, store: client.store).revoke(node: name) } catch let e as Wire.DecodeError {
            throw fail(e.reason, code: 64)
        }
        guard revoked else { throw fail("no registered node \(name) (or it is revoked already)", code: 3) }
        print("revoked \(name)")
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users",
        abstract: "Give submitters credentials of their own: queries charged to them whatever user a job names, and only their own answers to read.",
        discussion: """
            `ops users add NAME` prints the DELLM_REDIS_URL and DELLM_USER lines a submitter runs `dellm submit` and `dellm result` with: a Redis user that may append to NAME's own query stream and read NAME's own answers stream, nothing else (no PostgreSQL credential). The shared query stream stays the operator's: whoever can write to it can name any user.
            """,
        subcommands: [UsersAdd.self, UsersList.self, UsersRevoke.self])
}

struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a submitter (again: a new password) and print its lines.")
    @Argument(help: "The user name: 1–64 of A–Z a–z 0–9 . _ @ + -") var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        let added: (redisURL: String, persisted: Bool)
        do { added = try await SubmitterRegistrar(config: config, redis: client.redis).add(user: name) } catch let e as Wire.DecodeError {
            throw fail(e.reason, code: 64)
        }
        print("DELLM_USER=\(name)")
        print("DELLM_REDIS_URL=\(added.redisURL)")
        if !added.persisted {
            FileHandle.standardError.write(Data("note: Redis has no ACL file (start it with --aclfile): the user lasts until Redis restarts\n".utf8))
        }
    }
}

struct UsersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Registered submitters.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        let users = try await SubmitterRegistrar(config: config, redis: client.redis).list()
        if users.isEmpty { throw fail("no registered submitters (dellm ops users add NAME)", code: 3) }
        users.forEach { print($0) }
    }
}

struct UsersRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a submitter's credentials (its connections close).")
    @Argument(help: "The user name.") var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        let revoked: Bool
        do { revoked = try await SubmitterRegistrar(config: config, redis: client.redis).revoke(user: name) } catch let e as Wire.DecodeError {
            throw fail(e.reason, code: 64)
        }
        guard revoked else { throw fail("no registered submitter \(name)", code: 3) }
        print("revoked \(name)")
    }
}

struct RolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roles",
        abstract: "Create (or renew) a Redis user per coordinator role, limited to that role's keys and to commands that are not administrative; print ROLE DELLM_REDIS_URL=… lines.",
        discussion: "Run each worker of that role with its line (`./ops/stack up` does). The evolver needs no Redis; the operator's CLI keeps the operator's user.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        let (urls, persisted) = try await RoleAccess.setUp(config: config, redis: client.redis)
        for (role, url) in urls { print("\(role) DELLM_REDIS_URL=\(url)") }
        if !persisted {
            FileHandle.standardError.write(Data("note: Redis has no ACL file (start it with --aclfile): the users last until Redis restarts\n".utf8))
        }
    }
}
