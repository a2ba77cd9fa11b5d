import DellmCore
import DellmFleet
import DellmRedis
import Foundation
import Testing

/// A node's lane after a restart: its own entries stay pending until the recorder acknowledges them,
/// so the re-read of its pending entries must take each once (not the first one forever), skip entries
/// deleted meanwhile (a cancelled query's), and then go on to new work.
@Suite(.enabled(if: TestEnv.hasServers, "needs the test servers (run ./ops/test)"))
struct NodeLaneTests {
    @Test func aRestartedNodeTakesEachPendingEntryOnceAndGoesOn() async throws {
        let fake = try FakeModelServer(.answer("Paris is the capital of France."))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url])
        let redis = RedisConnection(configuration: try config.redisConfiguration())
        let node = "lane-\(config.namespace)", stream = config.keys.tasks(.factual), handedIn = config.keys.attempts(node: node)
        func task(_ i: Int) -> [(String, String)] {
            Wire.fields(TaskJob(queryID: "q\(i)", subtaskID: "q\(i).0", index: 0, type: .factual, text: "What is the capital of France?", attempt: 1))
        }
        func length() async throws -> Int { try await redis.command("XLEN", handedIn).int ?? 0 }
        // No recorder: what the node hands in stays unacknowledged, as while the coordinator is away.
        let role = SpecialistRole(config: config, types: [.factual], node: node)
        var ids: [String] = []
        for i in 0..<3 { ids.append(try await redis.xadd(stream, task(i))) }
        var fleet = try await InProcessFleet.start(config, roles: [role])
        try await waitUntil { try await length() == 3 }
        await fleet.stop()
        // One of its pending tasks is deleted meanwhile (its query cancelled).
        _ = try await redis.command("XDEL", stream, ids[0])
        fleet = try await InProcessFleet.start(config, roles: [role])
        _ = try await redis.xadd(stream, task(3))
        // Each of the 2 still there is answered once more, and the new one once: 3 + 2 + 1.
        try await waitUntil { try await length() >= 6 }
        await fleet.stop()
        #expect(try await length() == 6)
        let pending = try await redis.xpendingSummary(stream: stream, group: "specialist")
        #expect(pending.count == 4, "\(pending)") // 3 + the new one, none acknowledged by the node itself
    }
}
