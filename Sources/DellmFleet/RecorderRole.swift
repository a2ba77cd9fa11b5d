import DellmCore
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging

/// recorder — the coordinator's side of a node's work. It reads every node's own stream
/// (`{ns}:attempts:<node>`), and for each attempt: checks that the task is one the coordinator issued
/// and that the task entry it names is that task; records the attempt for the node whose stream it
/// is (never for a name written in it), with the owner and species of the node's registration;
/// acknowledges the task for the node; and hands the attempt to the verifier. Heartbeats record a
/// node's uptime; a node's dead letters are filed, unless the task reads fine here (then the node is
/// not believed and the task is reissued at its deadline).
public struct RecorderRole: Role {
    public let config: FleetConfig
    let roster = NodeRoster()
    public var name: String { "recorder" }
    public var streams: [String] { roster.nodes.map { config.keys.attempts(node: $0) } }

    public init(config: FleetConfig) {
        self.config = config
    }

    public func refresh(context: LaneContext) async throws {
        try await roster.refresh(config: config, redis: context.redis, store: context.store)
    }

    public func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let handedIn = entry.id
        guard let node = config.keys.node(ofAttempts: entry.stream) else { throw Poison("\(entry.stream) is not a node's stream") }
        let said: (owner: String?, species: String?)
        switch roster.standing(node) {
        case .registered(let owner, let species): said = (owner, species)
        case .revoked: throw Poison("node \(node) is revoked: its work is not recorded")
        case .unknown where config.nodeAccess == .registered:
            throw Poison("node \(node) is not registered (dellm ops nodes add): its work is not recorded")
        case .unknown: said = (nil, nil) // an open fleet: the node's own word
        }
        let registered = said.owner != nil
        if let beat = entry["heartbeat"] {
            let h: NodeHeartbeat
            do { h = try Wire.decode(NodeHeartbeat.self, v: entry["v"], job: beat) } catch { throw Poison(error.reason) }
            try await context.store.nodes.heartbeat(node: node, role: "specialist", owner: said.owner ?? h.owner ?? "operator",
                                                    species: said.species ?? h.species ?? "default")
            return []
        }
        if entry["reason"] != nil { return try await file(deadLetter: entry, node: node, context: context) }
        if let declined = entry["declined"] { return try await putBack(declined: declined, handedIn: entry.id, redis: context.redis) }
        let job: AttemptJob
        do { job = try Wire.decode(AttemptJob.self, v: entry["v"], job: entry["job"]) } catch { throw Poison(error.reason) }
        let taskEntry = try await issuedEntry(of: job, redis: context.redis)
        let ack = taskEntry.map { Emit.ack($0.stream, group: "specialist", id: $0.id) }
        let verify = Emit(config.keys.verify, VerifyJob(queryID: job.task.queryID, subtaskID: job.task.subtaskID, attempt: job.task.attempt))
        switch try await context.store.attempts.state(job.task) {
        case .unknown: throw Poison(Self.unknownSubtask(job.task), emits: ack.map { [$0] } ?? [])
        case .unneeded: return ack.map { [$0] } ?? []
        case .recorded: return [verify] + (ack.map { [$0] } ?? [])
        case .open: break
        }
        if let entry = taskEntry, let reason = try await refusal(of: job, node: node, entry: entry, store: context.store) {
            context.logger.info("attempt refused; the task goes to another node", metadata: ["node": "\(node)", "subtask": "\(job.task.subtaskID)", "why": "\(reason)"])
            return try reissue(entry, handedIn: handedIn)
        }
        // An open fleet's node is registered by its first attempt this process records (its owner and
        // species as it says); a registered node's row is the registration's and is not touched.
        let register = !registered && roster.firstAttempt(node)
        do {
            try await context.store.attempts.record(job.task, node: node, owner: said.owner ?? job.owner ?? "operator",
                                                    species: said.species ?? job.species ?? "default", genome: job.genome,
                                                    record: job.record, register: register)
        } catch let e as PostgresError where e.sqlState == "23503" {
            throw Poison(Self.unknownSubtask(job.task))
        }
        return [verify] + (ack.map { [$0] } ?? [])
    }

    static func unknownSubtask(_ job: TaskJob) -> String {
        "no subtask \(job.subtaskID) with attempt \(job.attempt) of this type and text: the task was not issued by the coordinator"
    }

    /// The task entry the attempt names, once it is shown to hold that task (so a node cannot have
    /// another node's task acknowledged); nil when the entry is gone (trimmed, or taken back).
    func issuedEntry(of job: AttemptJob, redis: RedisConnection) async throws -> StreamEntry? {
        guard let task = try await taskEntry(stream: job.taskStream, id: job.taskEntry, redis: redis) else { return nil }
        guard let t = try? Wire.decode(TaskJob.self, v: task["v"], job: task["job"]), t.subtaskID == job.task.subtaskID,
              t.attempt == job.task.attempt, t.type == job.task.type, t.text == job.task.text else {
            throw Poison("the attempt names task entry \(job.taskEntry.prefix(40)) of \(job.taskStream), which holds another task")
        }
        return task
    }

    /// How often a task is put back for another node before the refusing rules give way (a fleet whose
    /// only node of the type is the refused one still gets its answer, checked as ever).
    static let maxRefusals = 10

    /// Why a registered fleet does not take this attempt from this node (`TrustPolicy`'s adaptive
    /// replication, by node): a quarantined node gets only re-asked work (its first attempts go to other
    /// nodes), and a re-asked attempt (a retry, a spot check) must come from another node than the
    /// earlier ones. Nil: take it.
    func refusal(of job: AttemptJob, node: String, entry: StreamEntry, store: Store) async throws -> String? {
        guard config.nodeAccess == .registered, (entry["reissued"].flatMap { Int($0) } ?? 0) < Self.maxRefusals else { return nil }
        if job.task.attempt == 1, let trust = roster.trust(node), TrustPolicy.quarantined(trust) {
            return "the node is quarantined: it gets only re-asked work"
        }
        if job.task.attempt > 1, try await store.attempts.answeredBefore(job.task, node: node) {
            return "a second opinion must come from another node"
        }
        return nil
    }

    /// A task a node declined (a second opinion it gave already): put back for another node, if the entry
    /// it names is a task still there.
    func putBack(declined: String, handedIn: String, redis: RedisConnection) async throws -> [Emit] {
        guard let f = try? JSONFields(declined), let stream = try? f.string("task_stream"), let id = try? f.string("task_entry"),
              let task = try await taskEntry(stream: stream, id: id, redis: redis),
              (try? Wire.decode(TaskJob.self, v: task["v"], job: task["job"])) != nil else { return [] }
        return try reissue(task, handedIn: handedIn)
    }

    /// How long the recorder waits before it puts a task back the `times`-th time: 25 ms, doubling to
    /// 500 ms, so the ten put-backs before the refused node answers itself span 3.3 s. Without the wait
    /// a refusing node that reads again at once (its lane sweeps its streams after each entry) could be
    /// handed the same task ten times in a few milliseconds while the other nodes' lanes were busy, and
    /// then answer its own second opinion.
    public static func putBackDelay(times: Int) -> Duration {
        .milliseconds(min(500, 25 << min(max(times - 1, 0), 5)))
    }

    /// The task put back at the end of its stream for another node, and the taken entry acknowledged,
    /// once `putBackDelay` has passed since the node handed in its attempt or refusal (the id of its
    /// entry, `handedIn`, is Redis's clock). Until then `NotYet`: the entry waits aside and the lane goes
    /// on — a recorder that slept here held up every entry behind it (one node's fleet answered 2
    /// queries a second, its recorder lanes asleep between put-backs). The wait is never longer than the
    /// delay, whatever the clocks say.
    func reissue(_ entry: StreamEntry, handedIn: String) throws -> [Emit] {
        let times = (entry["reissued"].flatMap { Int($0) } ?? 0) + 1
        let delay = Self.putBackDelay(times: times)
        let handedAt = Int64(handedIn.split(separator: "-").first ?? "") ?? 0
        let since = Int64(Date().timeIntervalSince1970 * 1000) - handedAt
        let wait = min(delay, delay - .milliseconds(max(0, since)))
        if wait > .zero { throw NotYet(wait: wait) }
        let fields = entry.fields.filter { $0.0 != "reissued" } + [("reissued", String(times))]
        return [Emit(stream: entry.stream, fields: fields), .ack(entry.stream, group: "specialist", id: entry.id)]
    }

    /// The entry `id` of a task stream, or nil when it is gone. A stream that is no task stream, or an id
    /// that is no stream id, fails the job.
    func taskEntry(stream: String, id: String, redis: RedisConnection) async throws -> StreamEntry? {
        guard config.keys.taskStreams.contains(stream) else { throw Poison("\(stream.prefix(80)) is not a task stream") }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 20 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw Poison("'\(id.prefix(40))' is not a stream entry id")
        }
        let r = try await redis.command("XRANGE", stream, id, id)
        return (r.array ?? []).compactMap { try? RedisConnection.parseEntry(stream: stream, $0) }.first
    }

    /// A task the node could not read, or that crashed it: filed as a dead letter (with the node's name)
    /// and acknowledged, unless the task reads fine here — then the node's word is not taken (it could
    /// so drop any task it likes), and the task is reissued to another node at its deadline.
    func file(deadLetter entry: StreamEntry, node: String, context: LaneContext) async throws -> [Emit] {
        var emits = [Emit(stream: config.keys.dead, fields: entry.fields + [("node", node)], maxLengthApprox: config.followStreamMaxLength)]
        guard let stream = entry["stream"], let id = entry["id"] else { return emits }
        guard let task = try? await taskEntry(stream: stream, id: id, redis: context.redis) else { return emits }
        if (try? Wire.decode(TaskJob.self, v: task["v"], job: task["job"])) != nil {
            context.logger.warning("a node dead-lettered a task that reads fine; it is reissued at its deadline instead",
                                   metadata: ["node": "\(node)", "stream": "\(stream)", "id": "\(id)", "reason": "\(entry["reason"] ?? "")"])
            return []
        }
        emits.append(.ack(stream, group: "specialist", id: id))
        return emits
    }
}

/// The nodes whose streams the recorder reads, and how each stands: registered nodes from PostgreSQL;
/// in an open fleet also every node stream found in Redis. Refreshed at most every two seconds, by
/// whichever lane comes first; shared by the process's recorder lanes.
final class NodeRoster: Sendable {
    private struct State {
        var nodes: [String] = []
        var standings: [String: NodeStanding] = [:]
        var trust: [String: TrustPolicy.Standing] = [:]
        var refreshedAt: ContinuousClock.Instant?
        var registeredThisProcess: Set<String> = []
    }
    private let state = Locked(State())
    let every: Duration = .seconds(2)

    var nodes: [String] { state.value.nodes }

    func standing(_ node: String) -> NodeStanding { state.value.standings[node] ?? .unknown }

    /// A registered node's trust and verdicts as of the last refresh.
    func trust(_ node: String) -> TrustPolicy.Standing? { state.value.trust[node] }

    /// True the first time it is asked for `node` in this process.
    func firstAttempt(_ node: String) -> Bool { state.withLock { $0.registeredThisProcess.insert(node).inserted } }

    func refresh(config: FleetConfig, redis: RedisConnection, store: Store) async throws {
        let due = state.withLock { s -> Bool in
            if let at = s.refreshedAt, ContinuousClock.now - at < every { return false }
            s.refreshedAt = .now
            return true
        }
        guard due else { return }
        let registry = try await store.nodes.registry()
        var names = registry.filter { $0.value.standing != .revoked }.map(\.key)
        if config.nodeAccess == .open { names += try await openStreams(config: config, redis: redis).filter { registry[$0] == nil } }
        let sorted = names.sorted()
        state.withLock {
            $0.nodes = sorted
            $0.standings = registry.mapValues(\.standing)
            $0.trust = registry.mapValues(\.trust)
        }
    }

    /// The nodes with a stream in Redis (SCAN, which does not block the server).
    private func openStreams(config: FleetConfig, redis: RedisConnection) async throws -> [String] {
        var cursor = "0", found: [String] = []
        repeat {
            let r = try await redis.command("SCAN", cursor, "MATCH", config.keys.attempts(node: "*"), "COUNT", "1000", "TYPE", "stream")
            guard let parts = r.array, parts.count == 2, let next = parts[0].string else { break }
            cursor = next
            found += (parts[1].array ?? []).compactMap { $0.string.flatMap(config.keys.node(ofAttempts:)) }
        } while cursor != "0"
        return found.filter { (try? Wire.checkNode($0)) != nil }
    }
}
