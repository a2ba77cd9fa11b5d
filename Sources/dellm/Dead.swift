import ArgumentParser
import DellmCore
import DellmFleet
import DellmRedis
import Foundation

struct Dead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The dead-letter stream: entries that could not be processed, with the reason.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self], defaultSubcommand: List.self)

    static func client(_ global: GlobalOptions) throws -> FleetClient {
        let (config, _) = try global.bootstrap()
        return try FleetClient(config: config)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, oldest first.")
        @Option(help: "At most this many.") var count = 50
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let c = try Dead.client(global)
            let entries: [StreamEntry]
            do { entries = try await c.deadLetters(count: count) } catch { throw fail("\(error)") }
            if json {
                printJSON(entries.map { e in Dictionary(e.fields, uniquingKeysWith: { a, _ in a }).merging(["dead_id": e.id]) { a, _ in a } })
                return
            }
            if entries.isEmpty { print("no dead letters in \(c.config.keys.dead)"); return }
            for e in entries {
                print("\(e.id)  \(e["stream"] ?? "?")  \(e["reason"] ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter with all its fields.")
        @Argument(help: "The dead letter's id (from list).") var id: String
        @Flag(help: "Print JSON: its id and fields.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let c = try Dead.client(global)
            guard let e = try await c.deadLetter(id: id) else { throw fail("no dead letter \(id)", code: 3) }
            if json {
                struct Out: Encodable { var id: String; var fields: [String: String] }
                return try printEncoded(Out(id: e.id, fields: Dictionary(e.fields, uniquingKeysWith: { a, _ in a })))
            }
            for (k, v) in e.fields { print("\(k): \(v)") }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters back on the stream they came from, and remove them from the dead-letter stream.",
            discussion: "Fix the cause first (a worker bug, a schema version); a malformed entry will only come back.")
        @Argument(help: "Dead letter ids; none with --all.") var ids: [String] = []
        @Flag(help: "Replay every dead letter.") var all = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if ids.isEmpty != all { throw ValidationError("give dead letter ids, or --all") }
        }

        func run() async throws {
            let c = try Dead.client(global)
            let targets = all ? try await c.deadLetters(count: 1_000_000).map(\.id) : ids
            var replayed = 0
            for id in targets {
                do {
                    if let to = try await c.replayDeadLetter(id: id) {
                        print("\(id) → \(to)")
                        replayed += 1
                    } else {
                        writeStandardError("dellm: no dead letter \(id)\n")
                    }
                } catch { throw fail("\(id): \(error)") }
            }
            print("replayed \(replayed)")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every dead letter.")
        @Flag(help: "Really delete them.") var yes = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard yes else { throw fail("this deletes every dead letter; add --yes to do it") }
            let c = try Dead.client(global)
            let n = try await c.redis.command("XLEN", c.config.keys.dead).int ?? 0
            try await c.redis.command("DEL", c.config.keys.dead)
            print("purged \(n) dead letters")
        }
    }
}
