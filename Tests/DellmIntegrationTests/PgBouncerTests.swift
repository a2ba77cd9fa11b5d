import DellmCore
import DellmFleet
import DellmPostgres
import Foundation
import Testing

/// The fleet with PgBouncer (Debian's, session pooling) between its workers and PostgreSQL: every role
/// prepares statements on its connection and uses libpq's pipeline mode, which PgBouncer's session
/// pooling passes through. (Transaction pooling would hand a prepared statement's next use to another
/// server connection; PgBouncer 1.18 does not track them.)
@Suite(.enabled(if: TestEnv.hasServers && ProcessInfo.processInfo.environment["DELLM_TEST_PGBOUNCER_URL"] != nil,
                "needs DELLM_TEST_PGBOUNCER_URL (run ./ops/test)"))
struct PgBouncerTests {
    @Test func theFleetRunsThroughPgBouncer() async throws {
        let bouncer = try #require(ProcessInfo.processInfo.environment["DELLM_TEST_PGBOUNCER_URL"])
        let config = try TestEnv.config(extra: ["DELLM_DATABASE_URL": bouncer, "DELLM_SPOT_RATE": "0"])
        let fleet = try await InProcessFleet.start(config)
        let client = try FleetClient(config: config)
        let cursor = try await client.answersCursor()
        var ids: [String] = []
        for i in 0..<20 { ids.append(try await client.submit("What is \(i + 3) times 11?", user: "pgb-\(config.namespace)")) }
        let answers = Collector<AnswerEvent>()
        let missing = try await client.waitForAnswers(ids, after: cursor, timeout: .seconds(60)) { answers.add($0) }
        await fleet.stop()
        #expect(missing.isEmpty)
        #expect(answers.all.allSatisfy { $0.status == "answered" } && answers.all.count == 20)
        // What went through the bouncer is in PostgreSQL itself.
        let direct = PostgresConnection(url: try #require(TestEnv.databaseURL))
        let stored = try await direct.query("SELECT count(*) FROM queries WHERE id = ANY($1::text[]) AND status = 'answered'",
                                            [PostgresArray.literal(ids)]).first?[0]
        #expect(stored == "20")
        await direct.close()
    }
}
