import DellmCore
import DellmFleet
import Foundation
import Testing

/// Plans with dependencies through the real queue and database: a part that uses a result a model
/// gives waits for it, and is enqueued with it put in; when that result fails, so does the part.
@Suite struct PlanTests {
    static let dependent = "Name a prime number between 10 and 14, then add 5 to that number."

    /// Runs `queries` through an in-process fleet whose model behaves as `model`; returns their traces.
    func run(_ queries: [String], model: FakeModelServer.Behaviour, timeout: Duration = .seconds(60)) async throws -> (FleetClient, [Inspector.Trace]) {
        let fake = try FakeModelServer(model)
        defer { fake.stop() }
        let config = try TestEnv.config(extra: ["DELLM_MODEL_URL": fake.url, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        var ids: [String] = []
        for q in queries { ids.append(try await client.submit(q, user: "plan-\(config.namespace)")) }
        #expect(try await client.waitForAnswers(ids, after: cursor, timeout: timeout) { _ in }.isEmpty)
        await fleet.stop()
        var traces: [Inspector.Trace] = []
        for id in ids { traces.append(try #require(try await client.inspector.trace(queryID: id))) }
        return (client, traces)
    }

    /// Whether the waiting part's first attempt came after its input's last verdict.
    func answeredAfterItsInput(_ client: FleetClient, _ id: String) async throws -> Bool {
        try await client.db.query("""
            SELECT (SELECT min(a.created_at) FROM attempts a WHERE a.subtask_id = $1 || '.1')
                 > (SELECT max(v.created_at) FROM verdicts v WHERE v.subtask_id = $1 || '.0')
            """, [id]).first?[0] == "t"
    }

    @Test func aPartWaitsForTheResultItUsesAndGetsItsValue() async throws {
        // The model names 13; the calculator then adds 5 to it.
        let (client, traces) = try await run([Self.dependent], model: .slow(150, "13"))
        let trace = traces[0]
        #expect(trace.parts.count == 2)
        #expect(trace.parts[1].text == "Start with 13, then add 5 to that number.", "\(trace.parts[1].text)")
        #expect(trace.parts[1].attempts.first?.tool == "calculator")
        #expect(trace.parts[1].attempts.first?.verdict == "passed")
        #expect(trace.answer?.contains("13 + 5 = 18") == true, "\(trace.answer ?? "")")
        #expect(try await answeredAfterItsInput(client, trace.id))
    }

    /// Under real conditions: model calls of a second, and more dependent queries than the fleet has
    /// lanes. Every waiting part is released once, after its input, and answered once.
    @Test func waitingPartsHoldWithSlowCallsAndAQueueLongerThanTheLanes() async throws {
        let (client, traces) = try await run(Array(repeating: Self.dependent, count: 5), model: .slow(1_000, "13"), timeout: .seconds(120))
        for trace in traces {
            #expect(trace.status == "answered")
            #expect(trace.parts[1].attempts.count == 1, "the released part was answered \(trace.parts[1].attempts.count) times")
            #expect(trace.answer?.contains("13 + 5 = 18") == true, "\(trace.answer ?? "")")
            #expect(try await answeredAfterItsInput(client, trace.id))
        }
    }

    @Test func aPartWhoseInputFailedFailsWithThatReason() async throws {
        let (_, traces) = try await run([Self.dependent], model: .answer("I'm sorry, I cannot help with that."))
        let trace = traces[0]
        #expect(trace.parts[0].status == "failed")
        #expect(trace.parts[1].status == "failed")
        #expect(trace.parts[1].note?.contains("part 1, whose result this part uses, has no answer") == true, "\(trace.parts[1].note ?? "")")
        #expect(trace.parts[1].attempts.isEmpty, "the waiting part was never enqueued")
    }

    @Test func aReferenceToNothingFailsTheQueryWithItsReason() async throws {
        let (client, traces) = try await run(["Double it, then add 3."], model: .answer("x"), timeout: .seconds(30))
        let status = try #require(try await client.inspector.status(queryID: traces[0].id))
        #expect(status.status == "failed")
        #expect(status.error?.contains("cannot be planned") == true, "\(status.error ?? "")")
    }
}
