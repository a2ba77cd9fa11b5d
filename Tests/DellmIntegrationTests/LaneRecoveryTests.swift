import DellmCore
@testable import DellmFleet
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Logging
import Testing

/// A handler whose calls number `failing` meet a PostgreSQL outage (a connection error, as when the
/// server restarts), and whose calls number `cutting` cut the lane's Redis connection (CLIENT KILL
/// through `admin`), so the lane's next send of its outbox fails. Every other call succeeds at once.
/// Records the entries it handled.
struct ScriptedOutageRole: Role {
    let stream: String
    var failing: Set<Int> = []
    var cutting: Set<Int> = []
    var admin: RedisConnection?
    /// How long a call that succeeds takes (a model call's seconds, for the test under real timings).
    var takes: Duration = .zero
    let calls = Locked(0)
    let handled: Collector<String>
    var name: String { "outage" }
    var streams: [String] { [stream] }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let call = calls.withLock { $0 += 1; return $0 }
        if failing.contains(call) { throw PostgresError(.connection, "scripted outage (call \(call))") }
        if cutting.contains(call), let admin, let id = try await context.redis.command("CLIENT", "ID").int {
            _ = try await admin.command("CLIENT", "KILL", "ID", String(id))
        }
        if takes > .zero { try await Task.sleep(for: takes) }
        handled.add(entry.id)
        return []
    }
}

/// A handler whose output is an entry on `out` naming the entry handled; on call 1 that output goes to
/// `refusing` instead, a key that is no stream, so Redis refuses the XADD (as it does when out of
/// memory) while applying the XACK after it.
struct RefusedOutputRole: Role {
    let stream: String
    let out: String
    let refusing: String
    let calls = Locked(0)
    var name: String { "refused" }
    var streams: [String] { [stream] }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        let call = calls.withLock { $0 += 1; return $0 }
        return [Emit(stream: call == 1 ? refusing : out, fields: [("entry", entry.id)])]
    }
}

/// A handler that holds the entry "hold" until `gate` opens; records what it started and handled.
struct GatedRole: Role {
    let stream: String
    let gate: Gate
    let started: Collector<String>
    let handled: Collector<String>
    var name: String { "gated" }
    var streams: [String] { [stream] }
    func handle(_ entry: StreamEntry, context: LaneContext) async throws -> [Emit] {
        started.add(entry["job"] ?? "")
        if entry["job"] == "hold" { await gate.wait() }
        handled.add(entry["job"] ?? "")
        return []
    }
}

/// Opens once; whoever waits before is resumed then.
actor Gate {
    private var open = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if open { return }
        await withCheckedContinuation { waiting.append($0) }
    }
    func release() {
        open = true
        waiting.forEach { $0.resume() }
        waiting = []
    }
}

/// How a lane comes back from outages without leaving an entry behind (`ConsumerLoop`): what it held
/// in memory is re-read from the start of its pending list, and an entry it lost track of all the same
/// is taken up again.
@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct LaneRecoveryTests {
    /// A PostgreSQL outage in the middle of a batch, twice: the lane keeps what it holds, handles the
    /// failed entry and the rest from memory, and sends the committed ones' acknowledgements after. No
    /// entry is handled twice, none is left pending (before, a failure with committed entries in the
    /// outbox re-read everything from Redis, counting a delivery each time).
    @Test func aPostgreSQLOutageMidBatchIsRetriedFromMemory() async throws {
        let q = try await Queue(entries: 40)
        let handled = Collector<String>()
        let role = ScriptedOutageRole(stream: q.stream, failing: [2, 4], handled: handled)
        try await q.drain(role, handled)
        #expect(try await q.pending() == 0)
        #expect(handled.all.count == q.ids.count, "\(handled.all.count - Set(handled.all).count) entries handled twice")
        #expect(role.calls.value == q.ids.count + 2, "\(role.calls.value) calls: 40 entries and the 2 failures")
    }

    /// The same under real timings: calls of 1.5 s (a model's), a queue of 6 for one lane, and the
    /// orphan check armed (claim idle 300 ms), so the entries waiting behind a slow call are idle far
    /// longer than the claim time. None is taken up again or handled twice.
    @Test func aPostgreSQLOutageAmongSlowCallsIsRetriedFromMemory() async throws {
        let q = try await Queue(entries: 6, extra: ["DELLM_CLAIM_MIN_IDLE_MS": "300", "DELLM_CONSUMER_HEARTBEAT_MS": "100"])
        let handled = Collector<String>()
        let role = ScriptedOutageRole(stream: q.stream, failing: [2, 4], takes: .milliseconds(1_500), handled: handled)
        try await q.drain(role, handled)
        #expect(try await q.pending() == 0)
        #expect(handled.all.count == q.ids.count, "\(handled.all.count - Set(handled.all).count) entries handled twice")
        #expect(role.calls.value == q.ids.count + 2, "\(role.calls.value) calls: 6 entries and the 2 failures")
    }

    /// An outbox that fails while being sent leaves the lane in doubt: it re-reads its pending entries.
    /// Here that happens twice (the lane's Redis connection cut), the second time for the batch of the
    /// first re-read. Every entry is
    /// handled and acknowledged. Before, the second re-read started where the first had got to, and the
    /// entries the first had handed out stayed pending under a live consumer for ever: the
    /// PostgreSQL-restart fault lost 3–20 queries of 200 so in CI and here (then on PostgreSQL errors
    /// too). The claim idle time is an hour, so the orphan check (below) cannot mend it instead.
    @Test func aSecondFailedSendDuringTheReReadLeavesNothingPending() async throws {
        let q = try await Queue(entries: 40)
        let handled = Collector<String>()
        // The batch of calls 1–16 cannot be sent: all is re-read from pending; the batch of that re-read
        // (calls 17–32) cannot be sent either.
        let role = ScriptedOutageRole(stream: q.stream, cutting: [1, 17], admin: q.redis, handled: handled)
        try await q.drain(role, handled)
        #expect(try await q.pending() == 0)
        let missed = Set(q.ids).subtracting(handled.all)
        #expect(missed.isEmpty, "\(missed.count) of \(q.ids.count) entries never handled")
        // How many were handled again depends on when the outbox was sent (after 2 ms, under load
        // within the batch): at least the first entry was (57 calls in one CI run, 72 when idle).
        #expect(role.calls.value > q.ids.count, "\(role.calls.value) calls: entries were handled again after the failed sends")
    }

    /// An XADD refused in the pipeline that acknowledges its entry: the entry is no longer pending, so
    /// the lane handles it again from memory, and its output arrives. Before, the output was lost.
    @Test func anOutputRedisRefusedIsSentAgain() async throws {
        let config = try TestEnv.config(extra: ["DELLM_CLAIM_MIN_IDLE_MS": "3600000", "DELLM_CONSUMER_HEARTBEAT_MS": "60000"])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let (stream, out, refusing) = ("\(config.namespace):refused", "\(config.namespace):out", "\(config.namespace):not-a-stream")
        _ = try await redis.command("SET", refusing, "a string")
        try await redis.ensureGroup(stream: stream, group: "refused")
        var ids: [String] = []
        for i in 0..<3 { ids.append(try await redis.xadd(stream, [("job", "\(i)")])) }
        let role = RefusedOutputRole(stream: stream, out: out, refusing: refusing)
        let task = Self.run(role, config)
        defer { task.cancel() }
        func delivered() async throws -> Set<String> {
            Set(try await StreamRange.entries(redis, out).compactMap { $0["entry"] })
        }
        try await waitUntil(timeout: .seconds(30)) { try await delivered() == Set(ids) }
        task.cancel()
        await task.value
        #expect(try await delivered() == Set(ids), "every entry's output arrived")
        #expect(try await redis.xpendingSummary(stream: stream, group: "refused").count == 0)
        #expect(role.calls.value >= ids.count + 1, "\(role.calls.value) calls: the refused entry was handled again")
    }

    /// A stream of `entries` entries for the group "outage", on a namespace of its own; the claim idle
    /// time is an hour unless `extra` says otherwise, so the orphan check stays out of the way.
    struct Queue {
        let config: FleetConfig
        let redis: RedisConnection
        let stream: String
        var ids: [String] = []

        init(entries: Int, extra: [String: String] = [:]) async throws {
            config = try TestEnv.config(extra: ["DELLM_CLAIM_MIN_IDLE_MS": "3600000", "DELLM_CONSUMER_HEARTBEAT_MS": "60000"].merging(extra) { $1 })
            redis = RedisConnection(configuration: try config.redisConfiguration())
            stream = "\(config.namespace):outage"
            try await redis.ensureGroup(stream: stream, group: "outage")
            for i in 0..<entries { ids.append(try await redis.xadd(stream, [("job", "\(i)")])) }
        }

        func pending() async throws -> Int { try await redis.xpendingSummary(stream: stream, group: "outage").count }

        /// Runs a lane of `role` until every entry was handled and none is pending (30 s at most).
        func drain(_ role: ScriptedOutageRole, _ handled: Collector<String>) async throws {
            let task = LaneRecoveryTests.run(role, config)
            defer { task.cancel() }
            try await waitUntil(timeout: .seconds(30)) {
                let pending = try await pending()
                return pending == 0 && Set(handled.all) == Set(ids)
            }
            task.cancel()
            await task.value
        }
    }

    static func run(_ role: some Role, _ config: FleetConfig) -> Task<Void, Never> {
        var logger = Logger(label: role.name)
        logger.logLevel = .critical
        let loop = ConsumerLoop(role: role, config: config, consumer: "c", logger: logger)
        return Task { await loop.run(redis: RedisConnection(configuration: try! config.redisConfiguration()), db: PostgresConnection(url: config.databaseURL)) }
    }

    /// An entry pending under a lane's consumer that the lane does not hold (planted with XCLAIM while
    /// the lane is busy, so it never read it) is taken up by that lane once idle for the claim time, and
    /// handled. No other lane may take it: its consumer is alive.
    @Test func anEntryTheLaneLostTrackOfIsTakenUpAgain() async throws {
        let config = try TestEnv.config(extra: ["DELLM_CLAIM_MIN_IDLE_MS": "300", "DELLM_CONSUMER_HEARTBEAT_MS": "100"])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let stream = "\(config.namespace):gated"
        try await redis.ensureGroup(stream: stream, group: "gated")
        try await redis.xadd(stream, [("job", "hold")])
        let gate = Gate(), started = Collector<String>(), handled = Collector<String>()
        let task = Self.run(GatedRole(stream: stream, gate: gate, started: started, handled: handled), config)
        defer { task.cancel() }
        try await waitUntil(timeout: .seconds(20)) { started.all.contains("hold") }
        // While the lane is in its handler: an entry read by another consumer, then moved to the lane's.
        let orphan = try await redis.xadd(stream, [("job", "orphan")])
        let read = try await redis.xreadgroup(group: "gated", consumer: "other", streams: [stream], id: ">", count: 1, blockMilliseconds: nil)
        #expect(read.map(\.id) == [orphan])
        _ = try await redis.command("XCLAIM", stream, "gated", "c", "0", orphan, "JUSTID")
        await gate.release()
        try await waitUntil(timeout: .seconds(30)) {
            let pending = try await redis.xpendingSummary(stream: stream, group: "gated").count
            return handled.all.contains("orphan") && pending == 0
        }
        task.cancel()
        await task.value
        #expect(handled.all == ["hold", "orphan"])
    }
}

/// Every entry of a stream (a few, for tests).
enum StreamRange {
    static func entries(_ redis: RedisConnection, _ stream: String) async throws -> [StreamEntry] {
        try (try await redis.command("XRANGE", stream, "-", "+").array ?? []).compactMap { try RedisConnection.parseEntry(stream: stream, $0) }
    }
}
