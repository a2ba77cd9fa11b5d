/// The states a query, a subtask and a subtask's checking mode take, as stored in PostgreSQL (the
/// tables' CHECK constraints allow exactly these).

/// A query: running until every part has settled, then answered (at least one part has an answer) or failed.
public enum QueryState: String, Sendable, CaseIterable {
    case running, answered, failed
    /// Stopped by the operator (`ops cancel`): its open parts were not started, the work not done refunded.
    case cancelled
}

/// A subtask: queued (asked of specialists), waiting (for an earlier part's result), verified, failed.
public enum SubtaskStatus: String, Sendable, CaseIterable {
    case queued, waiting, verified, failed

    /// Whether it has settled (verified or failed): the query cannot end before all have.
    public var settled: Bool { self == .verified || self == .failed }
}

/// How a subtask's answers are checked: one answer, a second genome's opinion (spot), or three (critical).
public enum SubtaskMode: String, Sendable, CaseIterable {
    case normal, spot, critical
}

/// One attempt at a subtask as the verifier sees it when deciding the subtask's next step.
public struct AttemptOutcome: Sendable, Equatable {
    public var attempt: Int
    public var answer: String?
    /// The genome that answered (nil: a tool, or an older row).
    public var genome: String?
    /// Its verdict: nil until it has one.
    public var passed: Bool?
    /// What its votes answered.
    public var votes: [String]
    /// The node that answered it.
    public var node: String?

    public init(attempt: Int, answer: String?, genome: String?, passed: Bool?, votes: [String] = [], node: String? = nil) {
        self.node = node
        self.attempt = attempt
        self.answer = answer
        self.genome = genome
        self.passed = passed
        self.votes = votes
    }
}
