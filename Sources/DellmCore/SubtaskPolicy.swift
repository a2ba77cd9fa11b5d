/// What the verifier does with a subtask after a verdict, as a pure function of what is recorded: the
/// store reads the subtask's attempts under its lock, asks `decide`, and only applies the decision.
///
/// - normal: the first passed attempt settles it (a share of passes no check decides is re-checked by a
///   second genome first, and so is any whose own votes never agreed); a failed one asks for the next
///   attempt, up to `maxAttempts`;
/// - spot: the second genome's answer must agree; if it disagrees, a third decides by majority;
/// - critical: three genomes answer and the majority (two that agree) settles it.
public enum SubtaskPolicy {
    /// What the verifier knows when it decides.
    public struct Situation: Sendable, Equatable {
        public var type: TaskType
        /// The subtask's text: answers agree or not about this question.
        public var question: String
        public var mode: SubtaskMode
        /// Every attempt recorded, with its verdict if it has one.
        public var attempts: [AttemptOutcome]
        /// Attempts asked for so far.
        public var issued: Int
        /// The attempt whose verdict this is, the verdict, and whether this call recorded it (false: a redelivery).
        public var attempt: Int
        public var passed: Bool
        public var decisive: Bool
        public var reason: String
        public var newVerdict: Bool
        /// Whether the attempt's own votes never agreed (`VerdictStore.unsure`): it always gets a second opinion.
        public var unsure: Bool
        /// The attempt's draw in [0, 1) for spot verification: fixed per subtask and attempt, so a
        /// redelivery decides the same.
        public var spotDraw: Double

        public init(type: TaskType, question: String, mode: SubtaskMode, attempts: [AttemptOutcome], issued: Int, attempt: Int,
                    passed: Bool, decisive: Bool, reason: String, newVerdict: Bool, unsure: Bool, spotDraw: Double) {
            self.type = type
            self.question = question
            self.mode = mode
            self.attempts = attempts
            self.issued = issued
            self.attempt = attempt
            self.passed = passed
            self.decisive = decisive
            self.reason = reason
            self.newVerdict = newVerdict
            self.unsure = unsure
            self.spotDraw = spotDraw
        }
    }

    public struct Limits: Sendable, Equatable {
        public var maxAttempts: Int
        public var spotRate: Double
        /// Answers a critical subtask asks for.
        public var criticalAnswers: Int

        public init(maxAttempts: Int, spotRate: Double, criticalAnswers: Int = 3) {
            self.maxAttempts = maxAttempts
            self.spotRate = spotRate
            self.criticalAnswers = criticalAnswers
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Nothing now: answers are still to come.
        case wait
        /// Attempts asked for but not answered, sent again (a redelivery: the first sending may be lost).
        case resend([Int])
        /// `count` more attempts, numbered after those issued; the mode changes when given.
        case ask(count: Int, mode: SubtaskMode?)
        /// Settled with this attempt's answer; the passed answers that disagree with it are outvoted.
        case verify(attempt: Int, answer: String, note: String?, outvoted: [Int])
        /// Out of attempts: failed with the reason (the store keeps the most confident answer there is).
        case fail(reason: String)
        /// Failed, keeping this answer: answers passed but no majority formed.
        case failKeeping(answer: String, reason: String)
    }

    public static func decide(_ s: Situation, _ limits: Limits) -> Decision {
        let recorded = Set(s.attempts.map(\.attempt))
        let judged = s.attempts.filter { $0.passed != nil }
        let passed = judged.filter { $0.passed == true }
        let pending = s.issued - judged.count
        let unanswered: Decision = s.newVerdict ? .wait : resend((1...max(s.issued, 1)).filter { !recorded.contains($0) })
        switch s.mode {
        case .critical: return critical(s, limits, passed: passed, pending: pending, unanswered: unanswered)
        case .spot: return spot(s, passed: passed, pending: pending, unanswered: unanswered)
        case .normal:
            if let first = passed.first {
                if s.newVerdict, s.passed, !s.decisive, s.attempt == first.attempt, s.spotDraw < limits.spotRate || s.unsure {
                    return .ask(count: 1, mode: .spot)
                }
                return .verify(attempt: first.attempt, answer: first.answer ?? "", note: nil, outvoted: [])
            }
            if pending > 0 { return unanswered }
            if s.issued < limits.maxAttempts { return .ask(count: 1, mode: nil) }
            return .fail(reason: s.reason)
        }
    }

    /// A spot draw in [0, 1) fixed by the subtask and attempt (FNV-1a of "id#attempt").
    public static func spotDraw(subtaskID: String, attempt: Int) -> Double {
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(subtaskID)#\(attempt)".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Double(h % 1_000_000) / 1_000_000
    }

    static func resend(_ attempts: [Int]) -> Decision { attempts.isEmpty ? .wait : .resend(attempts) }

    static func critical(_ s: Situation, _ limits: Limits, passed: [AttemptOutcome], pending: Int, unanswered: Decision) -> Decision {
        let answers = passed.map { $0.answer ?? "" }
        if let m = Answers.majority(s.type, answers, quorum: 2, question: s.question) {
            return verified(passed[m], among: passed, s)
        }
        if pending > 0 { return unanswered }
        let cap = limits.criticalAnswers + limits.maxAttempts - 1
        if s.issued < cap { return .ask(count: min(cap - s.issued, max(1, limits.criticalAnswers - passed.count)), mode: nil) }
        if let first = passed.first {
            let genomes = Set(s.attempts.compactMap(\.genome)).count
            return .failKeeping(answer: first.answer ?? "", reason: "no majority among \(passed.count) answers from \(genomes) genomes")
        }
        return .fail(reason: s.passed ? "no answer passed its check" : s.reason)
    }

    static func spot(_ s: Situation, passed: [AttemptOutcome], pending: Int, unanswered: Decision) -> Decision {
        if pending > 0 { return unanswered }
        let answers = passed.map { $0.answer ?? "" }
        if let m = Answers.majority(s.type, answers, quorum: 2, question: s.question) {
            return verified(passed[m], among: passed, s)
        }
        if answers.count == 2 && s.issued < 3 { return .ask(count: 1, mode: nil) } // the second opinion disagrees: a third decides
        guard let first = passed.first else { return .fail(reason: s.reason) }
        // No two answers agree. For a fact, every vote behind them counts: the answer naming what most
        // of the votes name is kept (the first answer otherwise).
        let votes = passed.flatMap(\.votes)
        if s.type == .factual, answers.count > 1, let i = Answers.namedConsensus(answers, quorum: 2, question: s.question, evidence: votes) {
            return .verify(attempt: passed[i].attempt, answer: answers[i],
                           note: "spot check: no two of \(answers.count) answers agree; kept the one naming what most of their \(votes.count) votes name",
                           outvoted: [])
        }
        return .verify(attempt: first.attempt, answer: answers[0], note: answers.count > 1 ? "spot check: no two of \(answers.count) answers agree" : nil,
                       outvoted: [])
    }

    /// Settled by the majority's answer; the passed answers that disagree with it are outvoted.
    static func verified(_ winner: AttemptOutcome, among passed: [AttemptOutcome], _ s: Situation) -> Decision {
        let answer = winner.answer ?? ""
        let losers = passed.filter { !Answers.agree(s.type, $0.answer ?? "", answer, question: s.question) }.map(\.attempt)
        return .verify(attempt: winner.attempt, answer: answer, note: nil, outvoted: losers)
    }
}
