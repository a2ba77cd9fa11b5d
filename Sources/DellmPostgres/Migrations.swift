/// A schema change, applied once, in order, inside a transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var sql: [String]

    public init(version: Int, name: String, sql: [String]) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension PostgresConnection {
    /// Applies the migrations not yet applied. Safe when several processes start at once: they
    /// serialise on a transaction-level advisory lock, and each re-reads the applied versions under it.
    /// Returns the versions this call applied.
    @discardableResult
    public func migrate(_ migrations: [Migration], lockKey: Int64 = 0x44454C4C4D) async throws -> [Int] {
        try await withSession { session in
            try session.transaction { tx in
                try tx.query("SELECT pg_advisory_xact_lock($1)", [String(lockKey)])
                try tx.query("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now())
                    """)
                let done = Set(try tx.query("SELECT version FROM schema_migrations").rows.compactMap { $0[0].flatMap { Int($0) } })
                var applied: [Int] = []
                for m in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(m.version) {
                    for statement in m.sql { try tx.query(statement) }
                    try tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [String(m.version), m.name])
                    applied.append(m.version)
                }
                return applied
            }
        }
    }
}
