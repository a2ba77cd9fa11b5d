import DellmCore
@testable import DellmFleet
import DellmPostgres
import Foundation
import Testing

@Suite(.enabled(if: TestEnv.hasServers, "needs DELLM_TEST_DATABASE_URL (run ./ops/test)"))
struct PostgresConnectionTests {
    @Test func parametersAreDataNeverSQL() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let hostile = "x'); DROP TABLE users; --"
        let r = try await db.query("SELECT $1::text AS v, $2::int + 1 AS n, $3::text IS NULL AS isnull", [hostile, "41", nil])
        #expect(r.value(0, "v") == hostile)
        #expect(r.value(0, "n") == "42")
        #expect(r.value(0, "isnull") == "t")
    }

    /// Typed parameters and rows: what is bound comes back as the same typed value; NULL, a bad value
    /// and an unknown column throw, naming the column.
    @Test func typedValuesRoundTrip() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let none: Int? = nil
        let r = try await db.query("""
            SELECT $1::text AS s, $2::int AS i, $3::float8 AS d, $4::boolean AS b, $5::int AS n, $6::text AS mode, 'x' AS bad
            """, bind("ünï 'q'", -42, 2.5, true, none, SubtaskMode.spot))
        let row = try #require(r.firstRecord)
        #expect(try row.decode("s", as: String.self) == "ünï 'q'")
        #expect(try row.decode("i", as: Int.self) == -42)
        #expect(try row.decode("d", as: Double.self) == 2.5)
        #expect(try row.decode("b", as: Bool.self))
        #expect(try row.decode("n", as: Int?.self) == nil)
        #expect(try row.decode("mode", as: SubtaskMode.self) == .spot)
        #expect(throws: PostgresDecodingError(column: "n", expected: "Int", value: nil)) { try row.decode("n", as: Int.self) }
        #expect(throws: PostgresDecodingError(column: "bad", expected: "Int", value: "x")) { try row.decode("bad", as: Int?.self) }
        #expect(throws: PostgresDecodingError.self) { try row.decode("missing", as: String.self) }
    }

    @Test func arrayLiteralsRoundTripAnyText() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let items = ["a\"b", "c\\d", "", "x,y", "{z}", "NULL", "ünï"]
        let r = try await db.query("SELECT unnest($1::text[])", [PostgresArray.literal(items)])
        #expect(r.rows.map { $0[0] } == items)
    }

    @Test func serverErrorsCarrySQLState() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        await #expect { try await db.query("SELECT * FROM no_such_table") } throws: { ($0 as? PostgresError)?.sqlState == "42P01" }
        // The connection is still usable afterwards.
        #expect(try await db.query("SELECT 1").first?[0] == "1")
    }

    @Test func transactionsRollBackOnError() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let table = "t_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.query("CREATE TABLE \(table) (id int PRIMARY KEY)")
        await #expect(throws: PostgresError.self) {
            try await db.withSession { s in
                try s.transaction { tx in
                    try tx.query("INSERT INTO \(table) VALUES (1)")
                    try tx.query("INSERT INTO \(table) VALUES (1)")
                }
            }
        }
        #expect(try await db.query("SELECT count(*) FROM \(table)").first?[0] == "0")
        try await db.query("DROP TABLE \(table)")
    }

    @Test func aBatchTravelsInOrderAndReturnsEachStatementsRows() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let table = "t_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.query("CREATE TABLE \(table) (id int PRIMARY KEY, v text)")
        let rows = try await db.withSession { s in
            try s.transaction { tx in
                tx.send("INSERT INTO \(table) VALUES ($1, $2)", ["1", "a"])
                tx.send("INSERT INTO \(table) VALUES ($1, $2)", ["2", nil])
                // Sees the queued inserts: they ran first, in the same transaction.
                return try tx.queries([("SELECT count(*) FROM \(table)", []), ("SELECT v FROM \(table) WHERE id = $1", ["2"]),
                                       ("UPDATE \(table) SET v = $2 WHERE id = $1", ["1", "b"])])
            }
        }
        #expect(rows.map(\.rows) == [[["2"]], [[nil]], []])
        #expect(rows[2].affected == 1)
        #expect(try await db.query("SELECT v FROM \(table) WHERE id = 1").first?[0] == "b")
        try await db.query("DROP TABLE \(table)")
    }

    @Test func aFailingStatementInABatchThrowsItsOwnErrorAndRollsBackTheTransaction() async throws {
        let db = PostgresConnection(url: TestEnv.databaseURL!)
        let table = "t_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.query("CREATE TABLE \(table) (id int PRIMARY KEY)")
        await #expect { 
            try await db.withSession { s in
                try s.transaction { tx in
                    tx.send("INSERT INTO \(table) VALUES ($1)", ["1"])
                    tx.send("INSERT INTO \(table) VALUES ($1)", ["1"]) // duplicate key
                    tx.send("INSERT INTO \(table) VALUES ($1)", ["3"])
                }
            }
        } throws: { ($0 as? PostgresError)?.sqlState == "23505" } // the cause, not "not run" for the third
        #expect(try await db.query("SELECT count(*) FROM \(table)").first?[0] == "0")
        // The connection left pipeline mode and still works, for batches too.
        let again = try await db.withSession { s in try s.queries([("SELECT $1::int + 1", ["1"]), ("SELECT 3", [])]) }
        #expect(again.map { $0.first?[0] } == ["2", "3"])
        try await db.query("DROP TABLE \(table)")
    }

    @Test func concurrentMigrationsApplyOnce() async throws {
        let a = PostgresConnection(url: TestEnv.databaseURL!), b = PostgresConnection(url: TestEnv.databaseURL!)
        async let x = Store(db: a).migrate()
        async let y = Store(db: b).migrate()
        let (ra, rb) = try await (x, y)
        // Whatever ran first applied them; the other found nothing to do.
        #expect(Set(ra).isDisjoint(with: Set(rb)))
        let versions = try await a.query("SELECT count(*) FROM schema_migrations").first?[0]
        #expect(versions == String(Schema.migrations.count))
    }

    @Test func anUnreachableServerIsAConnectionError() async throws {
        let db = PostgresConnection(url: "postgresql://dellm:pw-never-shown@127.0.0.1:1/dellm")
        do {
            try await db.query("SELECT 1")
            Issue.record("expected a connection error")
        } catch let e as PostgresError {
            #expect(e.kind == .connection)
            #expect(!e.description.contains("pw-never-shown"))
        }
    }
}
