import DellmCore
import DellmFleet
import Foundation
import Testing

/// Plans with dependencies through the real queue and database: a part that uses a result a model
/// gives waits for it, and is enqueued with it put in; when that result fails, so does the part.
@Suite struct PlanTests {
    @Test func aPartWaitsForTheResultItUsesAndGetsItsValue() async throws {
        // The model names 13; the calculator then adds 5 to it.
        let fake = try FakeModelServer(.slow(150, "13"))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Name a prime number between 10 and 14, then add 5 to that number.", user: "plan-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        await fleet.stop()
        let trace = try #require(try await client.store.trace(queryID: id))
        #expect(trace.parts.count == 2)
        #expect(trace.parts[1].text == "Start with 13, then add 5 to that number.", "\(trace.parts[1].text)")
        #expect(trace.parts[1].attempts.first?.tool == "calculator")
        #expect(trace.parts[1].attempts.first?.verdict == "passed")
        #expect(trace.answer?.contains("13 + 5 = 18") == true, "\(trace.answer ?? "")")
        // The part was answered only after its input: its attempt is later than the input's verdict.
        let order = try await client.db.query("""
            SELECT (SELECT min(a.created_at) FROM attempts a WHERE a.subtask_id = $1 || '.1')
                 > (SELECT max(v.created_at) FROM verdicts v WHERE v.subtask_id = $1 || '.0')
            """, [id]).first?[0]
        #expect(order == "t")
    }

    @Test func aPartWhoseInputFailedFailsWithThatReason() async throws {
        let fake = try FakeModelServer(.answer("I'm sorry, I cannot help with that."))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Name a prime number between 10 and 14, then add 5 to that number.", user: "plan-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(60)) { _ in }.isEmpty)
        await fleet.stop()
        let trace = try #require(try await client.store.trace(queryID: id))
        #expect(trace.parts[0].status == "failed")
        #expect(trace.parts[1].status == "failed")
        #expect(trace.parts[1].note?.contains("part 1, whose result this part uses, has no answer") == true, "\(trace.parts[1].note ?? "")")
        #expect(trace.parts[1].attempts.isEmpty, "the waiting part was never enqueued")
    }

    @Test func aReferenceToNothingFailsTheQueryWithItsReason() async throws {
        let fake = try FakeModelServer(.answer("x"))
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        let id = try await client.submit("Double it, then add 3.", user: "plan-\(config.namespace)")
        #expect(try await client.waitForAnswers([id], after: cursor, timeout: .seconds(30)) { _ in }.isEmpty)
        await fleet.stop()
        let status = try #require(try await client.store.status(queryID: id))
        #expect(status.status == "failed")
        #expect(status.error?.contains("cannot be planned") == true, "\(status.error ?? "")")
    }
}
