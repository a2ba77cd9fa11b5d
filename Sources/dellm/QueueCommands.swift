import ArgumentParser
import DellmCore
import DellmFleet
import DellmRedis
import Foundation

/// The operator's queue controls (`QueueControls`): exit status 0 done, 3 nothing to act on, 64 bad input.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause",
        abstract: "Stop specialists taking a type's tasks (within about a second); what they hold is finished. ops backlog shows it; ops resume undoes it.")
    @Argument(help: "math | code | factual | reasoning | creative | instant (the calculator's and exact tools' lane)") var kind: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let controls = try QueueControls.fromCLI(global)
        do { try await controls.pause(kind) } catch let e as Wire.DecodeError { throw fail(e.reason, code: 64) }
        if json { printJSON(["paused": try await controls.paused()]) } else { print("paused \(kind); paused now: \(try await controls.paused().joined(separator: ", "))") }
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Let specialists take a paused type's tasks again.")
    @Argument(help: "The type (or instant) to resume.") var kind: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let controls = try QueueControls.fromCLI(global)
        let was: Bool
        do { was = try await controls.resume(kind) } catch let e as Wire.DecodeError { throw fail(e.reason, code: 64) }
        if json { printJSON(["resumed": kind, "was_paused": was, "paused": try await controls.paused()]) } else { print(was ? "resumed \(kind)" : "\(kind) was not paused") }
        if !was { throw ExitCode(3) }
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel",
        abstract: "Cancel a running query: its open parts are not started, it ends cancelled, and the credits for the work not done are refunded (a refund ledger entry).")
    @Argument(help: "The query id.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let controls = try QueueControls.fromCLI(global)
        let outcome: QueueControls.CancelOutcome
        do { outcome = try await controls.cancel(queryID: id) } catch let e as Wire.DecodeError { throw fail(e.reason, code: 64) }
        switch outcome {
        case .cancelled(let user, let refund, let open):
            if json { printJSON(["id": id, "status": "cancelled", "user": user, "refund": refund, "open_parts": open]) } else {
                print(String(format: "cancelled %@: %d open part%@ not started; refunded %.4f credits to %@", id, open, open == 1 ? "" : "s", refund, user))
            }
        case .finished(let state):
            if json { printJSON(["id": id, "status": state.rawValue]) }
            throw fail("query \(id) has ended (\(state.rawValue)); nothing to cancel", code: 3)
        case .unknown:
            throw fail("no query \(id)", code: 3)
        }
    }
}

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry",
        abstract: "Run a failed or cancelled query again, as a new query (ID-retry-N) with the same text and user, charged once; prints the new id.")
    @Argument(help: "The query id.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let controls = try QueueControls.fromCLI(global)
        let new: String?
        do { new = try await controls.retry(queryID: id) } catch let e as Wire.DecodeError { throw fail(e.reason, code: 64) }
        guard let new else { throw fail("no query \(id)", code: 3) }
        if json { printJSON(["id": id, "retry": new]) } else { print(new) }
    }
}

struct PendingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pending",
        abstract: "The entries in flight in a stream's group (XPENDING): id, consumer, idle time, delivery count.",
        discussion: "STREAM is a key without the namespace (tasks:math, verify, queries, attempts:NODE…). GROUP defaults to the stream's reader (specialist for tasks, verifier for verify, …).")
    @Argument(help: "The stream, without the namespace.") var stream: String
    @Argument(help: "The group (default: the role that reads the stream).") var group: String?
    @Option(help: "At most this many entries.") var count = 100
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    static func reader(of stream: String) -> String? {
        if stream.hasPrefix("tasks:") { return "specialist" }
        if stream.hasPrefix("queries") { return "ingest" }
        if stream.hasPrefix("attempts:") { return "recorder" }
        return ["verify": "verifier", "synthesize": "synthesizer"][stream]
    }

    func run() async throws {
        let (config, _) = try global.bootstrap()
        guard let group = group ?? Self.reader(of: stream) else { throw fail("no group reads \(stream); name one", code: 64) }
        let client = try FleetClient(config: config)
        let entries: [PendingEntry]
        do {
            entries = try await client.redis.xpending(stream: config.keys.stream(short: stream), group: group, count: max(1, count))
        } catch let e as RedisError where e.kind == .server {
            throw fail("\(stream) has no group \(group) (\(e.message))", code: 3)
        }
        if json {
            return printJSON(entries.map { ["id": $0.id, "consumer": $0.consumer, "idle_ms": $0.idleMilliseconds, "deliveries": $0.deliveries] as [String: Any] })
        }
        if entries.isEmpty { print("nothing in flight in \(stream) for \(group)"); return }
        print("ID                      CONSUMER                                      IDLE      DELIVERIES")
        for e in entries {
            print(e.id.padding(toLength: 24, withPad: " ", startingAt: 0) + e.consumer.padding(toLength: 46, withPad: " ", startingAt: 0)
                  + "\(e.idleMilliseconds / 1000)s".padding(toLength: 10, withPad: " ", startingAt: 0) + "\(e.deliveries)")
        }
    }
}

extension QueueControls {
    static func fromCLI(_ global: GlobalOptions) throws -> QueueControls {
        let (config, _) = try global.bootstrap()
        let client = try FleetClient(config: config)
        return QueueControls(config: config, redis: client.redis, store: client.store)
    }
}
