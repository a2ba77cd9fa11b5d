import DellmCore
import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// Short work is never stuck behind long work: the calculator's tasks have their own stream and lanes,
/// and one user's batch does not hold up another user's query (`Admission`). With a model as slow as a
/// real one (a second a call) and one model lane, the order in which answers arrive shows it.
@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_REDIS_URL and DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct SchedulingTests {
    @Test func anotherUsersQueryAndArithmeticOvertakeABatch() async throws {
        let fake = try FakeModelServer(.slow(1_000, "Paris is the capital of France."))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0", "DELLM_FAIR_SHARE_PARTS": "4"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let batch = try await Array(0..<30).asyncMap { i in
            try await client.submit("What is the capital of France? (\(i))", user: "heavy-\(config.namespace)")
        }
        let single = try await client.submit("What is the capital of France? (light)", user: "light-\(config.namespace)")
        let sum = try await client.submit("What is 1234 times 5678?", user: "light-\(config.namespace)")
        let order = Collector<String>()
        let missing = try await client.waitForAnswers([single, sum], after: cursor, timeout: .seconds(60)) { order.add($0.queryID) }
        // How much of the batch was still unanswered when the light user's two queries were.
        let open = try await client.db.query("SELECT count(*) FROM queries WHERE id = ANY($1::text[]) AND status = 'running'",
                                             [PostgresArray.literal(batch)]).first?[0]
        await fleet.stop()
        #expect(missing.isEmpty)
        let stillRunning = Int(open ?? "") ?? -1
        #expect(stillRunning >= 20, "the light user's queries waited for \(30 - stillRunning) of the batch's 30")
        #expect(try await client.inspector.status(queryID: sum)?.answer.map { Answers.numbers(in: $0).last } == 7_006_652)
        print("scheduling: the light user's fact and arithmetic answered with \(stillRunning) of the heavy user's 30 queries still running")
    }
}
