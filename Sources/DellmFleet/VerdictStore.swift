import DellmCore
import DellmPostgres
import Foundation

/// The verifier's statements: the verdict recorded once, trust and the matrix moved, the ledger
/// credited, and the subtask's next step (`SubtaskPolicy`) applied; parts waiting for a result released.
public struct VerdictStore: Sendable {
    public let db: PostgresConnection
    /// Completion tokens a query's samples may spend (`DELLM_QUERY_TOKENS`): released parts get their share.
    public var queryTokens: Int

    public init(db: PostgresConnection, queryTokens: Int = 0) {
        self.db = db
        self.queryTokens = queryTokens
    }

    /// Tools that answer exactly (`ExactTools.names`) as SQL literals (constants, never input).
    static let exactToolsSQL = ExactTools.names.sorted().map { "'\($0)'" }.joined(separator: ", ")
}

extension VerdictStore {
    public struct AttemptToVerify: Sendable {
        public var type: TaskType
        public var text: String
        public var index: Int
        public var answer: String?
        public var error: String?
        public var node: String
        public var tool: String?
        public var latencyMilliseconds: Int?
        public var existingVerdict: Verdict?
        public var genome: String?
        /// How sure the node was: 0.9 when its two votes agreed, 0.75 when a tiebreak vote sided with
        /// one, lower when they could not agree.
        public var confidence: Double? = nil
    }


    /// An attempt with what the verifier needs of its subtask, and its verdict if it has one.
    static let attemptSQL = """
        SELECT s.type, s.text, s.idx, a.answer, a.error, a.node_id, a.tool, v.passed, v.reason, a.latency_ms, a.genome, a.confidence
        FROM subtasks s JOIN attempts a ON a.subtask_id = s.id AND a.attempt = $2
        LEFT JOIN verdicts v ON v.subtask_id = s.id AND v.attempt = $2
        WHERE s.id = $1
        """

    static func attempt(from rows: PostgresRows) throws -> AttemptToVerify? {
        guard let row = rows.firstRecord else { return nil }
        let verdict = try row.decode("passed", as: Bool?.self).map { Verdict(passed: $0, reason: try row.decode("reason", as: String?.self) ?? "") }
        return AttemptToVerify(type: try row.decode("type"), text: try row.decode("text"), index: try row.decode("idx"),
                               answer: try row.decode("answer", as: String?.self), error: try row.decode("error", as: String?.self),
                               node: try row.decode("node_id"), tool: try row.decode("tool", as: String?.self),
                               latencyMilliseconds: try row.decode("latency_ms", as: Int?.self), existingVerdict: verdict,
                               genome: try row.decode("genome", as: String?.self), confidence: try row.decode("confidence", as: Double?.self))
    }

    public enum VerifyOutcome: Sendable, Equatable {
        /// More answers are needed: these attempts go to the specialists.
        case ask([TaskJob])
        case synthesize
        case nothing
    }


    /// Whether an answer no check can prove came from votes that did not agree (and no tiebreak vote
    /// sided with either): such an answer always gets a second genome's opinion, whatever the spot rate.
    /// Creative answers are exempt: their votes are meant to differ.
    public static func unsure(_ a: AttemptToVerify) -> Bool {
        guard a.type != .creative, a.type != .code, !ExactTools.isExact(a.tool), let c = a.confidence else { return false }
        return c < tiebreakConfidence
    }

    /// The answers of an attempt's votes, from their JSON column.
    static func voteAnswers(_ json: String?) -> [String] {
        guard let json, let votes = try? JSONDecoder().decode([Vote].self, from: Data(json.utf8)) else { return [] }
        return votes.map(\.answer)
    }

    /// A specialist's confidence when a tiebreak vote sided with one of two disagreeing votes: below
    /// it, the votes never agreed.
    public static let tiebreakConfidence = 0.75

    /// Records the verdict once, moves the node's trust once, and decides the subtask:
    /// - normal: the first passed attempt settles it (a share of non-decisive passes is spot-checked
    ///   first); a failed one asks for the next attempt, up to `maxAttempts`;
    /// - spot: a second genome's answer must agree; if it disagrees a third decides by majority;
    /// - critical: three genomes answer and the majority (two that agree) settles it.
    /// Says whether the query is now complete. Running it again for the same attempt (a redelivery)
    /// re-sends the attempts it asked for and changes nothing else.
    public func settle(_ job: VerifyJob, attempt a: AttemptToVerify, verdict: Verdict, verifier: String,
                       maxAttempts: Int, spotRate: Double = 0) async throws -> VerifyOutcome {
        try await db.withSession { s in
            try s.transaction { tx in
                // Serialise the settling of one query's subtasks, so exactly one verifier sees it complete.
                // The lock and the verdict travel together (with BEGIN): one round trip.
                let first = try tx.queries([
                    (Self.lockQuerySQL, [job.queryID]),
                    (Self.verdictSQL, Self.verdictParameters(job, a, verdict, verifier: verifier)),
                ])
                guard let q = first[0].first else { return .nothing }
                return try self.settleLocked(tx, job, a, verdict, queryStatus: q[0], inserted: first[1].rows.count == 1,
                                             maxAttempts: maxAttempts, spotRate: spotRate)
            }
        }
    }

    /// What `settle(_:judge:…)` did.
    public enum Settled: Sendable {
        /// The verdict (nil when the query is gone) and what follows from it.
        case settled(VerifyOutcome, verdict: Verdict?)
        /// The judge cannot decide without time (code runs in the sandbox): check it, then `settle(_:attempt:…)`.
        case needsCheck(AttemptToVerify)
        /// No such attempt is recorded.
        case noAttempt
    }

    /// `settle` for checks that take no time: the attempt is read in the transaction's first round trip,
    /// under the query's lock, judged there, and its verdict travels with the next (three round trips
    /// in all, not four). Every verdict is inserted under its query's lock, so whether this one is new is
    /// known from the read.
    public func settle(_ job: VerifyJob, judge: @escaping @Sendable (AttemptToVerify) -> Verdict?, verifier: String,
                       maxAttempts: Int, spotRate: Double = 0) async throws -> Settled {
        try await db.withSession { s in
            try s.transaction { tx in
                let first = try tx.queries([
                    (Self.lockQuerySQL, [job.queryID]),
                    (Self.attemptSQL, [job.subtaskID, String(job.attempt)]),
                ])
                guard let a = try Self.attempt(from: first[1]) else { return .noAttempt }
                guard let q = first[0].first else { return .settled(.nothing, verdict: nil) }
                let verdict: Verdict
                if let existing = a.existingVerdict {
                    verdict = existing
                } else if let v = judge(a) {
                    verdict = v
                    tx.send(Self.verdictSQL, Self.verdictParameters(job, a, v, verifier: verifier))
                } else {
                    return .needsCheck(a)
                }
                let outcome = try self.settleLocked(tx, job, a, verdict, queryStatus: q[0], inserted: a.existingVerdict == nil,
                                                    maxAttempts: maxAttempts, spotRate: spotRate)
                return .settled(outcome, verdict: verdict)
            }
        }
    }

    static let lockQuerySQL = "SELECT status FROM queries WHERE id = $1 FOR UPDATE"
    static let verdictSQL = """
        INSERT INTO verdicts (subtask_id, attempt, node_id, passed, reason, verifier, proven)
        SELECT $1::text, $2::int, $3::text, $4::boolean, $5::text, $6::text, $8::boolean WHERE EXISTS (SELECT 1 FROM queries WHERE id = $7)
        ON CONFLICT (subtask_id, attempt) DO NOTHING RETURNING 1
        """

    static func verdictParameters(_ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, verifier: String) -> [String?] {
        bind(job.subtaskID, job.attempt, a.node, verdict.passed, verdict.reason, verifier, job.queryID, !verdict.unproven)
    }

    /// The rest of `settle`, with the query locked and the verdict recorded (`inserted`: by this call).
    private func settleLocked(_ tx: PostgresSession, _ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, queryStatus: String?,
                              inserted: Bool, maxAttempts: Int, spotRate: Double) throws -> VerifyOutcome {
        // A new verdict moves the node's trust (the node locked first, in the order specialists lock
        // them); then the subtask is locked and its attempts read under the lock, and whether the query
        // has parts that wait for another's result (they change only under the query's lock, held here).
        // One round trip.
        var batch: [(String, [String?])] = [
            ("SELECT status, attempts, mode FROM subtasks WHERE id = $1 FOR UPDATE", [job.subtaskID]),
            ("""
             SELECT a.attempt, a.answer, a.genome, v.passed, a.votes::text AS votes, a.node_id FROM attempts a
             LEFT JOIN verdicts v ON v.subtask_id = a.subtask_id AND v.attempt = a.attempt
             WHERE a.subtask_id = $1 ORDER BY a.attempt
             """, [job.subtaskID]),
            ("""
             SELECT count(*) FILTER (WHERE status = 'waiting'), count(*) FILTER (WHERE status = 'queued' AND waits_for IS NOT NULL)
             FROM subtasks WHERE query_id = $1
             """, [job.queryID]),
        ]
        // An unproven pass moves no trust and earns nothing: only checked verdicts count. The node's
        // standing (for its spot rate, `TrustPolicy`) comes back from the trust update when there is
        // one, else it is read in the same round trip.
        let moves = inserted && !verdict.unproven
        if moves {
            batch.insert(VerdictStore.trustUpdate(a, verdict), at: 0)
        } else {
            batch.append(("SELECT trust, verified FROM nodes WHERE id = $1", [a.node]))
        }
        var read = try tx.queries(batch)
        let moved = moves ? read.removeFirst() : nil
        if inserted {
            // The matrix and the ledger entries travel with the next round trip.
            countVerdict(tx, job, a, verdict, node: moved?.first)
        }
        let standing = try (moved ?? read[3]).firstRecord.map {
            TrustPolicy.Standing(trust: try $0.decode("trust"), verified: try $0.decode("verified"))
        } ?? TrustPolicy.Standing(trust: 0, verified: 0)
        guard let sub = read[0].firstRecord else { throw PostgresDecodingError(column: "subtasks.id", expected: "the subtask's row", value: job.subtaskID) }
        if try sub.decode("status", as: SubtaskStatus.self) == .queued {
            let attempts = try read[1].records.map {
                AttemptOutcome(attempt: try $0.decode("attempt"), answer: try $0.decode("answer", as: String?.self),
                               genome: try $0.decode("genome", as: String?.self), passed: try $0.decode("passed", as: Bool?.self),
                               votes: VerdictStore.voteAnswers(try $0.decode("votes", as: String?.self)), node: try $0.decode("node_id", as: String?.self))
            }
            let decision = try decide(tx, job: job, a: a, verdict: verdict, inserted: inserted, attempts: attempts,
                                      issued: try sub.decode("attempts"), mode: try sub.decode("mode"),
                                      maxAttempts: maxAttempts, spotRate: TrustPolicy.spotRate(base: spotRate, standing))
            if !decision.isEmpty { return .ask(decision) }
        }
        guard queryStatus == "running" else { return .nothing }
        // Only a query with dependent parts pays the round trips of releasing them.
        let dependents = read[2].first
        if dependents?[0] != "0" || (!inserted && dependents?[1] != "0") {
            let released = try releaseWaiting(tx, queryID: job.queryID, redelivered: !inserted)
            if !released.isEmpty { return .ask(released) }
        }
        // Whether any part is still open, read after the updates above, in the round trip that commits.
        let open = try tx.queries([
            ("SELECT count(*) FROM subtasks WHERE query_id = $1 AND status IN ('queued', 'waiting')", [job.queryID]), ("COMMIT", []),
        ])[0]
        return open.first?[0] == "0" ? .synthesize : .nothing
    }

    /// Parts waiting for an earlier part whose result is now settled: enqueued with the value put in
    /// (their first attempts are returned, to be sent), or failed with the reason when that part has no
    /// answer — repeated, so a failure runs down a chain. On a redelivered verify entry, parts released
    /// before but not yet answered are sent again (the first sending may have been lost).
    private func releaseWaiting(_ tx: PostgresSession, queryID: String, redelivered: Bool) throws -> [TaskJob] {
        var released: [TaskJob] = []
        var budget: Int??
        func jobs(_ id: String?, _ idx: String?, _ type: String?, _ text: String, attempts: String?) -> [TaskJob] {
            guard let id, let index = idx.flatMap({ Int($0) }) else { return [] }
            // Every attempt the part was issued (three for a critical query).
            return (1...max(1, attempts.flatMap { Int($0) } ?? 1)).map {
                TaskJob(queryID: queryID, subtaskID: id, index: index, type: TaskType(rawValue: type ?? "") ?? .factual, text: text, attempt: $0,
                        budget: budget ?? nil)
            }
        }
        for _ in 0..<Wire.maxParts {
            let ready = try tx.query("""
                SELECT w.id, w.idx, w.type, w.text, w.waits_for, i.status, i.answer, i.error, i.type, w.attempts,
                       (SELECT subtask_count FROM queries q WHERE q.id = w.query_id)
                FROM subtasks w JOIN subtasks i ON i.query_id = w.query_id AND i.idx = w.waits_for
                WHERE w.query_id = $1 AND w.status = 'waiting' AND i.status IN ('verified', 'failed')
                ORDER BY w.idx FOR UPDATE OF w
                """, [queryID])
            if ready.rows.isEmpty { break }
            if budget == nil { budget = SelfConsistency.share(of: queryTokens, parts: ready.rows[0][10].flatMap { Int($0) } ?? 1) }
            for r in ready.rows {
                let input = r[4].flatMap { Int($0) } ?? 0
                if r[5] == "verified", let answer = r[6], let value = Planner.inputValue(answer, type: TaskType(rawValue: r[8] ?? "") ?? .factual,
                                                                                            for: TaskType(rawValue: r[2] ?? "") ?? .factual) {
                    let text = Planner.withInput(value, from: input, text: r[3] ?? "", type: TaskType(rawValue: r[2] ?? "") ?? .factual)
                    tx.send("UPDATE subtasks SET status = 'queued', text = $2, updated_at = now() WHERE id = $1", [r[0], text])
                    released += jobs(r[0], r[1], r[2], text, attempts: r[9])
                } else {
                    tx.send("UPDATE subtasks SET status = 'failed', error = $2, updated_at = now() WHERE id = $1",
                            [r[0], "part \(input + 1), whose result this part uses, has no answer: \(r[7] ?? "it failed")"])
                }
            }
        }
        if redelivered {
            let unanswered = try tx.query("""
                SELECT s.id, s.idx, s.type, s.text, s.attempts FROM subtasks s
                WHERE s.query_id = $1 AND s.status = 'queued' AND s.waits_for IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.subtask_id = s.id)
                """, [queryID])
            released += unanswered.rows.flatMap { jobs($0[0], $0[1], $0[2], $0[3] ?? "", attempts: $0[4]) }
        }
        return released
    }


    /// The statement that moves a node's trust (only verdicts move it), once per attempt; it returns the
    /// node's species, owner and accuracy, which `countVerdict` needs.
    ///
    /// trust = 0.6 × the share passed of its last 100 verdicts + 0.3 × its accuracy + 0.1 × its uptime.
    /// The last 100 are the node's `recent_verdicts` window (the verdict appended under the node's row
    /// lock), and uptime is what its heartbeats last recorded: a verdict reads no other rows.
    static func trustUpdate(_ a: AttemptToVerify, _ verdict: Verdict) -> (String, [String?]) {
        ("""
         UPDATE nodes SET verified = verified + 1, correct = correct + $2, recent_verdicts = right(recent_verdicts || $3, 100),
           trust = 0.6 * length(replace(right(recent_verdicts || $3, 100), '0', ''))::float8 / length(right(recent_verdicts || $3, 100))
                 + 0.3 * ((correct + $2)::float8 / (verified + 1))
                 + 0.1 * uptime
         WHERE id = $1
         RETURNING species, owner_user, correct::float8 / greatest(verified, 1), trust, verified, uptime
         """, [a.node, verdict.passed ? "1" : "0", verdict.passed ? "1" : "0"])
    }

    /// The performance matrix and the node owner's earning, once per attempt, queued for the
    /// transaction's next round trip. `node` is what `trustUpdate` returned.
    private func countVerdict(_ tx: PostgresSession, _ job: VerifyJob, _ a: AttemptToVerify, _ verdict: Verdict, node: [String?]?) {
        let latency = a.latencyMilliseconds ?? 0
        // The matrix rates what the genome did: answers computed by the calculator say nothing about it.
        if !ExactTools.isExact(a.tool), verdict.unproven {
            tx.send("""
                INSERT INTO perf_matrix (task_type, species, unproven) VALUES ($1, $2, 1)
                ON CONFLICT (task_type, species) DO UPDATE SET unproven = perf_matrix.unproven + 1, updated_at = now()
                """, [a.type.rawValue, a.genome ?? "default"])
        } else if !ExactTools.isExact(a.tool) {
            tx.send("""
                INSERT INTO perf_matrix (task_type, species, attempts, correct, total_ms) VALUES ($1, $2, 1, $3, $4)
                ON CONFLICT (task_type, species) DO UPDATE SET attempts = perf_matrix.attempts + 1,
                  correct = perf_matrix.correct + EXCLUDED.correct, total_ms = perf_matrix.total_ms + EXCLUDED.total_ms,
                  updated_at = now()
                """, [a.type.rawValue, a.genome ?? node?[0] ?? "default", verdict.passed ? "1" : "0", String(latency)])
        }
        let accuracy = Double(node?[2] ?? "0") ?? 0
        // A quarantined node earns nothing; past probation, a node is paid in proportion to its trust.
        let standing = TrustPolicy.Standing(trust: Double(node?[3] ?? "0") ?? 0, verified: Int(node?[4] ?? "0") ?? 0)
        // The design's bonuses: availability (uptime) and contribution (past probation); the cap per part
        // (`earnSQL`) still bounds what all nodes earn on it, so no bonus can mint credits.
        let uptime = Double(node?[5] ?? "0") ?? 0
        let earned = Economy.rounded(Economy.earning(complexity: Economy.complexity(a.type), correct: verdict.passed,
                                                     seconds: Double(latency) / 1000, accuracy: accuracy)
            * TrustPolicy.earningFactor(standing) * Economy.availabilityMultiplier(uptime: uptime)
            * Economy.contributionMultiplier(verified: standing.verified))
        // Calculator answers earn nothing: the verifier recomputes them, the work is free.
        if earned > 0, !ExactTools.isExact(a.tool), let owner = node?[1] ?? nil {
            tx.send(VerdictStore.earnSQL, [owner, String(earned), job.queryID, job.subtaskID, String(job.attempt), String(Economy.complexity(a.type))])
        }
    }

    /// A node's earning, capped so that what nodes earn on a part never exceeds the part's share of
    /// what its user was charged (`Economy.cappedEarning`, here in SQL under the query's lock, which
    /// every settling holds): $2 the earning as computed, $6 the part's complexity.
    static let earnSQL = """
        INSERT INTO credit_ledger (user_id, amount, kind, query_id, subtask_id, attempt, idempotency_key)
        SELECT $1, least($2::numeric, p.share - p.earned), 'earn', $3, $4, $5::int, 'earn:' || $4 || ':' || $5::text
        FROM (SELECT round(-c.amount * $6::numeric
                           / nullif((SELECT sum(\(Economy.complexitySQL("s.type"))) FROM subtasks s WHERE s.query_id = $3), 0), 4) AS share,
                     (SELECT coalesce(sum(e.amount), 0) FROM credit_ledger e
                      WHERE e.query_id = $3 AND e.subtask_id = $4 AND e.kind = 'earn') AS earned
              FROM credit_ledger c WHERE c.idempotency_key = 'charge:' || $3) p
        WHERE least($2::numeric, p.share - p.earned) > 0
        ON CONFLICT (idempotency_key) DO NOTHING
        """

    /// The subtask's next step: `SubtaskPolicy` decides from the subtask's attempts and their verdicts
    /// (read under the subtask's lock); this applies it, with the transaction's next round trip. Returns
    /// the attempts to ask for (empty: settled, or waiting).
    private func decide(_ tx: PostgresSession, job: VerifyJob, a: AttemptToVerify, verdict: Verdict, inserted: Bool,
                        attempts rows: [AttemptOutcome], issued: Int, mode: SubtaskMode, maxAttempts: Int, spotRate: Double) throws -> [TaskJob] {
        let situation = SubtaskPolicy.Situation(
            type: a.type, question: a.text, mode: mode, attempts: rows, issued: issued, attempt: job.attempt, passed: verdict.passed,
            decisive: verdict.decisive, reason: verdict.reason, newVerdict: inserted, unsure: VerdictStore.unsure(a),
            spotDraw: SubtaskPolicy.spotDraw(subtaskID: job.subtaskID, attempt: job.attempt))
        let used = Array(Set(rows.compactMap(\.genome))).sorted()
        // A second opinion from another node: the nodes that answered already decline it (`SpecialistRole`).
        let nodes = Array(Set(rows.compactMap(\.node))).sorted()
        func task(_ n: Int) -> TaskJob {
            TaskJob(queryID: job.queryID, subtaskID: job.subtaskID, index: a.index, type: a.type, text: a.text, attempt: n, avoid: used,
                    avoidNodes: nodes.isEmpty ? nil : nodes)
        }
        switch SubtaskPolicy.decide(situation, .init(maxAttempts: maxAttempts, spotRate: spotRate, criticalAnswers: Store.criticalAnswers)) {
        case .wait:
            return []
        case .resend(let attempts):
            return attempts.map(task)
        case .ask(let n, let newMode):
            tx.send("UPDATE subtasks SET attempts = $2, mode = coalesce($3, mode), updated_at = now() WHERE id = $1",
                    [job.subtaskID, String(issued + n), newMode?.rawValue])
            return (issued + 1...issued + n).map(task)
        case .verify(let attempt, let answer, let note, let outvoted):
            try outvote(tx, job: job, type: a.type, attempts: outvoted)
            tx.send("""
                UPDATE subtasks SET status = 'verified', answer = $2, error = $3, updated_at = now(),
                  proven = (SELECT v.proven FROM verdicts v WHERE v.subtask_id = $1 AND v.attempt = $4::int)
                WHERE id = $1
                """, [job.subtaskID, answer, note, String(attempt)])
        case .fail(let reason):
            // Out of attempts: keep the best answer we have, marked failed with the reason.
            tx.send("""
                UPDATE subtasks SET status = 'failed', error = $2, updated_at = now(),
                  answer = (SELECT a.answer FROM attempts a WHERE a.subtask_id = $1 AND a.answer IS NOT NULL
                            ORDER BY a.confidence DESC NULLS LAST, a.attempt LIMIT 1)
                WHERE id = $1
                """, [job.subtaskID, reason])
        case .failKeeping(let answer, let reason):
            tx.send("UPDATE subtasks SET status = 'failed', answer = $2, error = $3, updated_at = now() WHERE id = $1",
                    [job.subtaskID, answer, reason])
        }
        return []
    }

    /// Marks passed answers that disagree with the majority as outvoted (once), and takes them out of
    /// their genome's correct count in the matrix: routing and fitness learn from it.
    private func outvote(_ tx: PostgresSession, job: VerifyJob, type: TaskType, attempts losers: [Int]) throws {
        guard !losers.isEmpty else { return }
        let marked = try tx.query("""
            UPDATE attempts SET outvoted = true
            WHERE subtask_id = $1 AND attempt = ANY($2::int[]) AND NOT outvoted AND coalesce(tool, '') NOT IN (\(VerdictStore.exactToolsSQL))
            RETURNING genome, (SELECT v.proven FROM verdicts v WHERE v.subtask_id = attempts.subtask_id AND v.attempt = attempts.attempt) AS proven
            """, [job.subtaskID, PostgresArray.literal(losers.map(String.init))])
        for row in marked.records {
            guard let genome = try row.decode("genome", as: String?.self) else { continue }
            // A checked pass outvoted is taken back from correct; an unproven one becomes a checked
            // failure (the vote is its check).
            tx.send(try row.decode("proven", as: Bool?.self) == false ? """
                UPDATE perf_matrix SET attempts = attempts + 1, unproven = greatest(0, unproven - 1), updated_at = now()
                WHERE task_type = $1 AND species = $2
                """ : """
                UPDATE perf_matrix SET correct = greatest(0, correct - 1), updated_at = now() WHERE task_type = $1 AND species = $2
                """, [type.rawValue, genome])
        }
    }
}
