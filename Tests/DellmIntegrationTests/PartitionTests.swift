import DellmCore
@testable import DellmFleet
import DellmPostgres
import DellmRedis
import DellmSupport
import Foundation
import Testing

/// A fleet whose task streams are partitioned (`DELLM_TASK_PARTITIONS`), as worker processes on one
/// Redis: every partition gets work and is read, `ops backlog` adds a type's partitions up, and a
/// process started with another count refuses to start instead of losing work.
@Suite(.enabled(if: TestEnv.hasServers && ProcessFleet.binary != nil, "needs the test servers and DELLM_TEST_BIN (run ./ops/test)"))
struct PartitionTests {
    @Test func aPartitionedFleetAnswersFromEveryPartition() async throws {
        // A model about as slow as the real one (800 ms a call), and more model work than lanes: the
        // lanes of model work sweep their partitions while others hold calls in flight.
        let fake = try FakeModelServer(.slow(800, "Paris is the capital of France."))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_TASK_PARTITIONS": "3", "DELLM_SPOT_RATE": "0"])
        let fleet = try ProcessFleet(config: config, modelURL: fake.url, extra: ["DELLM_TASK_PARTITIONS": "3", "DELLM_SPOT_RATE": "0"])
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let client = try FleetClient(config: config)
        let answers = Collector<AnswerEvent>()
        var expected: [String: String] = [:]
        var missing: Set<String> = [], backlog = (status: Int32(0), out: ""), json = backlog
        do { // (the processes are stopped whatever happens)
            try fleet.up()
            let cursor = try await client.answersCursor()
            for i in 0..<24 { expected[try await client.submit("What is \(i + 3) times 11?", user: "part-\(config.namespace)")] = String((i + 3) * 11) }
            for i in 0..<12 { expected[try await client.submit("What is the capital of France? (\(i))", user: "part-\(config.namespace)")] = "Paris" }
            missing = try await client.waitForAnswers(Array(expected.keys), after: cursor, timeout: .seconds(60)) { answers.add($0) }
            backlog = try ProcessFleet.cli(config, ["ops", "backlog"])
            json = try ProcessFleet.cli(config, ["ops", "backlog", "--json"])
        } catch {
            await fleet.down()
            throw error
        }
        await fleet.down()
        let got = Dictionary(answers.all.map { ($0.queryID, $0.answer ?? "") }) { a, _ in a }
        #expect(missing.isEmpty, "unanswered: \(missing); ingest: \(fleet.log("ingest").suffix(400)); specialist: \(fleet.log("specialist").suffix(400))")
        #expect(expected.allSatisfy { id, want in got[id]?.contains(want) == true }, "\(got)")

        // Every partition of the instant stream received tasks and its lanes read them all.
        var added: [Int] = []
        for stream in config.keys.taskStreams("instant") {
            let info = try await client.redis.command("XINFO", "STREAM", stream).array ?? []
            let fields = stride(from: 0, to: info.count - 1, by: 2).map { (info[$0].string ?? "", info[$0 + 1]) }
            added.append(fields.first { $0.0 == "entries-added" }?.1.int ?? 0)
            let group = try await client.redis.xinfoGroups(stream: stream).first { $0.name == "specialist" }
            #expect(group?.lag == 0 && group?.pending == 0, "\(stream): \(String(describing: group))")
        }
        print("partitions: ops backlog says\n" + backlog.out.split(separator: "\n").filter { $0.contains("instant") || $0.hasPrefix("STREAM") }.joined(separator: "\n"))
        print("partitions: 24 arithmetic tasks over the instant stream's 3 partitions: \(added)")
        #expect(added.count == 3 && added.allSatisfy { $0 > 0 } && added.reduce(0, +) == 24, "\(added)")
        #expect(backlog.out.contains("tasks:instant") && backlog.out.contains("(3 partitions)") && backlog.out.contains("tasks:instant:p2"), "\(backlog.out)")
        #expect(json.out.contains("\"partition\" : 2"), "\(json.out)")

        // A process with another count refuses to start, saying which count the fleet uses.
        let other = try TestEnv.config(namespace: config.namespace, extra: ["DELLM_TASK_PARTITIONS": "2"])
        let refused = try ProcessFleet.cli(other, ["worker", "ingest"])
        #expect(refused.status != 0)
        await #expect(throws: ConfigurationError.self) { try await FleetLayout.check(config: other, redis: client.redis) }
        do { try await FleetLayout.check(config: other, redis: client.redis) } catch {
            #expect("\(error)".contains("DELLM_TASK_PARTITIONS=3"), "\(error)")
        }
        try await FleetLayout.check(config: config, redis: client.redis)

        // A node user made before the key existed (no +get on it) starts: it cannot check, and says nothing wrong.
        let user = "old-node-\(config.namespace)"
        _ = try await client.redis.command(["ACL", "SETUSER", user, "reset", "on", ">pw-\(user)", "-@all", "+ping", "+auth"])
        let u = try RedisConfiguration(url: config.redisURL)
        let old = RedisConnection(configuration: RedisConfiguration(host: u.host, port: u.port, user: user, password: "pw-\(user)", database: u.database))
        await #expect(throws: RedisError.self) { try await old.command("GET", config.keys.partitionsKey) }
        try await FleetLayout.check(config: other, redis: old)
        await old.close()
        _ = try await client.redis.command("ACL", "DELUSER", user)
    }
}
