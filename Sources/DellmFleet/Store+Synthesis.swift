import DellmCore
import DellmPostgres
import Foundation

/// The synthesizer's statement: a query whose parts have all settled gets its answer, once.
extension Store {
    /// Composes and stores the answer once; returns the stored outcome (the same on a redelivery).
    public func synthesize(queryID: String) async throws -> AnswerEvent? {
        try await db.withSession { s in
            try s.transaction { tx in
                // The query locked and its parts read, in one round trip (with BEGIN); the answer is sent with COMMIT.
                let read = try tx.queries([
                    ("SELECT status, answer, error, user_id FROM queries WHERE id = $1 FOR UPDATE", [queryID]),
                    ("SELECT idx, type, text, status, answer, error FROM subtasks WHERE query_id = $1 ORDER BY idx", [queryID]),
                ])
                guard let q = read[0].firstRecord else { return nil }
                let user = try q.decode("user_id", as: String?.self)
                let state: QueryState = try q.decode("status")
                if state != .running {
                    return AnswerEvent(queryID: queryID, status: state.rawValue, answer: try q.decode("answer", as: String?.self),
                                       error: try q.decode("error", as: String?.self), user: user)
                }
                let rows = try read[1].records.map { (status: try $0.decode("status", as: SubtaskStatus.self), row: $0) }
                if rows.contains(where: { !$0.status.settled }) { return nil } // not settled yet
                let parts = try rows.map {
                    SettledPart(index: try $0.row.decode("idx"), type: try $0.row.decode("type"), text: try $0.row.decode("text"),
                                answer: try $0.row.decode("answer", as: String?.self), passed: $0.status == .verified,
                                error: try $0.row.decode("error", as: String?.self))
                }
                if parts.allSatisfy({ $0.answer == nil }) {
                    let reason = parts.compactMap(\.error).first ?? "no subtask produced an answer"
                    tx.send("UPDATE queries SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [queryID, reason])
                    return AnswerEvent(queryID: queryID, status: "failed", answer: nil, error: reason, user: user)
                }
                let answer = Synthesis.compose(parts)
                tx.send("UPDATE queries SET status = 'answered', answer = $2, finished_at = now() WHERE id = $1", [queryID, answer])
                return AnswerEvent(queryID: queryID, status: "answered", answer: answer, error: nil, user: user)
            }
        }
    }

    /// Records that a node is alive this minute and brings its uptime up to date.
}
