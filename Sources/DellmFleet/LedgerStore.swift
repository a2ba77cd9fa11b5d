import DellmCore
import DellmPostgres
import Foundation

/// Users' credits: balances (the folded sum and the entries not folded yet) and operators' top-ups.
/// Charges and earnings are written with the query and the verdict they belong to.
public struct LedgerStore: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }

    public func balance(user: String) async throws -> Double {
        try await db.query(Store.balanceSQL, [user]).firstRecord?.decode("balance", as: Double.self) ?? 0
    }

    /// An operator's top-up: a 'topup' ledger entry for `user` (created if new), once per `key`.
    /// Returns the balance after it.
    public func topUp(user: String, amount: Double, key: String) async throws -> Double {
        try QueryJob.validate(user: user)
        guard amount > 0, amount <= 1_000_000 else { throw Wire.DecodeError("a top-up is more than 0 and at most 1,000,000 credits") }
        return try await db.withSession { s in
            try s.transaction { tx in
                tx.send("INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING", [user])
                tx.send("""
                    INSERT INTO credit_ledger (user_id, amount, kind, idempotency_key) VALUES ($1, $2::numeric, 'topup', 'topup:' || $3)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """, bind(user, amount, key))
                return try tx.query(Store.balanceSQL, [user]).firstRecord?.decode("balance", as: Double.self) ?? 0
            }
        }
    }
}
